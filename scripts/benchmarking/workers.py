"""Background work on real RQ workers: bulk Clients from Leads and the intake, with 1 and 2 workers;
two overlapping runs at once (no duplicates); the workers' memory, sampled while they work.

The workers are `bench worker --queue long` processes of this bench (`frappe.utils.bench_helper frappe
worker`), started here and stopped afterwards; rq forks a work horse per job, whose memory counts with its
worker's. Jobs are enqueued as the benchmark user (`frappe.enqueue` passes the session user to the job).
"""

import csv
import io
import os
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import frappe
import psutil
from frappe.utils.background_jobs import get_queue
from rq import Worker
from rq.job import Job

from crm_clients.intake.spreadsheet import TEMPLATE_HEADERS

from . import data
from .fill import USER

SERIAL_KEY = "crm_clients_benchmark_serial"  # the next free organisation number of the workers' data
JOB_TIMEOUT = 3600
# the app's one runner of Clients coming in, and its two sources measured here
RUNNER = "crm_clients.intake.runner.run_job"
LEAD_SOURCE = "crm_clients.intake.lead_source.make_source"
FILE_SOURCE = "crm_clients.intake.importer.make_file_source"


class Workers:
	"""`count` RQ workers on the long queue, for the `with` block."""

	def __init__(self, count: int, log_path: Path):
		self.count = count
		self.log_path = log_path
		self.processes = []

	def __enter__(self):
		queue = get_queue("long")
		others = [worker for worker in Worker.all(queue=queue) if alive(worker)]
		if others:
			raise RuntimeError(
				f"{len(others)} other worker(s) consume the long queue ({', '.join(w.name for w in others)}): "
				"stop them (bench start, dev-server) so they do not take the benchmark's jobs"
			)
		log = open(self.log_path, "a")
		for _ in range(self.count):
			self.processes.append(
				subprocess.Popen(
					[
						sys.executable,
						"-m",
						"frappe.utils.bench_helper",
						"frappe",
						"worker",
						"--queue",
						"long",
					],
					cwd=os.getcwd(),
					stdout=log,
					stderr=subprocess.STDOUT,
					start_new_session=True,
				)
			)
		deadline = time.monotonic() + 60
		while len(Worker.all(queue=queue)) < self.count:
			if time.monotonic() > deadline:
				raise RuntimeError(f"the workers did not start: see {self.log_path}")
			time.sleep(0.2)
		return self

	def __exit__(self, *exc):
		for process in self.processes:
			if process.poll() is None:
				process.send_signal(signal.SIGTERM)  # rq's warm shutdown: the current job ends first
		for process in self.processes:
			try:
				process.wait(timeout=60)
			except subprocess.TimeoutExpired:
				os.killpg(process.pid, signal.SIGKILL)  # the group this script started: worker + its horse
				process.wait()
		return False

	def others(self) -> list[str]:
		"""Workers on the long queue that are not ours (they may have taken some of the jobs)."""
		hostname = os.uname().nodename
		return [
			worker.name
			for worker in Worker.all(queue=get_queue("long"))
			if not (worker.pid in self.pids and getattr(worker, "hostname", hostname) == hostname)
		]

	@property
	def pids(self) -> list[int]:
		return [process.pid for process in self.processes]


def alive(worker) -> bool:
	"""A worker registered in Redis that still runs (one killed on this host stays registered a few minutes)."""
	if getattr(worker, "hostname", None) != os.uname().nodename:
		return True
	return psutil.pid_exists(worker.pid)


class MemorySampler(threading.Thread):
	"""RSS of each worker with its children (the work horse), every `interval` s, and the progress."""

	def __init__(self, pids: list[int], interval: float = 0.1):
		super().__init__(daemon=True)
		self.pids = pids
		self.interval = interval
		self.samples = []  # (time, pid, worker + horse RSS, horse RSS)
		self.progress = 0
		self.stopped = threading.Event()

	def run(self):
		while not self.stopped.is_set():
			now = time.monotonic()
			for pid in self.pids:
				try:
					process = psutil.Process(pid)
					children = process.children(recursive=True)
					own = process.memory_info().rss
					horse = sum(child.memory_info().rss for child in children)
				except psutil.Error:
					continue
				self.samples.append((now, pid, own + horse, horse, self.progress))
			self.stopped.wait(self.interval)

	def stop(self):
		self.stopped.set()
		self.join()

	def peak_mb(self) -> dict[int, float]:
		peaks = {}
		for _, pid, total, _, _ in self.samples:
			peaks[pid] = max(peaks.get(pid, 0), total / 2**20)
		return peaks

	def growth_mb(self, first_job: int) -> dict:
		"""The horse's RSS over the first job (1 worker: records 0 … first_job-1), first 10 % vs last 10 %."""
		early = [horse for *_, horse, done in self.samples if horse and done <= first_job * 0.1]
		late = [horse for *_, horse, done in self.samples if horse and first_job * 0.9 <= done <= first_job]
		if not early or not late:
			return {"first_10": None, "last_10": None, "growth": None}
		first, last = statistics.median(early) / 2**20, statistics.median(late) / 2**20
		return {
			"first_10": first,
			"last_10": last,
			"growth": last - first,
			"per_record_kb": (last - first) * 1024 / (0.8 * first_job),
		}


# --- the workers' data


def take_serials(count: int) -> int:
	"""`count` organisation numbers nobody used (kept in a default, so reruns use new companies)."""
	start = int(frappe.db.get_default(SERIAL_KEY) or data.INTAKE_SERIAL_START)
	frappe.db.set_default(SERIAL_KEY, str(start + count))
	frappe.db.commit()
	return start


def make_leads(companies: int, per_company: int = 2) -> list[str]:
	"""Fresh Leads (bulk SQL, as the fill makes them): `per_company` Leads of each of `companies` new companies,
	consecutive, each with its Contact."""
	from .fill import Filler

	start = take_serials(companies * per_company)
	filler = Filler()
	names = []
	for company in range(companies):
		org = data.organisation(start + company * per_company, serial=start + company * per_company)
		industry, region = data.INDUSTRIES[org["industry"]], data.REGIONS[org["region"]]
		for number in range(per_company):
			index = start + company * per_company + number
			names.append(filler.lead(index, org, industry, region, None, kind="w"))
	filler.flush()
	frappe.db.commit()
	return names


def intake_files(files: int, clients_per_file: int) -> list[str]:
	"""CSV files in the import template's flat shape (one row per contact person, 2 per Client), saved as
	private Files of the user; their URLs."""
	start = take_serials(files * clients_per_file)
	urls = []
	frappe.set_user(USER)
	for file_number in range(files):
		out = io.StringIO()
		writer = csv.writer(out)
		writer.writerow(TEMPLATE_HEADERS.values())
		for number in range(clients_per_file):
			index = start + file_number * clients_per_file + number
			org = data.organisation(index, serial=index)
			for person_number in range(2):
				person = data.contact_person(index, person_number, "i")
				writer.writerow(sheet_row(org, person))
		file = frappe.get_doc(
			{
				"doctype": "File",
				"file_name": f"benchmark-intake-{start}-{file_number}.csv",
				"content": out.getvalue().encode(),
				"is_private": 1,
			}
		).insert()
		urls.append(file.file_url)
	frappe.db.commit()
	frappe.set_user("Administrator")
	return urls


# --- running jobs


def enqueue(method: str, **kwargs) -> Job:
	frappe.set_user(USER)  # the job runs as the user who enqueued it
	job_id = f"crm_clients_benchmark_{frappe.generate_hash(length=10)}"
	if "job" in kwargs:
		kwargs["job"] = job_id
	job = frappe.enqueue(method, queue="long", timeout=JOB_TIMEOUT, job_id=job_id, **kwargs)
	frappe.set_user("Administrator")
	return job


def wait(jobs: list[Job], progress, sampler: MemorySampler | None, timeout: float = 3600) -> float:
	"""Seconds until every job has finished (or failed); `progress()` (records done) is sampled meanwhile."""
	started = time.monotonic()
	while True:
		frappe.db.rollback()  # see what the workers committed
		if sampler:
			sampler.progress = progress()
		states = [job.get_status(refresh=True) for job in jobs]
		if all(state in ("finished", "failed", "stopped", "canceled") for state in states):
			break
		orphans = orphaned(jobs)
		if orphans:  # another process's worker took a job and went away: it will never end
			raise RuntimeError(
				f"jobs {orphans} were taken by a worker that no longer exists (another worker of the bench "
				"listened on the queue meanwhile): measure again when no one else runs workers"
			)
		if time.monotonic() - started > timeout:
			raise RuntimeError(f"jobs still running after {timeout} s: {states}")
		time.sleep(0.2)
	return time.monotonic() - started


def orphaned(jobs: list[Job]) -> list[str]:
	"""Jobs started by a worker that is gone."""
	started = [job for job in jobs if job.get_status() == "started" and job.worker_name]
	if not started:
		return []
	running = {worker.name for worker in Worker.all(connection=jobs[0].connection) if alive(worker)}
	return [job.id for job in started if job.worker_name not in running]


def summaries(jobs: list[Job]) -> list[dict]:
	out = []
	for job in jobs:
		job.refresh()
		if job.get_status() != "finished":
			out.append({"status": job.get_status(), "error": (job.exc_info or "")[-500:]})
			continue
		result = job.return_value() or {}
		row = {"status": "finished", "counts": result.get("counts") or result_counts(result)}
		failed = result.get("failed") or []
		if failed:  # why (the first few)
			row["failures"] = [item.get("error") for item in failed[:3]]
		out.append(row)
	return out


def result_counts(result: dict) -> dict:
	return {key: len(value) for key, value in result.items() if isinstance(value, list)}


def run_phase(label, workers, log_path, make_jobs, progress, records, say) -> dict:
	"""Start `workers` workers, enqueue the jobs `make_jobs()` gives, wait, sample memory."""
	with Workers(workers, log_path) as pool:
		sampler = MemorySampler(pool.pids)
		sampler.start()
		jobs = make_jobs()
		seconds = wait(jobs, progress, sampler)
		intruders = pool.others()
		sampler.progress = progress()
		time.sleep(0.3)
		sampler.stop()
	results = summaries(jobs)
	done = progress()
	rate = done / seconds if seconds else 0
	say(
		f"  {label}, {workers} worker(s): {done} of {records} in {seconds:.1f} s = {rate:.1f}/s; jobs: {results}"
	)
	return {
		"label": label,
		"workers": workers,
		"records": records,
		"done": done,
		"seconds": seconds,
		"rate": rate,
		"jobs": results,
		"intruders": intruders,
		"peak_mb": list(sampler.peak_mb().values()),
		"growth": sampler.growth_mb(records // len(jobs)) if workers == 1 else None,
	}


def leads_phase(workers: int, jobs: int, per_job: int, log_path, say) -> dict:
	leads = make_leads(jobs * per_job // 2)
	batches = [leads[i * per_job : (i + 1) * per_job] for i in range(jobs)]

	def progress():
		return frappe.db.count("Lead", {"name": ("in", leads), "client": ("is", "set")})

	def make_jobs():
		return [enqueue(RUNNER, source=LEAD_SOURCE, params={"leads": batch}) for batch in batches]

	return run_phase("bulk Clients from Leads", workers, log_path, make_jobs, progress, len(leads), say)


def intake_phase(workers: int, jobs: int, clients_per_job: int, log_path, say) -> dict:
	urls = intake_files(jobs, clients_per_job)
	started = frappe.utils.now_datetime()

	def progress():
		return frappe.db.count(
			"Client", {"owner": USER, "creation": (">=", started), "lead": ("is", "not set")}
		)

	def make_jobs():
		return [enqueue(RUNNER, source=FILE_SOURCE, params={"file_url": url}, job="") for url in urls]

	return run_phase(
		"intake (CSV, 2 contacts per Client)",
		workers,
		log_path,
		make_jobs,
		progress,
		jobs * clients_per_job,
		say,
	)


def overlap_check(log_path, say, companies: int = 100) -> dict:
	"""Two jobs on two workers at once over overlapping Leads (the same Leads in both, and Leads of the same
	companies split between them): every Lead gets one Client, every company one Client."""
	leads = make_leads(companies)
	first = leads[: len(leads) * 3 // 4]
	second = list(reversed(leads[len(leads) // 4 :]))
	seconds = 0.0
	with Workers(2, log_path):
		started = time.monotonic()
		jobs = [enqueue(RUNNER, source=LEAD_SOURCE, params={"leads": batch}) for batch in (first, second)]
		wait(jobs, lambda: 0, None)
		seconds = time.monotonic() - started
	results = summaries(jobs)
	frappe.db.rollback()
	without_client = frappe.db.count("Lead", {"name": ("in", leads), "client": ("is", "not set")})
	per_company = frappe.db.sql(
		"""select l.company_name, count(distinct l.client) clients from `tabLead` l
		where l.name in %(leads)s group by l.company_name""",
		{"leads": leads},
		as_dict=True,
	)
	per_key = frappe.db.sql(
		"""select normalized_name, count(*) n from `tabClient` where normalized_name in
		(select c.normalized_name from `tabClient` c join `tabLead` l on l.client = c.name where l.name in %(leads)s)
		and client_type = 'Company' group by normalized_name having n > 1""",
		{"leads": leads},
		as_dict=True,
	)
	per_lead = frappe.db.sql(
		"select lead, count(*) n from `tabClient` where lead in %(leads)s group by lead having n > 1",
		{"leads": leads},
		as_dict=True,
	)
	result = {
		"leads": len(leads),
		"companies": companies,
		"overlap": len(set(first) & set(second)),
		"seconds": seconds,
		"leads_without_client": without_client,
		"companies_with_several_clients": sum(1 for row in per_company if row.clients > 1),
		"duplicate_company_keys": len(per_key),
		"leads_with_several_clients": len(per_lead),
		"jobs": results,
	}
	result["ok"] = not (
		without_client or result["companies_with_several_clients"] or per_key or per_lead
	) and all(job["status"] == "finished" for job in results)
	say(f"  overlapping runs on 2 workers: {result}")
	return result


# --- the intake vs Frappe's Data Import: the same sheet, the same documents (an organisation + its person)

DATA_IMPORT_JOB = "frappe.core.doctype.data_import.data_import.start_import"


def sheet_rows(start: int, count: int):
	"""`count` organisations from number `start`, each with one contact person: (organisation, person)."""
	for index in range(start, start + count):
		yield data.organisation(index, serial=index), data.contact_person(index, 0, "i")


def save_csv(file_name: str, rows: list[list], user: str) -> str:
	out = io.StringIO()
	csv.writer(out).writerows(rows)
	frappe.set_user(user)
	file = frappe.get_doc(
		{"doctype": "File", "file_name": file_name, "content": out.getvalue().encode(), "is_private": 1}
	).insert()
	frappe.set_user("Administrator")
	return file.file_url


def intake_sheets(start: int, count: int, files: int) -> list[str]:
	"""The intake's sheet (its import template), one contact person per Client, split into `files` files."""
	per_file = -(-count // files)
	urls = []
	for number in range(files):
		first = start + number * per_file
		rows = [list(TEMPLATE_HEADERS.values())]
		for org, person in sheet_rows(first, min(per_file, start + count - first)):
			rows.append(sheet_row(org, person))
		urls.append(save_csv(f"benchmark-intake-vs-import-{first}.csv", rows, USER))
	frappe.db.commit()
	return urls


def data_imports(start: int, count: int) -> list[str]:
	"""Two Data Imports of the same sheet as ERPNext users make them: the Customers, then their Contacts
	(e-mail, phone, the link to the Customer); the Data Import documents' names."""
	customers = [["customer_name", "customer_type", "customer_group", "territory", "tax_id"]]
	contact_rows = [
		[
			"first_name",
			"middle_name",
			"last_name",
			"designation",
			"email_ids.email_id",
			"email_ids.is_primary",
			"phone_nos.phone",
			"phone_nos.is_primary_phone",
			"links.link_doctype",
			"links.link_name",
		]
	]
	for org, person in sheet_rows(start, count):
		name = org["client_name"]
		customers.append(
			[
				name,
				"Individual" if org["client_type"] == "Individual" else "Company",
				data.INDUSTRIES[org["industry"]],
				data.REGIONS[org["region"]],
				org["tax_id"],
			]
		)
		contact_rows.append(
			[
				person["first_name"],
				person["middle_name"],
				person["last_name"],
				person["designation"],
				person["email"].replace("@", ".di@"),
				1,
				person["phone"].replace("+7 950", "+7 951"),
				1,
				"Customer",
				name,
			]
		)
	names = []
	for doctype, rows in (("Customer", customers), ("Contact", contact_rows)):
		url = save_csv(f"benchmark-data-import-{doctype}-{start}.csv", rows, "Administrator")
		doc = frappe.get_doc(
			{
				"doctype": "Data Import",
				"reference_doctype": doctype,
				"import_type": "Insert New Records",
				"import_file": url,
			}
		).insert()
		names.append(doc.name)
	frappe.db.commit()
	return names


def documents_since(started, owner: str, doctypes: tuple[str, ...]) -> int:
	return sum(
		frappe.db.count(doctype, {"owner": owner, "creation": (">=", started)}) for doctype in doctypes
	)


DIRECT_RUNNER = """
import json, sys, time
import frappe
site, user, jobs = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
frappe.init(site=site, sites_path=".")
frappe.connect()
frappe.set_user(user)
started = time.time()
for method, kwargs in jobs:
	frappe.get_attr(method)(**kwargs)
	frappe.db.commit()
print(json.dumps({"started": started, "ended": time.time()}))
frappe.destroy()
"""


def run_direct(label, processes: int, jobs: list, progress, records: int, say) -> dict:
	"""The jobs' functions run as a worker's work horse runs them (the job's user, a commit at the end of each
	job on top of the job's own), split over `processes` processes of this bench started here — not through
	the bench's shared RQ queue, which other work on the machine may be using. Seconds: from the first
	process's first job to the last one's end (a process's start, like a worker's, is not counted)."""
	import json

	shares = [jobs[i::processes] for i in range(processes)]
	started = time.monotonic()
	children = [
		subprocess.Popen(
			[sys.executable, "-c", DIRECT_RUNNER, frappe.local.site, USER, json.dumps(share)],
			cwd=os.getcwd(),
			stdout=subprocess.PIPE,
			stderr=subprocess.PIPE,
			text=True,
		)
		for share in shares
	]
	sampler = MemorySampler([child.pid for child in children])
	sampler.start()
	outputs = []
	for child in children:
		out, err = child.communicate(timeout=JOB_TIMEOUT)
		lines = [line for line in out.splitlines() if line.startswith("{")]
		outputs.append(json.loads(lines[-1]) if child.returncode == 0 and lines else {"error": err[-800:]})
	sampler.stop()
	frappe.db.rollback()
	done = progress()
	times = [o for o in outputs if "started" in o]
	seconds = (
		max(o["ended"] for o in times) - min(o["started"] for o in times)
		if len(times) == len(outputs)
		else time.monotonic() - started
	)
	rate = done / seconds if seconds else 0
	say(
		f"  {label}, {processes} process(es): {done} of {records} documents in {seconds:.1f} s = {rate:.1f}/s"
	)
	return {
		"label": label,
		"workers": processes,
		"records": records,
		"done": done,
		"seconds": seconds,
		"rate": rate,
		"jobs": [
			{"status": "finished"} if "started" in o else {"status": "failed", "error": o.get("error")}
			for o in outputs
		],
		"peak_mb": list(sampler.peak_mb().values()),
	}


def intake_vs_import(rows: int, log_path, say) -> dict:
	"""The same 1,000-row sheet (an organisation and its contact person per row) through the app's intake in 1
	and 2 processes, and through Frappe's Data Import (Customers, then Contacts) in 1: documents per second (a
	Client or Customer and its Contact are 2 documents per row). The jobs' functions run as RQ's work horse runs
	them (`run_direct`)."""
	result = {"rows": rows}
	start = take_serials(rows)
	imports = data_imports(start, rows)
	started = frappe.utils.now_datetime()
	result["data import"] = run_direct(
		"Frappe's Data Import (Customer, then Contact)",
		1,
		[(DATA_IMPORT_JOB, {"data_import": name}) for name in imports],
		lambda: documents_since(started, USER, ("Customer", "Contact")),
		2 * rows,
		say,
	)
	result["data import"]["statuses"] = frappe.get_all(
		"Data Import", filters={"name": ("in", imports)}, pluck="status"
	)
	for processes in (1, 2):
		start = take_serials(rows)
		urls = intake_sheets(start, rows, 2)
		started = frappe.utils.now_datetime()
		result[f"intake {processes}"] = run_direct(
			"the app's intake (Client + Contact)",
			processes,
			[(RUNNER, {"source": FILE_SOURCE, "params": {"file_url": url}, "job": ""}) for url in urls],
			lambda started=started: documents_since(started, USER, ("Client", "Contact")),
			2 * rows,
			say,
		)
	return result


def sheet_row(org: dict, person: dict) -> list:
	"""A row of the app's sheet template: the organisation, then one contact person."""
	return [
		org["client_name"],
		org["client_type"],
		org["country"],
		org["tax_id"],
		org["kpp"] or "",
		data.INDUSTRIES[org["industry"]],
		data.REGIONS[org["region"]],
		person["last_name"],
		person["first_name"],
		person["middle_name"],
		person["designation"],
		"",
		person["phone"],
		person["email"],
	]
