"""Work that is cut off half-way: a background worker killed with SIGKILL during *Create Clients*, and
MariaDB restarted during a conversion. Real processes: `bench worker` on the bench's own Redis queue, and
MariaDB shut down by mysqladmin and started by its own service script. Everything they make is committed and removed again at the end.

The MariaDB restart disturbs every connection of the machine, so it is marked `disruptive` and left out of a
quick run (`scripts/run-tests -m "not disruptive"`); the full run includes it.
"""

import pytest

from tests.conftest import BENCH, skip_module_without_frappe

skip_module_without_frappe()

import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import frappe

from tests import fixtures
from tests.intake_helpers import upload_fixture

pytestmark = [
	pytest.mark.usefixtures("site"),
	pytest.mark.skipif(not shutil.which("bench"), reason="the `bench` CLI is not on PATH"),
]

JOB = "crm_clients.intake.runner.run_job"
LEAD_SOURCE = "crm_clients.intake.lead_source.make_source"
FILE_SOURCE = "crm_clients.intake.importer.make_file_source"


def lead_clients(names: list[str]) -> dict[str, str | None]:
	frappe.db.rollback()  # read what the worker has committed
	return dict(
		frappe.get_all("Lead", filters={"name": ("in", names)}, fields=["name", "client"], as_list=True)
	)


def clients_of(names: list[str]) -> list[dict]:
	return frappe.get_all("Client", filters={"lead": ("in", names)}, fields=["name", "lead"])


def start_worker(*args: str) -> subprocess.Popen:
	log = open(Path(BENCH) / "logs" / "crm-clients-test-worker.log", "ab")
	return subprocess.Popen(
		["bench", "worker", "--queue", "long", *args],
		cwd=BENCH,
		stdout=log,
		stderr=subprocess.STDOUT,
		start_new_session=True,  # its own process group: SIGKILL reaches the work horse too
	)


def kill_with_its_work_horse(worker: subprocess.Popen) -> None:
	"""SIGKILL the worker and every process under it. rq runs each job in a forked "work horse" that leaves
	the worker's process group (os.setsid), so killing the group alone would leave the job running."""
	import psutil

	processes = [psutil.Process(worker.pid)]
	processes += processes[0].children(recursive=True)
	for process in processes:
		try:
			process.send_signal(signal.SIGKILL)
		except psutil.NoSuchProcess:
			pass
	worker.wait(timeout=30)
	psutil.wait_procs(processes, timeout=30)


def enqueue_as_sales_user(names: list[str]) -> None:
	frappe.set_user(fixtures.SALES_USER)
	frappe.enqueue(JOB, queue="long", timeout=600, source=LEAD_SOURCE, params={"leads": names})
	frappe.set_user("Administrator")


def test_a_worker_killed_during_create_clients_leaves_each_lead_done_or_untouched(site, committed):
	tag = frappe.generate_hash(length=6)
	names = [
		committed.add(fixtures.make_lead(company_name=f"Killed job {tag} {i:03d}")).name for i in range(200)
	]
	committed.track("Client", {"client_name": ("like", f"Killed job {tag}%")})
	frappe.db.commit()

	enqueue_as_sales_user(names)
	worker = start_worker()
	try:
		deadline = time.monotonic() + 180
		while time.monotonic() < deadline:
			done = sum(1 for client in lead_clients(names).values() if client)
			if done >= 20:
				break
			assert worker.poll() is None, "the worker stopped before it was killed"
			time.sleep(0.2)
		else:
			pytest.fail("the worker made no Clients within 3 minutes")
	finally:
		kill_with_its_work_horse(worker)

	# each Lead has its Client, or is untouched: nothing half-made
	linked = lead_clients(names)
	clients = clients_of(names)
	done = {name for name, client in linked.items() if client}
	assert 20 <= len(done) < len(names), f"killed after {len(done)} Leads: the test needs it half-way"
	assert {client.lead for client in clients} == done
	assert all(linked[client.lead] == client.name for client in clients)
	print(f"worker killed after {len(done)} of {len(names)} Leads")

	# running it again finishes the rest, without a second Client for any Lead
	enqueue_as_sales_user(names)
	rerun = start_worker("--burst")
	assert rerun.wait(timeout=300) == 0
	linked = lead_clients(names)
	assert all(linked.values())
	assert len(clients_of(names)) == len(names)


def test_two_workers_with_overlapping_selections_make_one_client_per_company(site, committed):
	"""Two Sales Users' overlapping selections, run by two workers at once: the same Leads and the same
	companies on both sides; every Lead gets a Client and no company gets two."""
	tag = frappe.generate_hash(length=6)
	companies = [f"Overlap {tag} {i:02d}" for i in range(20)]
	by_company = {
		company: [
			committed.add(fixtures.make_lead(company_name=name, first_name=f"Person {j}")).name
			for j, name in enumerate((company, f"ООО «{company}»"))
		]
		for company in companies
	}
	committed.track("Client", {"normalized_name": ("like", f"overlap {tag.lower()}%")})
	committed.track("Contact", {"company_name": ("like", f"%Overlap {tag}%")})
	frappe.db.commit()
	first = [lead for company in companies[:14] for lead in by_company[company]]
	second = [lead for company in companies[6:] for lead in by_company[company]]

	enqueue_as_sales_user(first)
	enqueue_as_sales_user(second)
	workers = [start_worker("--burst"), start_worker("--burst")]
	for worker in workers:
		assert worker.wait(timeout=300) == 0

	leads_of = lead_clients([lead for leads in by_company.values() for lead in leads])
	assert all(leads_of.values()), "every Lead has its Client"
	for company, leads in by_company.items():
		assert len({leads_of[lead] for lead in leads}) == 1, f"{company} has one Client"
	clients = frappe.get_all(
		"Client", filters={"normalized_name": ("like", f"overlap {tag.lower()}%")}, pluck="normalized_name"
	)
	assert sorted(clients) == sorted(set(clients)) and len(clients) == len(companies)


def test_two_workers_importing_the_same_companies_make_one_client_each(site, committed, upload):
	"""Two sheets naming the same companies (spelled differently), imported by two workers at once: one rule,
	read with a lock, gives each company one Client, with the persons of both sheets."""
	from tests.test_intake_spreadsheet import csv_text, row

	tag = frappe.generate_hash(length=6).lower()
	companies = [f"Twin import {tag} {i:02d}" for i in range(12)]

	def sheet(spelling, person):
		rows = [
			row(client=spelling(company), first=person, last=f"N{i}", email=f"{person}-{tag}-{i}@example.ru")
			for i, company in enumerate(companies)
		]
		return csv_text(rows)

	frappe.set_user(fixtures.SALES_USER)  # their own uploads, as from the desk
	files = [
		upload(f"twin-a-{tag}.csv", sheet(lambda company: company, "anna")),
		upload(f"twin-b-{tag}.csv", sheet(lambda company: f"ООО «{company}»", "boris")),
	]
	frappe.set_user("Administrator")
	committed.track("Client", {"normalized_name": ("like", f"twin import {tag}%")})
	committed.track("Contact", {"company_name": ("like", f"%Twin import {tag}%")})
	committed.track("File", {"file_name": ("like", f"twin-_-{tag}.csv")})
	frappe.db.commit()

	frappe.set_user(fixtures.SALES_USER)
	for file_url in files:
		frappe.enqueue(JOB, queue="long", timeout=600, source=FILE_SOURCE, params={"file_url": file_url})
	frappe.set_user("Administrator")
	workers = [start_worker("--burst"), start_worker("--burst")]
	for worker in workers:
		assert worker.wait(timeout=300) == 0

	frappe.db.rollback()
	clients = frappe.get_all(
		"Client",
		filters={"normalized_name": ("like", f"twin import {tag}%")},
		fields=["name", "normalized_name"],
	)
	assert sorted(client.normalized_name for client in clients) == [company.lower() for company in companies]
	for client in clients:
		assert len(frappe.get_doc("Client", client.name).contacts) == 2, "both sheets' persons on one Client"


CONVERT_SLOWLY = textwrap.dedent(
	"""
	import sys, time
	from pathlib import Path
	import frappe
	from crm_clients import conversion

	site, client, marker = sys.argv[1:4]
	frappe.init(site=site, sites_path=".")
	frappe.connect()
	frappe.set_user("Administrator")
	real_link_leads = conversion.link_leads

	def link_leads_slowly(client_doc, customer):
		real_link_leads(client_doc, customer)
		Path(marker).write_text("customer made")  # the Customer exists in this transaction now
		time.sleep(60)

	conversion.link_leads = link_leads_slowly
	from crm_clients.api import convert_to_customer
	convert_to_customer(client)
	frappe.db.commit()
	print("converted")
	"""
)


def site_db_server() -> list[str]:
	"""mysqladmin's options for the MariaDB server that serves this site (the bench's db_host / db_port): a v16
	bench beside a v15 one has its own server on its own port, and only that one is restarted."""
	return [
		"--protocol=tcp",
		"-h",
		frappe.conf.db_host or "127.0.0.1",
		"-P",
		str(frappe.conf.db_port or 3306),
	]


def mariadb_alive() -> bool:
	return subprocess.run(["mysqladmin", *site_db_server(), "ping"], capture_output=True).returncode == 0


def restart_mariadb() -> None:
	"""The site's MariaDB shut down as an admin does (mysqladmin shutdown, as root) and started again by its own
	service script. `service mariadb restart` alone is not used: when its shutdown fails it falls back to
	`killall mariadbd`, which reaches every MariaDB of the machine."""
	root = [
		"-u",
		os.environ.get("FRAPPE_DB_ROOT_USER", "root"),
		"-p" + os.environ.get("FRAPPE_DB_ROOT_PASSWORD", "root"),
	]
	subprocess.run(["mysqladmin", *site_db_server(), *root, "shutdown"], check=True, capture_output=True)
	# mysqladmin returns once the server has begun to stop; its service script starts it once it has stopped
	for _ in range(30):
		started = subprocess.run(["service", "mariadb", "start"], capture_output=True, timeout=300)
		if started.returncode == 0 and mariadb_alive():
			return
		time.sleep(2)
	pytest.fail(f"MariaDB did not start again: {started.stdout} {started.stderr}")


def ensure_mariadb_runs() -> None:
	"""Whatever happened to the restart, MariaDB is up again for the rest of the run (and the machine)."""
	for attempt in range(120):
		if mariadb_alive():
			return
		if attempt in (10, 60):
			subprocess.run(["service", "mariadb", "start"], capture_output=True, timeout=300)
		time.sleep(1)
	pytest.fail("MariaDB did not come back after the restart")


@pytest.mark.disruptive
def test_mariadb_restarting_during_a_conversion_leaves_it_untouched(site, committed, tmp_path):
	client = committed.add(
		fixtures.make_client(client_name="Conversion cut off " + frappe.generate_hash(length=6))
	)
	committed.track("Customer", {"customer_name": client.client_name})
	frappe.db.commit()
	marker = tmp_path / "customer-made"

	converting = subprocess.Popen(
		[
			str(Path(BENCH) / "env" / "bin" / "python"),
			"-c",
			CONVERT_SLOWLY,
			frappe.local.site,
			client.name,
			str(marker),
		],
		cwd=Path(BENCH) / "sites",
		stdout=subprocess.PIPE,
		stderr=subprocess.STDOUT,
		text=True,
	)
	try:
		deadline = time.monotonic() + 120
		while not marker.exists():
			assert converting.poll() is None, converting.stdout.read()
			assert time.monotonic() < deadline, "the conversion did not reach the Customer"
			time.sleep(0.1)
		restart_mariadb()
		output, _ = converting.communicate(timeout=120)
	finally:
		if converting.poll() is None:
			converting.kill()
		ensure_mariadb_runs()
		frappe.db.connect()  # this test session's connection went with the restart

	assert converting.returncode != 0 and "converted" not in output
	assert frappe.db.get_value("Client", client.name, ["customer", "status"]) == (None, "Open")
	assert not frappe.db.exists("Customer", {"client": client.name})
	assert not frappe.db.exists("Customer", {"customer_name": client.client_name})
