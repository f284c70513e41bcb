"""Work that is cut off half-way (issue 14): a background worker killed with SIGKILL during *Create Clients*, and
MariaDB restarted during a conversion. Real processes: `bench worker` on the bench's own Redis queue, and
MariaDB's own service script. Everything they make is committed and removed again at the end.

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

pytestmark = [
	pytest.mark.usefixtures("site"),
	pytest.mark.skipif(not shutil.which("bench"), reason="the `bench` CLI is not on PATH"),
]

JOB = "crm_clients.leads.make_clients_job"


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


def enqueue_as_sales_user(names: list[str]) -> None:
	frappe.set_user(fixtures.SALES_USER)
	frappe.enqueue(JOB, queue="long", timeout=600, leads=names)
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
		os.killpg(worker.pid, signal.SIGKILL)
		worker.wait(timeout=30)

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


def mariadb_alive() -> bool:
	return (
		subprocess.run(
			["mysqladmin", "--protocol=tcp", "-h", "127.0.0.1", "ping"], capture_output=True
		).returncode
		== 0
	)


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
		subprocess.run(["service", "mariadb", "restart"], check=True, capture_output=True, timeout=120)
		output, _ = converting.communicate(timeout=120)
	finally:
		if converting.poll() is None:
			converting.kill()
		for _ in range(60):
			if mariadb_alive():
				break
			time.sleep(1)
		frappe.db.connect()  # this test session's connection went with the restart

	assert converting.returncode != 0 and "converted" not in output
	assert frappe.db.get_value("Client", client.name, ["customer", "status"]) == (None, "Open")
	assert not frappe.db.exists("Customer", {"client": client.name})
	assert not frappe.db.exists("Customer", {"customer_name": client.client_name})
