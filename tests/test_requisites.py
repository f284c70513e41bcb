"""Requisites by ИНН against a real HTTP server on loopback that answers as DaData's party API does: the app's
own sample provider (crm_clients/requisites/sample_provider.py, the one scripts/dev-server starts; answers
written from DaData's documented fields in crm_clients/requisites/sample_data/). The app reaches it through its
settings' base URL, as it reaches DaData — in a thread of the test process, and as a process of its own."""

import json
import socket
import subprocess
import sys
import time

import pytest

from tests.conftest import BENCH, skip_module_without_frappe

skip_module_without_frappe()

import frappe
from frappe.utils import getdate, random_string, today

from crm_clients import api
from crm_clients.intake import requisites_source, runner
from crm_clients.requisites import provider, sample_provider
from crm_clients.requisites.sample_provider import (
	COMPANY_INN,  # a head office and a branch
	INDIVIDUAL_INN,
	LIQUIDATED_INN,
	SampleRegister,
	answer,
)
from crm_clients.tax_ids import make_inn
from tests import fixtures
from tests.intake_helpers import upload_fixture  # the `upload` fixture
from tests.test_intake_spreadsheet import csv_text, row

pytestmark = pytest.mark.usefixtures("site")

KEY = "test-key-" + "0" * 8
UNKNOWN_INN = "7728010014"  # nothing found
FIND_BY_ID = f"{sample_provider.PREFIX}/findById/party"
SUGGEST = f"{sample_provider.PREFIX}/suggest/party"


class Register(SampleRegister):
	"""The sample provider's answers, and for bulk runs any unknown ИНН a made-up company (`made_up`)."""

	def __init__(self, key: str):
		super().__init__(key=key)
		self.made_up = False  # answer any unknown ИНН with a made-up company, except those ending in 0

	def organisations(self, query: str) -> list[dict]:
		found = super().organisations(query)
		if not found and self.made_up and query.isdigit() and not query.endswith("0"):
			return made_up_company(query)
		return found


def made_up_company(inn: str) -> list[dict]:
	item = answer("party-company-branches.json")["suggestions"][0]
	item["data"]["inn"] = inn
	item["data"]["name"]["short_with_opf"] = f'ООО "КОМПАНИЯ {inn}"'
	item["data"]["name"]["full_with_opf"] = f'ОБЩЕСТВО С ОГРАНИЧЕННОЙ ОТВЕТСТВЕННОСТЬЮ "КОМПАНИЯ {inn}"'
	item["data"]["management"]["name"] = f"Директоров Директор {inn}"
	return [item]


@pytest.fixture
def register(site):
	"""The loopback provider (the sample provider in a thread), and the settings pointing at it (rolled back with
	the test)."""
	state = Register(KEY)
	server = sample_provider.serve(state)
	state.url = server.url
	configure(server.url, KEY)
	yield state
	server.shutdown()
	server.server_close()
	forget_settings(server.url)


def forget_settings(url: str) -> None:
	frappe.db.rollback()
	if frappe.db.get_single_value(provider.SETTINGS, "requisites_url") == url:
		# a test whose job committed record by record committed these settings too: back to no provider
		configure(
			provider.DEFAULT_URL,
			None,
			requisites_enabled=0,
			requisites_timeout=provider.DEFAULT_TIMEOUT,
			requisites_sample_data=0,
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
	assert register.requests[0] == {"path": FIND_BY_ID, "query": COMPANY_INN, "count": 20}

	only_branch = api.find_organisations(COMPANY_INN, kpp="165501001")
	assert [org["kpp"] for org in only_branch] == ["165501001"]


def test_a_name_is_suggested_and_a_wrong_inn_refused_without_a_request(register):
	assert [org["tax_id"] for org in api.find_organisations("ромашка")] == [COMPANY_INN, COMPANY_INN]
	assert register.requests[-1]["path"] == SUGGEST

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


def linked_addresses(client: str) -> list[str]:
	return frappe.get_all(
		"Dynamic Link",
		filters={"parenttype": "Address", "link_doctype": "Client", "link_name": client},
		pluck="parent",
	)


def test_a_differing_legal_address_is_offered_and_accepting_it_updates_the_linked_address(register):
	client = fixtures.make_client(client_name="Ромашка " + random_string(4), tax_id=COMPANY_INN)
	typed = frappe.get_doc(
		{
			"doctype": "Address",
			"address_title": client.client_name,
			"address_type": "Billing",
			"address_line1": "ул Старая, д 1",
			"city": "г Москва",
			"pincode": "101000",
			"country": "Russian Federation",
			"links": [{"link_doctype": "Client", "link_name": client.name}],
		}
	).insert()

	# side by side: the Client's address and the register's
	compared = api.compare_requisites(client.name)
	offered = {row["fieldname"]: row for row in compared["differing"]}
	assert offered["address"]["current"] == "101000, г Москва, ул Старая, д 1"
	assert offered["address"]["register"] == "125009, г Москва, Тверской р-н, ул Тверская, д 7, кв 15"

	# kept: filling without accepting it leaves the Address as it was
	changed = api.fill_requisites(client.name)
	assert "address" not in changed and "legal_name" in changed
	typed.reload()
	assert (typed.address_line1, typed.pincode) == ("ул Старая, д 1", "101000")
	assert linked_addresses(client.name) == [typed.name]
	assert "address" in [row["fieldname"] for row in api.compare_requisites(client.name)["differing"]]

	# accepted: the same Address takes the register's values, no second Address is made
	assert api.fill_requisites(client.name, accept=json.dumps(["address"])) == ["address"]
	typed.reload()
	assert (typed.address_line1, typed.city, typed.pincode, typed.address_type) == (
		"ул Тверская, д 7, кв 15",
		"г Москва",
		"125009",
		"Billing",
	)
	assert linked_addresses(client.name) == [typed.name]
	assert [row["fieldname"] for row in api.compare_requisites(client.name)["differing"]] == ["client_name"]


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


# The sample provider as scripts/dev-server runs it: a process of its own


@pytest.fixture
def sample_process(site, tmp_path):
	"""`python -m crm_clients.requisites.sample_provider` on a free loopback port, and the site set up for it as
	scripts/dev-server sets it up (`use_on_site`); stopped, and the settings rolled back, after the test."""
	port = free_port()
	log = (tmp_path / "sample-provider.log").open("wb")
	process = subprocess.Popen(
		[sys.executable, "-m", "crm_clients.requisites.sample_provider", *("--port", str(port)), *KEY_ARGS],
		cwd=BENCH / "sites",
		stdout=log,
		stderr=subprocess.STDOUT,
		stdin=subprocess.DEVNULL,
		start_new_session=True,
	)
	log.close()
	url = f"http://127.0.0.1:{port}{sample_provider.PREFIX}"
	try:
		deadline = time.monotonic() + 30
		while not port_is_open(port):
			assert process.poll() is None, (tmp_path / "sample-provider.log").read_text()
			assert time.monotonic() < deadline, "the sample provider did not listen within 30 s"
			time.sleep(0.1)
		configure(provider.DEFAULT_URL, None, requisites_enabled=0, requisites_sample_data=0)
		yield url
	finally:
		process.terminate()
		process.wait(timeout=15)
		forget_settings(url)


KEY_ARGS = ("--key", sample_provider.SAMPLE_KEY)


def port_is_open(port: int) -> bool:
	with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
		sock.settimeout(0.5)
		return sock.connect_ex(("127.0.0.1", port)) == 0


def test_the_sample_provider_process_answers_the_app_as_the_register(sample_process):
	assert sample_provider.use_on_site(sample_process) is True
	frappe.clear_document_cache(provider.SETTINGS, provider.SETTINGS)
	setup = api.get_requisites_setup()
	assert setup["configured"] is True and setup["sample_data"] is True

	found = api.find_organisations(COMPANY_INN)
	assert [(org["branch_type"], org["kpp"]) for org in found] == [
		("MAIN", "770101001"),
		("BRANCH", "165501001"),
	]
	assert found[0]["director"] == "Петров Пётр Сергеевич"
	assert [org["tax_id"] for org in api.find_organisations("старый завод")] == [LIQUIDATED_INN]
	assert api.find_organisations(UNKNOWN_INN) == []

	client = fixtures.make_client(client_name="Образец " + random_string(4), tax_id=COMPANY_INN)
	changed = api.fill_requisites(client.name)
	assert {"legal_name", "kpp", "ogrn", "address", "contacts"} <= set(changed)
	assert frappe.db.get_value("Client", client.name, "kpp") == "770101001"
	assert len(linked_addresses(client.name)) == 1

	# another key is refused, as DaData refuses it
	configure(sample_process, "not-the-sample-key", requisites_sample_data=1)
	with pytest.raises(provider.NotConfigured):
		api.find_organisations(COMPANY_INN)


def test_the_dev_server_keeps_a_real_provider_set_up_by_hand(sample_process):
	configure("https://suggestions.dadata.ru/suggestions/api/4_1/rs", "a-real-key", requisites_sample_data=0)

	assert sample_provider.use_on_site(sample_process) is False

	assert frappe.db.get_single_value(provider.SETTINGS, "requisites_url").startswith("https://suggestions")
	assert not frappe.db.get_single_value(provider.SETTINGS, "requisites_sample_data")


def test_sample_data_is_cleared_when_the_provider_is_not_on_loopback(register):
	configure(register.url, KEY, requisites_sample_data=1)
	assert frappe.db.get_single_value(provider.SETTINGS, "requisites_sample_data") == 1

	configure(provider.DEFAULT_URL, KEY, requisites_sample_data=1)

	assert frappe.db.get_single_value(provider.SETTINGS, "requisites_sample_data") == 0


# Errors: a clear message, and the Client unchanged


def free_port() -> int:
	with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
		sock.bind(("127.0.0.1", 0))
		return sock.getsockname()[1]


@pytest.mark.parametrize(
	"mode, inn, error, words",
	[
		("ok", UNKNOWN_INN, frappe.ValidationError, "no organisation with ИНН"),
		("quota", COMPANY_INN, provider.QuotaSpent, "quota"),
		("error", COMPANY_INN, provider.ProviderUnavailable, "HTTP 500"),
		("busy", COMPANY_INN, provider.ProviderUnavailable, "too many requests"),
		("slow", COMPANY_INN, provider.ProviderUnavailable, "did not answer within 1 seconds"),
		("down", COMPANY_INN, provider.ProviderUnavailable, "cannot be reached"),
	],
)
def test_each_error_says_why_and_leaves_the_client_unchanged(register, mode, inn, error, words):
	client = fixtures.make_client(client_name="Неизменный " + random_string(4), tax_id=inn)
	before = client_state(client.name)
	if mode == "down":  # nothing listens there
		configure(f"http://127.0.0.1:{free_port()}{sample_provider.PREFIX}", KEY)
	else:
		register.mode = mode

	with pytest.raises(error) as raised:
		api.fill_requisites(client.name)

	assert words in str(raised.value)
	assert "nothing was changed" in str(raised.value)
	assert client_state(client.name) == before


def test_without_a_key_the_message_says_how_to_get_one(register):
	configure(register.url, None)
	client = fixtures.make_client(client_name="Без ключа " + random_string(4), tax_id=COMPANY_INN)
	before = client_state(client.name)

	with pytest.raises(provider.NotConfigured) as raised:
		api.fill_requisites(client.name)

	assert "dadata.ru" in str(raised.value) and "10,000 requests a day" in str(raised.value)
	assert client_state(client.name) == before and not register.requests
	assert api.get_requisites_setup()["configured"] is False


def test_a_refused_key_is_said_so_and_the_client_unchanged(register):
	configure(register.url, "wrong-key")
	client = fixtures.make_client(client_name="Чужой ключ " + random_string(4), tax_id=COMPANY_INN)
	before = client_state(client.name)

	with pytest.raises(provider.NotConfigured) as raised:
		api.find_organisations(COMPANY_INN)
	assert "refused the API key" in str(raised.value)
	with pytest.raises(provider.NotConfigured):
		api.fill_requisites(client.name)
	assert client_state(client.name) == before


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
