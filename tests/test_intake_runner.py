"""One way in: Leads and files are sources of one runner (its summary, language, done-event), one rule matches
a Client (and never one the user may not read), one way makes a Contact (and never shows one the user may not
read)."""

import json
import random
import threading
import time

import pytest

from tests.conftest import skip_module_without_frappe

skip_module_without_frappe()

import frappe
from frappe.utils import random_string

from crm_clients import api
from crm_clients.intake import runner
from crm_clients.tax_ids import make_inn
from tests import fixtures, http
from tests.intake_helpers import counts, realtime_events, upload_fixture
from tests.test_intake_spreadsheet import csv_text, row

pytestmark = pytest.mark.usefixtures("site")

LEAD_SOURCE = "crm_clients.intake.lead_source.make_source"
FILE_SOURCE = "crm_clients.intake.importer.make_file_source"


def as_the_worker_runs(source: str, params: dict, job: str) -> dict:
	"""The job's function, then the job runner's commit (which sends the messages published after commit)."""
	summary = runner.run_job(source, params, job=job)
	frappe.db.commit()
	return summary


@pytest.fixture
def russian_sales_user(site):
	previous = frappe.db.get_value("User", fixtures.SALES_USER, "language")
	frappe.db.set_value("User", fixtures.SALES_USER, "language", "ru")
	frappe.db.commit()
	yield fixtures.SALES_USER
	frappe.db.set_value("User", fixtures.SALES_USER, "language", previous)
	frappe.db.commit()


def test_a_lead_job_and_an_import_job_share_one_runner(site, committed, upload, russian_sales_user):
	"""Both speak the language of the user who started them, report in one summary shape, and end with the
	same done-event the desk listens for."""
	tag = random_string(6)
	leads = [committed.add(fixtures.make_lead(company_name=f"Runner {tag} {i}")).name for i in range(2)]
	committed.track("Client", {"client_name": ("like", f"%Runner {tag}%")})
	committed.track("Contact", {"company_name": ("like", f"%Runner {tag}%")})
	frappe.set_user(russian_sales_user)  # the file is the user's own upload
	file_url = upload(
		"runner.csv", csv_text([row(client=f"ООО «Runner {tag} file»", first="Анна", last="Ли")])
	)
	committed.track("File", {"file_url": file_url})
	frappe.db.commit()
	try:
		frappe.local.lang = "en"  # a job starts in the site's language
		lead_summary, lead_events = realtime_events(
			lambda: as_the_worker_runs(LEAD_SOURCE, {"leads": leads}, "t1")
		)
		frappe.local.lang = "en"
		file_summary, file_events = realtime_events(
			lambda: as_the_worker_runs(FILE_SOURCE, {"file_url": file_url}, "t2")
		)
	finally:
		frappe.local.lang = "en"
		frappe.set_user("Administrator")

	for summary in (lead_summary, file_summary):
		assert set(summary) >= {"created", "matched", "skipped", "failed", "records", "counts", "message"}
		assert "Создано клиентов" in summary["message"], summary["message"]
	assert lead_summary["counts"]["created"] == 2 and file_summary["counts"]["created"] == 1
	assert lead_summary["title"] == "Создать клиентов"
	done = [
		[event["message"].get("refresh") for event in events if event["event"] == runner.DONE_EVENT]
		for events in (lead_events, file_events)
	]
	assert done == [["Lead"], ["Client"]], "one done-event each, naming the list to refresh"
	assert runner.get_summary("t1") is None, "another user's summary is not given away"
	frappe.set_user(russian_sales_user)
	assert runner.get_summary("t1")["counts"] == lead_summary["counts"]


def test_a_sheet_row_of_a_client_the_user_cannot_read_fails_without_naming_it(site, upload):
	inn = make_inn("77" + "".join(random.choices("0123456789", k=7)))
	mine = fixtures.make_client(client_name="Mine " + random_string(6))
	hidden = fixtures.make_client(
		client_name="Hidden " + random_string(6), country="Russian Federation", tax_id=inn
	)
	frappe.get_doc(
		{"doctype": "User Permission", "user": fixtures.SALES_USER, "allow": "Client", "for_value": mine.name}
	).insert()
	frappe.set_user(fixtures.SALES_USER)
	before = counts()

	summary = api.import_clients(
		upload(
			"hidden.csv",
			csv_text(
				[
					row(client="Something else", client_type="Юридическое лицо", inn=inn, first="Ира"),
					row(client=hidden.client_name, first="Оля"),
				]
			),
		)
	)

	assert summary["created"] == [] and summary["matched"] == []
	assert [failure["record"] for failure in summary["failed"]] == [2, 3]  # the sheet's rows
	for failure in summary["failed"]:
		assert "no access" in failure["error"]
		assert hidden.name not in failure["error"] and hidden.client_name not in failure["error"]
	assert hidden.name not in summary["message"]
	assert counts() == before, "nothing is made for such a row"


def test_the_new_contact_dialog_never_gives_a_stock_user_someone_elses_contact(site, committed):
	email = f"someone-{random_string(6).lower()}@example.ru"
	theirs = committed.add(fixtures.make_contact("Чужой", email=email, phone="+7 495 111-22-33"))
	token = fixtures.api_credentials(fixtures.NO_CRM_ROLE)
	frappe.db.commit()
	site_name = frappe.local.site
	assert not frappe.has_permission("Contact", "read", doc=theirs.name, user=fixtures.NO_CRM_ROLE)

	status, answer = http.call(
		site_name,
		"POST",
		"/api/method/crm_clients.api.create_contact",
		{"first_name": "Свой", "email": email},
		token,
	)

	mine = (answer.get("message") or {}).get("name")
	committed.track("Contact", {"name": mine or "-"})
	frappe.db.rollback()  # see what the request committed
	assert status == 200, answer
	assert mine != theirs.name, "a Contact the user may not read is neither shown nor reused"
	assert "111-22-33" not in json.dumps(answer) and "Чужой" not in json.dumps(answer)
	assert answer["message"]["full_name"] == "Свой"
	# the owner of the other Contact still finds their own one
	frappe.set_user("Administrator")
	assert api.create_contact("Чужой", email=email)["name"] == theirs.name


@pytest.mark.parametrize("others", [1, 3])
def test_a_contact_name_other_requests_take_meanwhile_does_not_fail_the_row(site, committed, upload, others):
	"""Imports at once, each adding a person of the same name to the same Client: this one's snapshot saw the
	name free, the others insert it (and the next numbers) and commit while its insert waits; the person gets
	the first number none of them took — no failed row."""
	tag = random_string(6)
	client = committed.add(
		fixtures.make_client(
			client_name=f"ООО «Гонка {tag}»", tax_id=make_inn(f"7702{random.randint(10000, 99999)}")
		)
	)
	taken = f"Анна Соседова{tag}"  # a person brought in for a Client is named after themselves alone
	names = [taken] + [f"{taken}-{number}" for number in range(1, others)]
	committed.track("Contact", {"name": ("like", f"Анна Соседова{tag}%")})
	file_url = upload(
		"race.csv",
		csv_text([row(client.client_name, inn=client.tax_id, first="Анна", last=f"Соседова{tag}")]),
	)
	committed.track("File", {"file_url": file_url})
	frappe.db.commit()
	site_name, sites_path = frappe.local.site, frappe.local.sites_path
	inserted, errors = threading.Barrier(others + 1, timeout=60), []

	def another_request(index: int):
		import frappe

		frappe.init(site=site_name, sites_path=sites_path)
		frappe.connect()
		try:
			frappe.get_doc(
				{"doctype": "Contact", "first_name": "Анна", "last_name": f"Соседова{tag}"}
			).insert(set_name=names[index])
			inserted.wait()
			time.sleep(
				1.5 + index
			)  # the import's insert of that name waits for this commit, then finds it taken
			frappe.db.commit()
		except Exception as error:
			errors.append(error)
		finally:
			frappe.destroy()

	threads = [threading.Thread(target=another_request, args=(index,)) for index in range(others)]
	for thread in threads:
		thread.start()
	inserted.wait()
	summary = api.import_clients(file_url)
	for thread in threads:
		thread.join(timeout=60)
	frappe.db.commit()

	assert errors == []
	assert summary["failed"] == [] and summary["matched"] == [client.name]
	assert summary["contacts"]["created"] == [f"{taken}-{others}"]
	assert sorted(
		frappe.get_all("Contact", filters={"name": ("like", f"Анна Соседова{tag}%")}, pluck="name")
	) == sorted([*names, f"{taken}-{others}"])
