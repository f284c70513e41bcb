"""Past one machine: a read replica and a worker on another host, with real servers and processes.

- The replica is a second MariaDB server, a real replica of the bench's (binary-log replication, read-only),
  made by `scripts/make-replica` for the test site. The registry list, its count, the reports, number cards,
  charts and searches work with the site reading from it; what Frappe sends there is read there and nothing is
  written there (its statement counters, which count refused statements too, do not move); a user sees their
  own save and conversion at once (crm_clients/replica.py); with replication paused, the others see the old
  state, nothing fails and nothing is lost, and it catches up when resumed.
- The worker is `frappe worker --burst` started from a directory of its own (its own `sites` folder holding
  only the bench's apps list and config and a link to the site's folder — the site's files shared, as over
  NFS — and its own temporary directory): the jobs of *Create Clients*, a sheet's import and a business card's
  scan, enqueued by HTTP requests, run there and give their results.

Marked `scale` (a quick run leaves them out: -m "not scale"); under CI they are never skipped. The module
needs the primary's binary log: `scripts/make-replica SITE` switches it on (one restart of MariaDB) — run by
`scripts/run-tests` under CI; elsewhere, when it is off, the module is skipped and says so.
"""

import json
import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from tests.conftest import skip_module_without_frappe

skip_module_without_frappe()

import frappe
import pymysql
from frappe.installer import update_site_config

from tests import fixtures, http
from tests.conftest import BENCH, REPO, SITE
from tests.intake_helpers import upload_fixture  # the `upload` fixture

pytestmark = [pytest.mark.scale, pytest.mark.usefixtures("site")]

PYTHON = str(BENCH / "env" / "bin" / "python")
WAIT = 240  # seconds for a job or for the replica on a busy 2-core machine
WRITES = ("insert", "update", "delete", "replace", "create", "alter", "drop", "truncate", "rename", "grant")


# --- the replica


@pytest.fixture(scope="module")
def replica(_connected_site):
	"""The site reading from its replica for this module; reading from the primary again after it."""
	script = subprocess.run(
		[str(REPO / "scripts" / "make-replica"), SITE, "--no-restart"],
		capture_output=True,
		text=True,
		timeout=900,
		env={**os.environ, "FRAPPE_BENCH_PATH": str(BENCH)},
	)
	if script.returncode == 3:
		pytest.skip(
			f"the primary MariaDB's binary log is off: run scripts/make-replica {SITE} once (it restarts MariaDB)"
		)
	assert script.returncode == 0, script.stdout + script.stderr
	conf = json.loads((BENCH / "sites" / SITE / "site_config.json").read_text())
	assert conf["read_from_replica"] == 1 and conf["replica_host"] == "127.0.0.1"
	try:
		yield conf
	finally:
		resume_replication()
		update_site_config("read_from_replica", 0)


def replica_sql(conf: dict, query: str, args=None) -> list[tuple]:
	"""A query on the replica as the site's own login (the one Frappe reads with)."""
	connection = pymysql.connect(
		host=conf["replica_host"],
		port=int(conf["replica_db_port"]),
		user=conf["db_name"],
		password=conf["db_password"],
		database=conf["db_name"],
		charset="utf8mb4",
	)
	try:
		with connection.cursor() as cursor:
			cursor.execute(query, args)
			return list(cursor.fetchall())
	finally:
		connection.close()


def counters(conf: dict) -> dict[str, int]:
	return {name: int(value) for name, value in replica_sql(conf, "SHOW GLOBAL STATUS LIKE 'Com\\_%'")}


class GeneralLog:
	"""The statements the replica's clients send from now on (its general log: refused statements too)."""

	def __init__(self):
		script = [str(REPO / "scripts" / "make-replica"), "--log", "on"]
		self.path = Path(subprocess.run(script, check=True, capture_output=True, text=True).stdout.strip())
		self.start = self.path.stat().st_size

	def statements(self) -> list[str]:
		with open(self.path, "rb") as log:
			log.seek(self.start)
			text = log.read().decode("utf-8", "replace")
		return [line.split(" Query\t", 1)[1].strip() for line in text.splitlines() if " Query\t" in line]

	def writes(self) -> list[str]:
		return [sql for sql in self.statements() if sql.split(None, 1)[0].lower() in WRITES]

	def close(self) -> None:
		subprocess.run([str(REPO / "scripts" / "make-replica"), "--log", "off"], capture_output=True)


def committed_position() -> str:
	"""The primary's position (GTID) of this connection's last commit."""
	return frappe.db.sql("SELECT @@last_gtid")[0][0]


def wait_for_replica(conf: dict, gtid: str) -> None:
	reached = replica_sql(conf, "SELECT MASTER_GTID_WAIT(%s, %s)", (gtid, WAIT))[0][0]
	assert reached == 0, f"the replica did not apply {gtid} within {WAIT} s"


def pause_replication() -> None:
	subprocess.run([str(REPO / "scripts" / "make-replica"), "--pause"], check=True, capture_output=True)


def resume_replication() -> None:
	subprocess.run([str(REPO / "scripts" / "make-replica"), "--resume"], capture_output=True)


def as_user(user: str):
	token = fixtures.api_credentials(user)
	frappe.db.commit()

	def call(method: str, path: str, data: dict | None = None):
		return http.call(SITE, method, path, data, token)

	return call


def listed(call, name: str) -> list[dict]:
	status, body = call(
		"POST",
		"/api/method/frappe.desk.reportview.get",
		{
			"doctype": "Client",
			"fields": json.dumps(["`tabClient`.`name`", "`tabClient`.`status`", "`tabClient`.`customer`"]),
			"filters": json.dumps([["Client", "name", "=", name]]),
		},
	)
	assert status == 200, body
	message = body["message"]
	return (
		[dict(zip(message["keys"], values, strict=True)) for values in message["values"]] if message else []
	)


def test_the_replica_is_a_read_only_copy(replica, committed):
	client = committed.add(fixtures.make_client(client_name="Replica copy " + frappe.generate_hash(length=6)))
	frappe.db.commit()
	wait_for_replica(replica, committed_position())
	assert replica_sql(replica, "SELECT client_name FROM tabClient WHERE name = %s", client.name) == [
		(client.client_name,)
	]

	log = GeneralLog()
	try:
		with pytest.raises(pymysql.err.OperationalError) as refused:
			replica_sql(replica, "UPDATE tabClient SET client_name = 'changed' WHERE name = %s", client.name)
		assert refused.value.args[0] == 1290  # ER_OPTION_PREVENTS_STATEMENT: --read-only
		assert len(log.writes()) == 1, "a refused write is in the general log"
	finally:
		log.close()
	assert replica_sql(replica, "SELECT client_name FROM tabClient WHERE name = %s", client.name) == [
		(client.client_name,)
	]


def test_what_frappe_reads_from_the_replica_works_there_and_writes_nothing(replica, committed, request):
	tag = frappe.generate_hash(length=6)
	client = committed.add(fixtures.make_client(client_name=f"Replica reads {tag}"))
	frappe.db.commit()
	wait_for_replica(replica, committed_position())
	call = as_user(fixtures.SALES_USER)
	log = GeneralLog()
	request.addfinalizer(log.close)

	replica_reads = {
		"the registry": ("frappe.desk.reportview.get", {"doctype": "Client", "fields": '["name"]'}),
		"its count": ("frappe.desk.reportview.get_count", {"doctype": "Client"}),
		"its sidebar": (
			"frappe.desk.reportview.get_sidebar_stats",
			{"stats": '["_assign"]', "doctype": "Client"},
		),
		"Client Overview": (
			"frappe.desk.query_report.run",
			{"report_name": "Client Overview", "filters": "{}"},
		),
		"Client Interactions": (
			"frappe.desk.query_report.run",
			{"report_name": "Client Interactions", "filters": "{}"},
		),
		"Possible Duplicates": (
			"frappe.desk.query_report.run",
			{"report_name": "Possible Duplicates", "filters": "{}"},
		),
		"Overdue Interactions": ("crm_clients.api.get_overdue_interactions", {}),
		"the search bar's Clients": (
			"crm_clients.search.search_bar_clients",
			{"text": f"Replica reads {tag}"},
		),
	}
	for what, (method, data) in replica_reads.items():
		selects = counters(replica)["Com_select"]
		status, body = call("POST", f"/api/method/{method}", data)
		assert status == 200, (what, body)
		assert counters(replica)["Com_select"] > selects, f"{what} is read from the replica"

	# what Frappe 15 reads from the primary works with the replica on, too
	card = frappe.get_doc("Number Card", "Open Clients").as_json()
	primary_reads = {
		"Open Clients": (
			"frappe.desk.doctype.number_card.number_card.get_result",
			{"doc": card, "filters": "[]"},
		),
		"Clients by Business Region": (
			"frappe.desk.doctype.dashboard_chart.dashboard_chart.get",
			{"chart_name": "Clients by Business Region"},
		),
		"Clients by Status": (  # a Custom chart: the desk calls its source's method
			"crm_clients.crm_clients.dashboard_chart_source.clients_by_status.clients_by_status.get",
			{"chart_name": "Clients by Status"},
		),
		"the link field": (
			"frappe.desk.search.search_link",
			{"doctype": "Client", "txt": f"Replica reads {tag}"},
		),
	}
	for what, (method, data) in primary_reads.items():
		status, body = call("POST", f"/api/method/{method}", data)
		assert status == 200, (what, body)
	status, body = call(
		"POST", "/api/method/frappe.desk.search.search_link", primary_reads["the link field"][1]
	)
	assert [row["value"] for row in body["message"]] == [client.name]

	assert log.statements(), "Frappe read from the replica"
	assert log.writes() == [], "nothing was written on the replica, nor tried"


def test_a_user_sees_their_own_save_and_conversion_at_once(replica, committed):
	tag = frappe.generate_hash(length=6)
	committed.track("Client", {"client_name": f"Own write {tag}"})
	committed.track("Customer", {"customer_name": f"Own write {tag}"})
	sales_user, manager = as_user(fixtures.SALES_USER), as_user(fixtures.SALES_MANAGER)
	pause_replication()
	try:
		status, body = sales_user(
			"POST", "/api/resource/Client", {"data": json.dumps({"client_name": f"Own write {tag}"})}
		)
		assert status == 200, body
		name = body["data"]["name"]
		assert [row["name"] for row in listed(sales_user, name)] == [name], "the saver lists it at once"
		assert listed(manager, name) == [], "the others read the paused replica: not yet"

		status, body = sales_user("POST", "/api/method/crm_clients.api.convert_to_customer", {"client": name})
		assert status == 200, body
		customer = body["message"]
		assert listed(sales_user, name) == [{"name": name, "status": "Converted", "customer": customer}]
	finally:
		resume_replication()
	frappe.db.rollback()
	gtid = frappe.db.sql("SELECT @@gtid_binlog_pos")[0][0]
	wait_for_replica(replica, gtid.split(",")[0])
	assert listed(manager, name) == [{"name": name, "status": "Converted", "customer": customer}]
	assert frappe.get_all("Customer", filters={"client": name}, pluck="name") == [customer]


def test_a_paused_replica_shows_the_old_state_and_loses_nothing(replica, committed):
	tag = frappe.generate_hash(length=6)
	client = committed.add(fixtures.make_client(client_name=f"Paused {tag}"))
	frappe.db.commit()
	wait_for_replica(replica, committed_position())
	committed.track("Client", {"client_name": ("like", f"Paused {tag} %")})
	manager, sales_user = as_user(fixtures.SALES_MANAGER), as_user(fixtures.SALES_USER)
	count = {"doctype": "Client", "filters": json.dumps([["client_name", "like", f"Paused {tag}%"]])}

	pause_replication()
	try:
		for index in range(3):
			status, body = sales_user(
				"POST", "/api/resource/Client", {"data": json.dumps({"client_name": f"Paused {tag} {index}"})}
			)
			assert status == 200, body
		status, body = sales_user(
			"PUT", f"/api/resource/Client/{client.name}", {"data": json.dumps({"kpp": "", "tax_id": ""})}
		)
		assert status == 200, body
		status, body = manager("POST", "/api/method/frappe.desk.reportview.get_count", count)
		assert (status, body["message"]) == (200, 1), "the old state: only the Client made before the pause"
		for report in ("Client Overview", "Client Interactions", "Possible Duplicates"):
			status, body = manager(
				"POST", "/api/method/frappe.desk.query_report.run", {"report_name": report, "filters": "{}"}
			)
			assert status == 200, (report, body)
	finally:
		resume_replication()
	frappe.db.rollback()
	assert frappe.db.count("Client", {"client_name": ("like", f"Paused {tag}%")}) == 4, "nothing lost"
	wait_for_replica(replica, frappe.db.sql("SELECT @@gtid_binlog_pos")[0][0].split(",")[0])
	status, body = manager("POST", "/api/method/frappe.desk.reportview.get_count", count)
	assert (status, body["message"]) == (200, 4), "caught up"


# --- a worker on another host


@pytest.fixture
def other_host(tmp_path):
	"""A worker's own directory: `sites` with the bench's apps list and config and the site's folder linked
	(the site's files shared), its own temporary directory; nothing else of the web server's."""
	sites = tmp_path / "sites"
	sites.mkdir()
	for name in ("apps.txt", "common_site_config.json"):
		shutil.copy(BENCH / "sites" / name, sites / name)
	(sites / SITE).symlink_to(BENCH / "sites" / SITE)
	(tmp_path / "tmp").mkdir()
	(tmp_path / "logs").mkdir()  # Frappe logs beside `sites`, as in any bench
	return tmp_path


def run_worker_on(host: Path) -> None:
	"""`frappe worker --burst` from the other host's `sites`, until it has run what is queued."""
	with open(host / "worker.log", "wb") as log:
		worker = subprocess.Popen(
			[PYTHON, "-m", "frappe.utils.bench_helper", "frappe", "worker", "--queue", "long", "--burst"],
			cwd=host / "sites",
			stdout=log,
			stderr=subprocess.STDOUT,
			env={key: value for key, value in os.environ.items() if not key.startswith(("FRAPPE_", "PYTEST"))}
			| {"TMPDIR": str(host / "tmp"), "PYTHONUNBUFFERED": "1"},
		)
		assert worker.wait(timeout=WAIT) == 0, (host / "worker.log").read_text()[-3000:]


def ran_on(job: str, host: Path) -> bool:
	"""Whether the other host's worker ran the job to its end (rq's log: "Job OK (site::job)", on Frappe 16
	"Job OK (site||job)"). Jobs of other sites of the bench waiting in the same queue fail there (their site is
	not on that host): not this one."""
	log = (host / "worker.log").read_text()
	return any(f"Job OK ({SITE}{separator}{job})" in log for separator in ("::", "||"))


def test_jobs_run_on_a_worker_of_another_host(site, committed, upload, other_host):
	from tests.business_card_images import card_specs, photographed, render
	from tests.test_intake_spreadsheet import csv_text, row

	tag = frappe.generate_hash(length=6)
	call = as_user(fixtures.SALES_USER)
	# Create Clients from 25 Leads (more than are made in the request)
	leads = [
		committed.add(fixtures.make_lead(company_name=f"Far lead {tag} {i:02d}")).name for i in range(25)
	]
	committed.track("Client", {"client_name": ("like", f"Far lead {tag}%")})
	# a sheet of 25 Clients with a contact person each
	sheet = csv_text(
		[
			row(
				client=f"Far sheet {tag} {i:02d}",
				first="Anna",
				last=f"N{i}",
				email=f"far-{tag}-{i}@example.ru",
			)
			for i in range(25)
		]
	)
	frappe.set_user(fixtures.SALES_USER)
	sheet_url = upload(f"far-{tag}.csv", sheet)
	photo = photographed(render(card_specs()[0]), 1)
	photo_path = other_host / "card.png"
	photo.save(photo_path)
	card_url = upload(f"far-card-{tag}.png", photo_path.read_bytes())
	frappe.set_user("Administrator")
	committed.track("Client", {"client_name": ("like", f"Far sheet {tag}%")})
	committed.track("Contact", {"email_id": ("like", f"far-{tag}-%")})
	committed.track("Contact", {"company_name": ("like", f"%Far lead {tag}%")})
	committed.track("File", {"file_name": ("like", f"far-%{tag}%")})
	frappe.db.commit()
	photo_path.unlink()

	status, from_leads = call(
		"POST", "/api/method/crm_clients.api.make_clients_from_leads", {"leads": json.dumps(leads)}
	)
	assert status == 200 and from_leads["message"]["job"], from_leads
	status, from_sheet = call("POST", "/api/method/crm_clients.api.import_clients", {"file_url": sheet_url})
	assert status == 200 and from_sheet["message"]["job"], from_sheet
	status, scan = call(
		"POST", "/api/method/crm_clients.api.start_business_card_scan", {"file_url": card_url}
	)
	assert status == 200 and scan["message"]["job"], scan
	jobs = [from_leads["message"]["job"], from_sheet["message"]["job"], scan["message"]["job"]]

	run_worker_on(other_host)

	assert [ran_on(job, other_host) for job in jobs] == [True, True, True], (
		"each job ran on the other host's worker"
	)
	frappe.db.rollback()
	assert all(frappe.get_all("Lead", filters={"name": ("in", leads)}, pluck="client")), (
		"every Lead has a Client"
	)
	for job, made in zip(jobs[:2], (25, 25), strict=True):
		status, summary = call("POST", "/api/method/crm_clients.api.get_import_summary", {"job": job})
		assert status == 200 and not summary["message"]["failed"], summary
		assert len(summary["message"]["created"]) == made, summary["message"]["message"]
	assert frappe.db.count("Client", {"client_name": ("like", f"Far sheet {tag}%")}) == 25
	status, result = call("POST", "/api/method/crm_clients.api.get_business_card_scan", {"job": jobs[2]})
	assert status == 200 and result["message"]["status"] == "done", result
	assert result["message"]["card"], result
	assert not list((other_host / "tmp").iterdir()), "nothing left in the worker's temporary directory"
