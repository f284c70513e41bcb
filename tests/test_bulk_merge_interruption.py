"""The bulk merge of many Clients cut off half-way: a real `bench worker` killed with SIGKILL while it merges
(the intake runner's background job, one merge per record, each all or nothing). Every Client is then merged
completely — its contact person, Lead and Event on the survivor, its ID redirecting to it — or untouched; the
same selection run again finishes the rest. Everything made is committed and removed again at the end."""

import pytest

from tests.conftest import skip_module_without_frappe

skip_module_without_frappe()

import shutil
import subprocess
import time
from pathlib import Path

import frappe
from frappe.utils import add_to_date, now_datetime, random_string

from crm_clients.intake import merge_source, runner
from tests import fixtures
from tests.conftest import BENCH
from tests.test_interruptions import kill_with_its_work_horse

pytestmark = [
	pytest.mark.usefixtures("site"),
	pytest.mark.skipif(not shutil.which("bench"), reason="the `bench` CLI is not on PATH"),
]

# the jobs go to a queue the app's own jobs and the other tests' workers leave alone (they listen on `long`):
# on a bench shared by several test runs, only this test's worker takes them
QUEUE = "short"

CLIENTS = 16  # merged into one: more than the request merges (merge_source.SYNC_LIMIT)


def make_merged_away_client(committed, tag: str, index: int):
	"""A Client with what a merge moves: its contact person, a Lead, an Event."""
	contact = committed.add(fixtures.make_contact(first_name=f"Bulk {tag} {index:02d}"))
	client = committed.add(
		fixtures.make_client(client_name=f"Bulk merge {tag} {index:02d}", contacts=[contact.name])
	)
	lead = committed.add(fixtures.make_lead(company_name=f"Bulk lead {tag} {index:02d}", client=client.name))
	event = committed.add(
		frappe.get_doc(
			{
				"doctype": "Event",
				"subject": f"Visit {tag} {index:02d}",
				"starts_on": add_to_date(now_datetime(), days=3),
				"event_participants": [{"reference_doctype": "Client", "reference_docname": client.name}],
			}
		).insert()
	)
	return {"client": client.name, "contact": contact.name, "lead": lead.name, "event": event.name}


def client_links(contact: str) -> list[str]:
	return frappe.get_all(
		"Dynamic Link",
		filters={"parenttype": "Contact", "parent": contact, "link_doctype": "Client"},
		pluck="link_name",
	)


def participants(event: str) -> list[str]:
	return frappe.get_all(
		"Event Participants",
		filters={"parent": event, "reference_doctype": "Client"},
		pluck="reference_docname",
	)


def client_rows(client: str) -> list[str]:
	return frappe.get_all(
		"Client Contact", filters={"parenttype": "Client", "parent": client}, pluck="contact", order_by="idx"
	)


def merged_and_untouched(survivor: str, own: str, records: list[dict]) -> tuple[list[dict], list[dict]]:
	"""Each record merged completely or untouched (asserted), as the database has them committed."""
	frappe.db.rollback()
	merged, untouched = [], []
	for record in records:
		client = record["client"]
		if frappe.db.exists("Client", client):
			assert client_rows(client) == [record["contact"]], record
			assert client_links(record["contact"]) == [client], record
			assert frappe.db.get_value("Lead", record["lead"], "client") == client, record
			assert participants(record["event"]) == [client], record
			assert not frappe.db.exists("Client Merge", client), record
			untouched.append(record)
		else:
			assert frappe.db.get_value("Client Merge", client, "survivor") == survivor, record
			assert client_links(record["contact"]) == [survivor], record
			assert frappe.db.get_value("Lead", record["lead"], "client") == survivor, record
			assert participants(record["event"]) == [survivor], record
			merged.append(record)
	# the survivor has its own contact person and those of the merged Clients: none twice, none of the others
	assert client_rows(survivor) == [own] + [record["contact"] for record in merged]
	return merged, untouched


def start_worker(*args: str) -> subprocess.Popen:
	log = open(Path(BENCH) / "logs" / "crm-clients-test-worker.log", "ab")
	return subprocess.Popen(
		["bench", "worker", "--queue", QUEUE, *args],
		cwd=BENCH,
		stdout=log,
		stderr=subprocess.STDOUT,
		start_new_session=True,  # its own process group: SIGKILL reaches the work horse too
	)


def enqueue_as_sales_manager(survivor: str, others: list[str], job: str) -> None:
	frappe.set_user(fixtures.SALES_MANAGER)
	frappe.enqueue(
		runner.JOB_METHOD,
		queue=QUEUE,
		timeout=1500,
		source=merge_source.SOURCE,
		params={"survivor": survivor, "others": others},
		job=job,
	)
	frappe.set_user("Administrator")


def merged_count_stays(survivor: str, count: int, seconds: float = 10) -> bool:
	"""No merge of the job is committed after the kill (none goes on in another process)."""
	deadline = time.monotonic() + seconds
	while time.monotonic() < deadline:
		frappe.db.rollback()
		if frappe.db.count("Client Merge", {"survivor": survivor}) != count:
			return False
		time.sleep(0.5)
	return True


def wait_for_summary(job: str, seconds: float = 600) -> dict:
	deadline = time.monotonic() + seconds
	while time.monotonic() < deadline:
		summary = summary_of(job)
		if summary:
			return summary
		time.sleep(0.5)
	pytest.fail(f"the job {job} kept no summary within {seconds} s")


def summary_of(job: str) -> dict | None:
	return frappe.cache.get_value(f"{runner.SUMMARY_CACHE_KEY}:{job}", user=fixtures.SALES_MANAGER)


def test_a_worker_killed_during_a_bulk_merge_leaves_each_client_merged_or_untouched(site, committed):
	tag = random_string(6)
	own_contact = committed.add(fixtures.make_contact(first_name=f"Bulk {tag} survivor"))
	survivor = committed.add(
		fixtures.make_client(client_name=f"Bulk merge {tag} survivor", contacts=[own_contact.name])
	).name
	records = [make_merged_away_client(committed, tag, index) for index in range(CLIENTS)]
	others = [record["client"] for record in records]
	committed.track("Client Merge", {"survivor": survivor})
	frappe.db.commit()

	# the desk's bulk merge of this many Clients starts the background job
	frappe.set_user(fixtures.SALES_MANAGER)
	started = merge_source.merge_clients_into(survivor, others)
	frappe.db.rollback()  # not committed: no job (enqueued after the commit)
	frappe.set_user("Administrator")
	assert set(started) == {"job", "total", "survivor"} and started["total"] == CLIENTS

	first_job = "crm_clients_test_bulk_merge_" + tag
	enqueue_as_sales_manager(survivor, others, first_job)
	worker = start_worker()
	try:
		deadline = time.monotonic() + 300
		while time.monotonic() < deadline:
			frappe.db.rollback()
			done = frappe.db.count("Client Merge", {"survivor": survivor})
			if done >= 4:
				break
			assert worker.poll() is None, "the worker stopped before it was killed"
			time.sleep(0.2)
		else:
			pytest.fail("the worker merged no Clients within 5 minutes")
	finally:
		kill_with_its_work_horse(worker)

	# whatever the moment, each Client is merged completely or untouched
	merged, untouched = merged_and_untouched(survivor, own_contact.name, records)
	if not merged_count_stays(survivor, len(merged)):
		# the bench's Redis queue is shared: another `bench worker` (another test run's) took the job
		merged_and_untouched(survivor, own_contact.name, records)
		pytest.skip("another worker on this bench ran the job: the killed worker was not the one merging")
	assert len(merged) >= 4 and untouched, f"killed after {len(merged)} merges: the test needs it half-way"
	assert summary_of(first_job) is None  # the job never finished
	print(f"worker killed after {len(merged)} of {CLIENTS} merges")

	# the same selection again: the Clients merged before are skipped, the rest merged
	second_job = first_job + "_again"
	enqueue_as_sales_manager(survivor, others, second_job)
	rerun = start_worker("--burst")
	assert rerun.wait(timeout=900) == 0
	summary = wait_for_summary(second_job)  # (run by this worker, or by another one on the bench)
	merged_now, untouched_now = merged_and_untouched(survivor, own_contact.name, records)
	assert not untouched_now and len(merged_now) == CLIENTS
	assert summary["counts"][merge_source.MERGED] == len(untouched)
	assert summary["counts"]["skipped"] == len(merged)
	assert summary["counts"]["failed"] == 0
	frappe.db.rollback()
	assert not frappe.db.exists("Client", {"name": ("in", others)})
