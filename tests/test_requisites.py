"""Requisites by ИНН against a real HTTP server on loopback that answers as DaData's party API does (answers
written from DaData's documented fields: tests/data/dadata/). The app reaches it through its settings' base
URL, as it reaches DaData."""

import json
import time
from pathlib import Path

import pytest

from tests.conftest import skip_module_without_frappe

skip_module_without_frappe()

import frappe
from frappe.utils import getdate, random_string, today
from werkzeug import Response

from crm_clients import api
from crm_clients.intake import requisites_source, runner
from crm_clients.requisites import provider
from crm_clients.tax_ids import make_inn
from tests import fixtures
from tests.intake_helpers import upload_fixture  # the `upload` fixture
from tests.test_intake_spreadsheet import csv_text, row

pytestmark = pytest.mark.usefixtures("site")

DATA = Path(__file__).parent / "data" / "dadata"
KEY = "test-key-" + "0" * 8
COMPANY_INN = "7701234560"  # party-company-branches.json: a head office and a branch
INDIVIDUAL_INN = "770123456703"  # party-individual.json
LIQUIDATED_INN = "5001007329"  # party-liquidated.json
UNKNOWN_INN = "7728010014"  # nothing found


def answer(name: str) -> dict:
	return json.loads((DATA / name).read_text(encoding="utf-8"))


FILES = {
	COMPANY_INN: "party-company-branches.json",
	INDIVIDUAL_INN: "party-individual.json",
	LIQUIDATED_INN: "party-liquidated.json",
}


class Register:
	"""What the loopback provider answers: the files by ИНН; a mode for errors; the requests it got."""

	def __init__(self):
		self.mode = "ok"
		self.requests: list[dict] = []
		self.quota_after: int | None = None  # answer 403 after this many requests
		self.made_up = False  # answer any unknown ИНН with a made-up company (bulk runs)

	def handle(self, request):
		if request.headers.get("Authorization") != f"Token {KEY}":
			return Response(json.dumps({"message": "Unauthorized"}), status=401)
		body = request.get_json(force=True)
		self.requests.append({"path": request.path, **body})
		if self.quota_after is not None and len(self.requests) > self.quota_after:
			return Response((DATA / "quota-spent.json").read_text(), status=403)
		if self.mode == "quota":
			return Response((DATA / "quota-spent.json").read_text(), status=403)
		if self.mode == "error":
			return Response("<html>Internal Server Error</html>", status=500)
		if self.mode == "slow":
			time.sleep(2.5)
		return Response(json.dumps(self.suggestions(request.path, body), ensure_ascii=False), status=200)

	def suggestions(self, path: str, body: dict) -> dict:
		query = body.get("query", "")
		if path.endswith("suggest/party"):
			found = [
				item
				for name in FILES.values()
				for item in answer(name)["suggestions"]
				if query.lower() in item["value"].lower()
			]
			return {"suggestions": found}
		if query in FILES:
			items = answer(FILES[query])["suggestions"]
		elif self.made_up and not query.endswith("0"):
			items = made_up_company(query)
		else:
			items = []
		if body.get("kpp"):
			items = [item for item in items if item["data"].get("kpp") == body["kpp"]]
		if body.get("branch_type"):
			items = [item for item in items if item["data"].get("branch_type") in (body["branch_type"], None)]
		return {"suggestions": items}


def made_up_company(inn: str) -> list[dict]:
	item = answer("party-company-branches.json")["suggestions"][0]
	item["data"]["inn"] = inn
	item["data"]["name"]["short_with_opf"] = f'ООО "КОМПАНИЯ {inn}"'
	item["data"]["name"]["full_with_opf"] = f'ОБЩЕСТВО С ОГРАНИЧЕННОЙ ОТВЕТСТВЕННОСТЬЮ "КОМПАНИЯ {inn}"'
	item["data"]["management"]["name"] = f"Директоров Директор {inn}"
	return [item]


@pytest.fixture
def register(site, httpserver):
	"""The loopback provider, and the settings pointing at it (rolled back with the test)."""
	state = Register()
	httpserver.expect_request("/rs/findById/party", method="POST").respond_with_handler(state.handle)
	httpserver.expect_request("/rs/suggest/party", method="POST").respond_with_handler(state.handle)
	configure(httpserver.url_for("/rs"), KEY)
	yield state
	frappe.db.rollback()
	if frappe.db.get_single_value(provider.SETTINGS, "requisites_url") == httpserver.url_for("/rs"):
		# a test whose job committed record by record committed these settings too: back to no provider
		configure(
			provider.DEFAULT_URL, None, requisites_enabled=0, requisites_timeout=provider.DEFAULT_TIMEOUT
		)
		frappe.db.commit()
	frappe.clear_document_cache(provider.SETTINGS, provider.SETTINGS)
	frappe.cache.delete_keys("crm_clients_requisites:")


def configure(url: str, key: str | None, **values) -> None:
	settings = frappe.get_doc(provider.SETTINGS)
	settings.update(
		{
			"requisites_enabled": 1,
			"requisites_url": url,
			"requisites_api_key": key,
			"requisites_timeout": 1,
			"requisites_recheck_days": 7,
			"requisites_daily_quota": 10000,
			"requisites_quota_spent_on": None,
			**values,
		}
	)
	settings.save()
	frappe.clear_document_cache(provider.SETTINGS, provider.SETTINGS)
	frappe.cache.delete_keys("crm_clients_requisites:")


def client_state(name: str) -> dict:
	"""What a failed request must leave as it was: the Client's fields, its contact rows and Addresses."""
	doc = frappe.get_doc("Client", name)
	values = {key: value for key, value in doc.as_dict().items() if key not in ("modified", "contacts")}
	values["contacts"] = [row.contact for row in doc.contacts]
	values["addresses"] = frappe.get_all(
		"Dynamic Link", filters={"parenttype": "Address", "link_doctype": "Client", "link_name": name}
	)
	return values


# Finding


def test_an_inn_finds_the_head_office_first_then_its_branches(register):
	found = api.find_organisations(COMPANY_INN)

	assert [org["branch_type"] for org in found] == ["MAIN", "BRANCH"]
	main, branch = found
	assert main["client_name"] == 'ООО "РОМАШКА"'
	assert main["legal_name"] == 'ОБЩЕСТВО С ОГРАНИЧЕННОЙ ОТВЕТСТВЕННОСТЬЮ "РОМАШКА"'
	assert (main["client_type"], main["tax_id"], main["kpp"], main["ogrn"]) == (
		"Company",
		COMPANY_INN,
		"770101001",
		"1107746000017",
	)
	assert main["director"] == "Петров Пётр Сергеевич" and main["director_position"] == "ГЕНЕРАЛЬНЫЙ ДИРЕКТОР"
	assert main["okved"] == "62.01" and main["register_status"] == "ACTIVE"
	assert main["address"].startswith("125009, г Москва")
	assert branch["kpp"] == "165501001" and "Казань" in branch["address"]
	assert register.requests[0] == {"path": "/rs/findById/party", "query": COMPANY_INN, "count": 20}

	only_branch = api.find_organisations(COMPANY_INN, kpp="165501001")
	assert [org["kpp"] for org in only_branch] == ["165501001"]


def test_a_name_is_suggested_and_a_wrong_inn_refused_without_a_request(register):
	assert [org["tax_id"] for org in api.find_organisations("ромашка")] == [COMPANY_INN, COMPANY_INN]
	assert register.requests[-1]["path"] == "/rs/suggest/party"

	requests = len(register.requests)
	with pytest.raises(frappe.ValidationError):
		api.find_organisations("7701234561")  # a wrong check digit
	assert len(register.requests) == requests


# Filling a Client


def test_a_company_fills_the_empty_fields_and_shows_the_differing_side_by_side(register):
	industry = frappe.db.get_value("Industry", "Информация и связь") or (
		fixtures.make_industry("Информация и связь").name
	)
	region = fixtures.make_region("Москва " + random_string(4))
	settings = frappe.get_doc(provider.SETTINGS)
	settings.set("okved_industries", [])
	settings.append("region_business_regions", {"region": "г Москва", "business_region": region.name})
	settings.save()
	client = fixtures.make_client(client_name="Ромашка", tax_id=COMPANY_INN)

	compared = api.compare_requisites(client.name)
	assert [row["fieldname"] for row in compared["differing"]] == ["client_name"]
	assert compared["differing"][0]["register"] == 'ООО "РОМАШКА"'

	changed = api.fill_requisites(client.name)

	client.reload()
	assert client.client_name == "Ромашка"  # filled by the user: kept
	assert {"legal_name", "kpp", "ogrn", "ogrn_date", "okved", "industry", "business_region"} <= set(changed)
	assert {"register_status", "address", "contacts"} <= set(changed)
	assert client.legal_name == 'ОБЩЕСТВО С ОГРАНИЧЕННОЙ ОТВЕТСТВЕННОСТЬЮ "РОМАШКА"'
	assert (client.kpp, client.ogrn, str(client.ogrn_date), client.okved) == (
		"770101001",
		"1107746000017",
		"2010-01-01",
		"62.01",
	)
	assert client.industry == industry  # the default by ОКВЭД section (J)
	assert client.business_region == region.name  # the settings' table
	assert client.register_status == "ACTIVE"
	assert client.requisites_source == "DaData" and client.requisites_fetched_on
	# the legal address, linked to the Client
	address = frappe.get_doc(
		"Address",
		frappe.db.get_value(
			"Dynamic Link",
			{"parenttype": "Address", "link_doctype": "Client", "link_name": client.name},
			"parent",
		),
	)
	assert (address.address_type, address.city, address.pincode, address.country) == (
		"Billing",
		"г Москва",
		"125009",
		"Russian Federation",
	)
	assert address.address_line1 == "ул Тверская, д 7, кв 15"
	# the director, a contact person with their position
	director = frappe.get_doc("Contact", client.contacts[0].contact)
	assert (director.last_name, director.first_name, director.middle_name) == ("Петров", "Пётр", "Сергеевич")
	assert director.designation == "Генеральный директор"

	# filling again changes nothing; accepting the register's name replaces it
	assert api.fill_requisites(client.name) == []
	assert api.fill_requisites(client.name, accept=json.dumps(["client_name"])) == ["client_name"]
	assert frappe.db.get_value("Client", client.name, "client_name") == 'ООО "РОМАШКА"'
	assert len(frappe.get_doc("Client", client.name).contacts) == 1


def test_a_branch_is_filled_with_its_own_kpp_and_address(register):
	client = fixtures.make_client(client_name="Ромашка Казань", tax_id=COMPANY_INN, kpp="165501001")

	api.fill_requisites(client.name)

	assert frappe.db.get_value("Client", client.name, "kpp") == "165501001"
	addresses = frappe.get_all(
		"Dynamic Link",
		filters={"parenttype": "Address", "link_doctype": "Client", "link_name": client.name},
		pluck="parent",
	)
	assert frappe.db.get_value("Address", addresses[0], "city") == "г Казань"
	assert register.requests[0]["kpp"] == "165501001"


def test_an_individual_entrepreneur(register):
	client = fixtures.make_client(client_name="Мария", client_type="Individual", tax_id=INDIVIDUAL_INN)

	changed = api.fill_requisites(client.name)

	client.reload()
	assert client.legal_name == "Индивидуальный предприниматель Иванова Мария Александровна"
	assert client.ogrn == "319774600000012" and not client.kpp
	assert "contacts" not in changed and not client.contacts  # the entrepreneur is the Client
	assert client.register_status == "ACTIVE"


def test_the_form_flow_of_a_new_client_from_its_inn(register):
	"""The desk's path: choose an organisation, save the Client with its name and ИНН, then fill the rest."""
	org = api.find_organisations(COMPANY_INN)[0]
	client = frappe.get_doc(
		{
			"doctype": "Client",
			"client_name": org["client_name"],
			"client_type": org["client_type"],
			"tax_id": org["tax_id"],
			"kpp": org["kpp"],
		}
	).insert()

	frappe.set_user(fixtures.SALES_USER)
	changed = api.fill_requisites(client.name)
	frappe.set_user("Administrator")

	assert "address" in changed and "contacts" in changed and "legal_name" in changed


# Errors: a clear message, and the Client unchanged


@pytest.mark.parametrize(
	"mode, inn, error, words",
	[
		("ok", UNKNOWN_INN, frappe.ValidationError, "no organisation with ИНН"),
		("quota", COMPANY_INN, provider.QuotaSpent, "quota"),
		("error", COMPANY_INN, provider.ProviderUnavailable, "HTTP 500"),
		("slow", COMPANY_INN, provider.ProviderUnavailable, "did not answer within 1 seconds"),
	],
)
def test_each_error_says_why_and_leaves_the_client_unchanged(register, mode, inn, error, words):
	client = fixtures.make_client(client_name="Неизменный " + random_string(4), tax_id=inn)
	before = client_state(client.name)
	register.mode = mode

	with pytest.raises(error) as raised:
		api.fill_requisites(client.name)

	assert words in str(raised.value)
	assert "nothing was changed" in str(raised.value)
	assert client_state(client.name) == before


def test_without_a_key_the_message_says_how_to_get_one(register, httpserver):
	configure(httpserver.url_for("/rs"), None)
	client = fixtures.make_client(client_name="Без ключа " + random_string(4), tax_id=COMPANY_INN)
	before = client_state(client.name)

	with pytest.raises(provider.NotConfigured) as raised:
		api.fill_requisites(client.name)

	assert "dadata.ru" in str(raised.value) and "10,000 requests a day" in str(raised.value)
	assert client_state(client.name) == before and not register.requests
	assert api.get_requisites_setup()["configured"] is False


def test_a_refused_key_is_said_so(register, httpserver):
	configure(httpserver.url_for("/rs"), "wrong-key")
	with pytest.raises(provider.NotConfigured) as raised:
		api.find_organisations(COMPANY_INN)
	assert "refused the API key" in str(raised.value)


# The register's status


def test_a_liquidated_company_is_converted_only_after_a_sales_master_manager_confirms(register):
	client = fixtures.make_client(client_name="Старый завод " + random_string(4), tax_id=LIQUIDATED_INN)
	api.fill_requisites(client.name)
	client.reload()
	assert (client.register_status, str(client.register_status_date)) == ("LIQUIDATED", "2023-06-12")

	frappe.set_user(fixtures.MASTER_MANAGER)
	with pytest.raises(frappe.ValidationError) as refused:
		api.convert_to_customer(client.name)
	assert "liquidated on 12-06-2023" in str(refused.value) or "2023" in str(refused.value)
	assert not frappe.db.get_value("Client", client.name, "customer")

	frappe.set_user(fixtures.SALES_USER)
	with pytest.raises(frappe.PermissionError):
		api.confirm_liquidated_conversion(client.name)

	frappe.set_user(fixtures.MASTER_MANAGER)
	api.confirm_liquidated_conversion(client.name)
	customer = api.convert_to_customer(client.name)
	frappe.set_user("Administrator")

	assert frappe.db.get_value("Client", client.name, "customer") == customer
	assert frappe.db.get_value("Client", client.name, "liquidated_conversion_confirmed_by") == (
		fixtures.MASTER_MANAGER
	)
	# the legal address went to the Customer with the contact persons
	assert frappe.db.exists(
		"Dynamic Link", {"parenttype": "Address", "link_doctype": "Customer", "link_name": customer}
	)


# Many Clients


def test_fifty_clients_are_updated_in_the_background_with_a_summary(register, committed):
	register.made_up = True  # any ИНН is a company, except those ending in 0: not found
	tag = random_string(6)
	names, not_found = [], 0
	for index in range(50):
		inn = make_inn(f"77{index:02d}{frappe.generate_hash(length=5).translate(HEX_TO_DIGITS)}")
		not_found += inn.endswith("0")
		client = fixtures.make_client(client_name=f"Пакет {tag} {index}", tax_id=inn)
		names.append(committed.add(client).name)
	committed.track("Contact", {"last_name": "Директоров", "company_name": ("like", f"%Пакет {tag}%")})
	committed.track("Address", {"address_title": ("like", f"%Пакет {tag}%")})
	frappe.db.commit()

	started = api.update_requisites(json.dumps(names))
	frappe.db.rollback()  # the job is enqueued after a commit: run here instead, as the worker would
	assert started["total"] == 50 and started["job"].startswith(runner.JOB_PREFIX)
	summary = runner.run_job(requisites_source.SOURCE, {"clients": names}, job=started["job"])

	assert summary["counts"]["matched"] == 50 - not_found  # updated
	assert summary["counts"].get(requisites_source.NOT_FOUND, 0) == not_found
	assert summary["counts"]["failed"] == 0
	assert f"Clients updated: {50 - not_found}" in summary["message"]
	assert f"Not found in the register: {not_found}" in summary["message"]
	assert runner.get_summary(started["job"])["counts"] == summary["counts"]
	updated = frappe.get_all(
		"Client", filters={"name": ("in", names), "legal_name": ("is", "set")}, pluck="name"
	)
	assert len(updated) == 50 - not_found


HEX_TO_DIGITS = str.maketrans("abcdef", "123456")


def test_the_weekly_recheck_stops_at_the_quota_and_goes_on_next_time(register):
	clients = [
		fixtures.make_client(client_name=f"Проверка {index}", tax_id=tax_id, client_type=client_type)
		for index, (tax_id, client_type) in enumerate(
			((COMPANY_INN, "Company"), (INDIVIDUAL_INN, "Individual"), (LIQUIDATED_INN, "Company"))
		)
	]
	register.made_up = True
	due = frappe.db.count("Client", {"tax_id": ("is", "set"), "requisites_fetched_on": ("is", "not set")})
	register.quota_after = 2

	first = requisites_source.recheck()

	assert first["stopped"] == "quota" and 1 <= first["checked"] <= 2  # a Client with a КПП asks twice
	assert str(frappe.db.get_single_value(provider.SETTINGS, "requisites_quota_spent_on")) == today()
	# the same day: nothing is asked
	asked = len(register.requests)
	assert requisites_source.recheck()["checked"] == 0 and len(register.requests) == asked

	# the next day: the quota is back, the re-check goes on from the Clients not checked
	frappe.db.set_single_value(provider.SETTINGS, "requisites_quota_spent_on", getdate("2000-01-01"))
	frappe.clear_document_cache(provider.SETTINGS, provider.SETTINGS)
	register.quota_after = None
	second = requisites_source.recheck()

	assert second["stopped"] is None and first["checked"] + second["checked"] == due
	assert frappe.db.get_value("Client", clients[2].name, "register_status") == "LIQUIDATED"
	assert all(frappe.db.get_value("Client", client.name, "requisites_fetched_on") for client in clients)
	assert requisites_source.recheck()["checked"] == 0  # all checked within the week


# The intake


def test_a_sheet_of_inn_only_rows_is_imported_with_the_registers_names(register, upload):
	rows = [row("", inn=COMPANY_INN), row("", inn=INDIVIDUAL_INN), row("", inn=UNKNOWN_INN)]

	summary = api.import_clients(upload("inn-only.csv", csv_text(rows)))

	names = {
		frappe.db.get_value("Client", name, "tax_id"): frappe.db.get_value(
			"Client", name, ["client_name", "client_type"]
		)
		for name in summary["created"]
	}
	assert names[COMPANY_INN] == ('ООО "РОМАШКА"', "Company")
	assert names[INDIVIDUAL_INN] == ("ИП Иванова Мария Александровна", "Individual")
	assert [entry["record"] for entry in summary["failed"]] == [4]  # not in the register, and no name
	assert summary["from_register"] == [2, 3]
	assert "Named from the register by their ИНН: 2" in summary["message"]
