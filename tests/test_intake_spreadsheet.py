"""Import Clients from spreadsheets (CSV, XLSX) on a real site: template round-trip, Cyrillic, duplicates
within the file and against the registry, bad rows reported while the rest is imported, re-import,
unknown industries, permissions, and the background path for more than 20 rows."""

import io
import json

import pytest

from tests.conftest import skip_module_without_frappe

skip_module_without_frappe()

import frappe
from frappe.utils import random_string

from crm_clients import api
from crm_clients.intake import importer, runner, spreadsheet
from crm_clients.tax_ids import make_inn
from tests.fixtures import NO_CRM_ROLE, SALES_USER, make_client, make_contact, make_industry, make_region
from tests.intake_helpers import (
	client_by_name,
	contacts_of,
	counts,
	delete_imported,
	realtime_events,
	upload_fixture,
)

pytestmark = pytest.mark.usefixtures("site")

HEADERS_RU = list(spreadsheet.TEMPLATE_HEADERS.values())


def tag() -> str:
	return random_string(6).lower()


def csv_text(rows: list[list[str]], headers=None, delimiter=",") -> str:
	out = io.StringIO()
	import csv

	writer = csv.writer(out, delimiter=delimiter)
	writer.writerow(headers or HEADERS_RU)
	writer.writerows(rows)
	return out.getvalue()


def row(
	client="",
	client_type="",
	country="Россия",
	inn="",
	kpp="",
	industry="",
	region="",
	last="",
	first="",
	middle="",
	position="",
	phone="",
	mobile="",
	email="",
):
	return [
		client,
		client_type,
		country,
		inn,
		kpp,
		industry,
		region,
		last,
		first,
		middle,
		position,
		phone,
		mobile,
		email,
	]


def fill_template(rows: list[list]) -> bytes:
	"""The downloaded template, filled in as a user would in Excel."""
	from openpyxl import load_workbook

	api.download_import_template()
	workbook = load_workbook(io.BytesIO(frappe.response["filecontent"]))
	sheet = workbook["Клиенты"]
	for values in rows:
		sheet.append(values)
	out = io.BytesIO()
	workbook.save(out)
	return out.getvalue()


def test_template_has_russian_headers_and_text_columns(site):
	from openpyxl import load_workbook

	api.download_import_template()
	assert frappe.response["filename"] == "clients-import-template.xlsx"
	workbook = load_workbook(io.BytesIO(frappe.response["filecontent"]))
	assert workbook.sheetnames == ["Клиенты", "Инструкция"]
	sheet = workbook["Клиенты"]
	headers = [cell.value for cell in sheet[1]]
	assert headers[:4] == ["Название клиента", "Тип клиента", "Страна", "ИНН"]
	assert {"КПП", "Отрасль", "Бизнес-регион", "Фамилия", "Имя", "Должность", "Телефон", "E-mail"} <= set(
		headers
	)
	assert sheet.cell(row=2, column=headers.index("ИНН") + 1).number_format == "@"


def test_template_round_trip_with_cyrillic_and_contact_persons(site, upload):
	t = tag()
	industry, region = make_industry(f"Торговля {t}").name, make_region(f"Урал {t}").name
	inn = make_inn("770708389")
	individual_inn = make_inn("5001007322")
	content = fill_template(
		[
			row(
				f"ООО «Ромашка {t}»",
				"Юридическое лицо",
				"Россия",
				inn,
				"770701001",
				industry,
				region,
				"Петров",
				"Иван",
				"Сергеевич",
				"Генеральный директор",
				"+7 (495) 123-45-67",
				"8 916 765-43-21",
				f"petrov-{t}@romashka.ru",
			),
			row(
				f"ООО «Ромашка {t}»",
				"",
				"Россия",
				inn,
				"770701001",
				"",
				"",
				"Смирнова",
				"Мария",
				"",
				"Бухгалтер",
				"",
				"",
				f"smirnova-{t}@romashka.ru",
			),
			row(
				"",
				"Физическое лицо",
				"Россия",
				individual_inn,
				"",
				"",
				"",
				f"Соколов{t}",
				"Андрей",
				"",
				"",
				"",
				"+7 905 123-00-99",
				"",
			),
		]
	)
	before = counts()

	summary = api.import_clients(upload("клиенты.xlsx", content))

	assert summary["failed"] == []
	assert len(summary["created"]) == 2 and summary["matched"] == []
	assert counts()["Client"] == before["Client"] + 2
	assert counts()["Contact"] == before["Contact"] + 3
	company = client_by_name(f"ООО «Ромашка {t}»")
	assert (company.client_type, company.country, company.tax_id, company.kpp) == (
		"Company",
		"Russian Federation",
		inn,
		"770701001",
	)
	assert (company.industry, company.business_region) == (industry, region)
	people = {contact.last_name: contact for contact in contacts_of(company)}
	assert set(people) == {"Петров", "Смирнова"}
	petrov = people["Петров"]
	assert (petrov.first_name, petrov.middle_name, petrov.designation) == (
		"Иван",
		"Сергеевич",
		"Генеральный директор",
	)
	assert petrov.email_id == f"petrov-{t}@romashka.ru"
	assert {(p.phone, p.is_primary_phone, p.is_primary_mobile_no) for p in petrov.phone_nos} == {
		("+7 495 123-45-67", 1, 0),
		("+7 916 765-43-21", 0, 1),
	}
	assert petrov.has_link("Client", company.name)
	person = client_by_name(f"Андрей Соколов{t}")
	assert (person.client_type, person.tax_id) == ("Individual", individual_inn)


def test_numbers_typed_as_numbers_keep_their_leading_zero(site, upload):
	inn = make_inn("010501234")  # Адыгея: the ИНН starts with 0
	t = tag()
	content = fill_template(
		[row(f"ООО «Адыгея {t}»", "", "Россия", int(inn), 10501001, last="Хачемизов", first="Аслан")]
	)

	summary = api.import_clients(upload("adygea.xlsx", content))

	assert summary["failed"] == [], summary["failed"]
	client = client_by_name(f"ООО «Адыгея {t}»")
	assert (client.tax_id, client.kpp) == (inn, "010501001")


def test_cp1251_csv_with_semicolons_and_english_headers(site, upload):
	t = tag()
	russian_excel = csv_text(
		[row(f"АО «Вектор {t}»", last="Орлов", first="Дмитрий", email=f"orlov-{t}@vector.ru")], delimiter=";"
	)
	english = csv_text(
		[
			[
				"Northwind " + t,
				"Company",
				"United States",
				"",
				"John",
				"Smith",
				"Sales Director",
				"+1 212 555 0147",
				f"john-{t}@northwind.com",
			]
		],
		headers=[
			"Client Name",
			"Client Type",
			"Country",
			"Tax ID",
			"First Name",
			"Last Name",
			"Position",
			"Phone",
			"E-mail",
		],
	)

	first = api.import_clients(upload("excel.csv", russian_excel.encode("cp1251")))
	second = api.import_clients(upload("english.csv", english))

	assert (len(first["created"]), first["failed"]) == (1, [])
	assert contacts_of(client_by_name(f"АО «Вектор {t}»"))[0].last_name == "Орлов"
	assert (len(second["created"]), second["failed"]) == (1, [])
	smith = contacts_of(client_by_name("Northwind " + t))[0]
	assert (smith.first_name, smith.last_name, smith.designation, smith.phone) == (
		"John",
		"Smith",
		"Sales Director",
		"+1 212-555-0147",
	)


def test_duplicates_within_the_file_and_against_the_registry(site, upload):
	t = tag()
	inn = make_inn("780200001")
	existing = make_client(
		client_name=f"ООО «Альфа {t}»", country="Russian Federation", tax_id=inn, kpp="780201001"
	)
	known_person = make_contact("Олег", email=f"oleg-{t}@alfa.ru")
	phone_person = make_contact("Пётр", phone="8 (495) 111-22-33")
	before = counts()
	rows = [
		# the registry's Client, by ИНН+КПП although the name is written differently
		row(
			f"Альфа {t}",
			"",
			"Россия",
			inn,
			"780201001",
			last="Олегов",
			first="Олег",
			email=f"OLEG-{t}@alfa.ru",
		),
		# a new Client, twice in the file, with two persons
		row(f"ООО «Бета {t}»", last="Иванов", first="Иван", email=f"ivanov-{t}@beta.ru"),
		row(f"Бета {t}", last="Сидоров", first="Семён", phone="+7 495 111 22 33"),
		# the same person again: no second Contact, no second row
		row(f"ООО «БЕТА {t}»", last="Иванов", first="Иван", email=f"ivanov-{t}@beta.ru"),
	]

	summary = api.import_clients(upload("dupes.csv", csv_text(rows)))

	assert summary["failed"] == []
	beta = client_by_name(f"ООО «Бета {t}»")
	assert summary["created"] == [beta.name]
	assert summary["matched"] == [existing.name]
	assert counts()["Client"] == before["Client"] + 1
	assert counts()["Contact"] == before["Contact"] + 1  # only Иванов is new
	assert [row.contact for row in frappe.get_doc("Client", existing.name).contacts] == [known_person.name]
	beta_contacts = [row.contact for row in beta.contacts]
	assert len(beta_contacts) == 2 and phone_person.name in beta_contacts  # matched by the phone number
	assert [r["outcome"] for r in summary["records"]] == ["matched", "created", "matched", "matched"]


def test_a_bad_inn_row_is_reported_and_the_rest_imported(site, upload):
	t = tag()
	rows = [
		row(f"ООО «Первая {t}»", last="Первов", first="Пётр"),
		row(
			f"ООО «Плохой ИНН {t}»",
			inn="1234567890",
			last="Плохов",
			first="Павел",
			email=f"bad-{t}@example.com",
		),
		row(f"ООО «Третья {t}»", last="Третьяков", first="Тимофей"),
		row(f"ООО «Плохая почта {t}»", last="Почтов", first="Пётр", email="not-an-email"),
	]
	before = counts()

	summary = api.import_clients(upload("bad-inn.csv", csv_text(rows)))

	assert len(summary["created"]) == 2
	failed = {entry["record"]: entry["error"] for entry in summary["failed"]}
	assert set(failed) == {3, 5}  # sheet rows: the header is row 1
	assert "1234567890" in failed[3] and "check digit" in failed[3]
	assert "not-an-email" in failed[5]
	# nothing half-made: neither the Client nor the Contact of a failed row stays
	assert not frappe.db.exists("Client", {"client_name": f"ООО «Плохой ИНН {t}»"})
	assert not frappe.db.exists("Contact Email", {"email_id": f"bad-{t}@example.com"})
	assert counts()["Client"] == before["Client"] + 2
	assert counts()["Contact"] == before["Contact"] + 2
	assert "3" in summary["message"] and "1234567890" in summary["message"]


def test_reimporting_the_same_file_creates_nothing(site, upload):
	t = tag()
	rows = [
		row(
			f"ООО «Повтор {t}»",
			inn=make_inn("770100123"),
			last="Повторов",
			first="Иван",
			phone="+7 495 000-11-22",
		),
		row(f"ООО «Повтор {t}»", inn="", last="Второв", first="Пётр", email=f"vtorov-{t}@example.ru"),
		row("", "Физическое лицо", last=f"Одинцов{t}", first="Олег", mobile="+7 916 000-11-22"),
	]
	file_url = upload("again.csv", csv_text(rows))
	first = api.import_clients(file_url)
	after_first = counts()

	second = api.import_clients(file_url)

	assert counts() == after_first
	assert second["created"] == [] and second["failed"] == []
	assert sorted(second["matched"]) == sorted(first["created"])
	assert second["contacts"]["created"] == []
	assert sorted(second["contacts"]["matched"]) == sorted(first["contacts"]["created"])


def test_unknown_industry_and_region_are_reported_not_created(site, upload):
	t = tag()
	rows = [
		row(f"ООО «Отрасль {t}»", industry=f"Космос {t}", region=f"Марс {t}", last="Гагарин", first="Юрий")
	]
	file_url = upload("unknown.csv", csv_text(rows))

	summary = api.import_clients(file_url)

	assert summary["created"] == []
	assert summary["unknown"] == {"industry": [f"Космос {t}"], "business_region": []}
	assert f"Космос {t}" in summary["failed"][0]["error"]
	assert not frappe.db.exists("Industry", f"Космос {t}")

	summary = api.import_clients(file_url, create_missing_masters=1)

	assert len(summary["created"]) == 1 and summary["failed"] == []
	client = frappe.get_doc("Client", summary["created"][0])
	assert (client.industry, client.business_region) == (f"Космос {t}", f"Марс {t}")


def test_a_sheet_without_headers_is_refused_with_a_clear_message(site, upload):
	with pytest.raises(frappe.ValidationError, match="Client Name"):
		api.import_clients(upload("no-headers.csv", "ООО Ромашка,Иван\nООО Лютик,Пётр\n"))
	with pytest.raises(frappe.ValidationError, match=r"\.csv, \.xlsx and \.vcf"):
		api.import_clients(upload("notes.txt", "hello"))


def test_import_needs_create_on_client_and_contact_before_reading(site, upload):
	file_url = upload("private.csv", csv_text([row("ООО «Тайна»", last="Тайнов", first="Иван")]))
	frappe.set_user(NO_CRM_ROLE)
	with pytest.raises(frappe.PermissionError, match="Client"):
		api.import_clients("/private/files/does-not-exist.csv")
	with pytest.raises(frappe.PermissionError):
		api.import_clients(file_url)


def test_sales_user_cannot_import_a_file_of_someone_else(site, upload):
	file_url = upload("admins.csv", csv_text([row("ООО «Чужой»", last="Чужов", first="Иван")]))
	frappe.set_user(SALES_USER)
	with pytest.raises(frappe.PermissionError, match="read"):
		api.import_clients(file_url)


def test_sales_user_imports_own_file(site, upload):
	t = tag()
	frappe.set_user(SALES_USER)
	summary = api.import_clients(
		upload("mine.csv", csv_text([row(f"ООО «Своя {t}»", last="Свой", first="Иван")]))
	)
	assert len(summary["created"]) == 1
	assert frappe.db.get_value("Client", summary["created"][0], "owner") == SALES_USER


# More than 20 rows: the background job


def many_rows(t: str, count: int) -> list[list[str]]:
	rows = []
	for index in range(count):
		rows.append(
			row(
				f"ООО «Фон {t} {index // 2}»",
				last=f"Фонов{index}",
				first="Иван",
				email=f"fon-{t}-{index}@example.ru",
			)
		)
	rows[7] = row(f"ООО «Фон {t} плохой»", inn="12345", last="Плохов", first="Иван")
	return rows


def test_more_than_20_rows_go_to_a_background_job(site, upload):
	before = counts()
	result = api.import_clients(upload("many.csv", csv_text(many_rows(tag(), 25))))
	assert set(result) == {"job", "total"} and result["total"] == 25
	assert counts() == before  # nothing is imported in the request


def test_the_background_job_shows_progress_and_sends_the_summary(site, upload):
	"""The job function in-process, as the worker runs it: it commits record by record (cleaned up here)."""
	from frappe.utils.background_jobs import get_redis_connection_without_auth

	t = tag()
	file_url = upload("job.csv", csv_text(many_rows(t, 60)))
	frappe.db.commit()
	summary = None
	try:
		summary, events = realtime_events(
			lambda: runner.run_job(
				"crm_clients.intake.importer.make_file_source", {"file_url": file_url}, job=f"test-{t}"
			)
		)
	finally:
		if summary:
			delete_imported(summary)
		frappe.delete_doc("File", frappe.db.get_value("File", {"file_url": file_url}), force=True)
		frappe.db.commit()

	assert len(summary["created"]) == 30 and len(summary["failed"]) == 1
	assert summary["failed"][0]["record"] == 9 and "12345" in summary["failed"][0]["error"]
	assert len(summary["contacts"]["created"]) == 59
	progress = [event["message"] for event in events if event["event"] == "progress"]
	assert progress and progress[-1]["percent"] == 100
	assert [p["percent"] for p in progress] == sorted(p["percent"] for p in progress)
	assert "60" in progress[-1]["description"]
	assert importer.get_summary(f"test-{t}")["counts"] == summary["counts"]


def test_a_1000_row_sheet_imports_in_one_go(site, upload):
	"""What the background job does with a large sheet, in-process and rolled back; the time is printed."""
	import time

	from openpyxl import Workbook

	t = tag()
	workbook = Workbook()
	sheet = workbook.active
	sheet.append(HEADERS_RU)
	for index in range(1000):
		sheet.append(
			row(
				f"ООО «Тысяча {t} {index // 4}»",
				inn=make_inn(f"77{index // 4:07d}") if index % 8 < 4 else "",
				last=f"Строкин{index}",
				first="Иван",
				position="Менеджер",
				phone=f"+7 495 {index // 100:03d}-{index % 100:02d}-{(index * 7) % 100:02d}",
				email=f"row-{t}-{index}@example.ru",
			)
		)
	content = io.BytesIO()
	workbook.save(content)
	file = importer.get_file(upload("1000.xlsx", content.getvalue()))
	before = counts()
	started = time.monotonic()

	summary = runner.run(importer.make_file_source(file.file_url))

	elapsed = time.monotonic() - started
	print(f"\n1,000-row sheet: {elapsed:.1f} s ({summary['counts']})")
	assert summary["failed"] == []
	assert len(summary["created"]) == 250 and len(summary["contacts"]["created"]) == 1000
	assert counts()["Client"] == before["Client"] + 250


def test_a_real_worker_runs_the_import_job(site, upload):
	"""The request queues the job once it commits; `bench worker --burst` runs it; the summary is kept."""
	import shutil
	import subprocess

	from tests.conftest import BENCH, SITE

	if not shutil.which("bench"):
		pytest.skip("the bench command is not installed")
	t = tag()
	file_url = upload("worker.csv", csv_text(many_rows(t, 24)))
	frappe.db.commit()
	summary = None
	try:
		result = api.import_clients(file_url)
		frappe.db.commit()  # the job is queued after the commit
		worker = subprocess.run(
			["bench", "--site", SITE, "worker", "--queue", "long", "--burst"],
			cwd=BENCH,
			capture_output=True,
			text=True,
			timeout=600,
		)
		summary = importer.get_summary(result["job"])
	finally:
		if summary:
			delete_imported(summary)
		frappe.delete_doc("File", frappe.db.get_value("File", {"file_url": file_url}), force=True)
		frappe.db.commit()

	assert worker.returncode == 0, worker.stderr[-2000:]
	assert summary is not None, worker.stderr[-2000:]
	assert len(summary["created"]) == 12 and [f["record"] for f in summary["failed"]] == [9]
	assert len(summary["contacts"]["created"]) == 23


def test_a_number_typed_any_way_is_found_by_its_indexed_key(site):
	"""A Contact saved from the desk or the API gets each number's E.164 key; a re-saved Contact keeps it
	current; the intake finds the Contact by it."""
	from crm_clients.contacts import contacts_with_phone

	contact = make_contact("Фёдор", phone="8 (812) 555-01-02")
	assert [row.phone_key for row in contact.phone_nos] == ["+78125550102"]
	assert contacts_with_phone("+78125550102") == [contact.name]

	contact.phone_nos[0].phone = "+7 812 555 01 03"
	contact.save(ignore_permissions=True)
	assert contacts_with_phone("+78125550102") == []
	assert contacts_with_phone("+78125550103") == [contact.name]
