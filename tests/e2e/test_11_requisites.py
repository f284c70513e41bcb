"""Flow 11: a Sales User fills a new Client from the register by its ИНН («Реквизиты по ИНН»).

The provider is the app's sample provider (crm_clients/requisites/sample_provider.py, the one scripts/dev-server
starts), run as a process of its own on a free loopback port; the site's settings point at it for the run, as
the dev server sets them (`use_on_site`: «Демонстрационные данные» ticked), and are put back after it.

The ИНН typed into a new Client opens «Поиск в реестре» with the organisations found — the head office and its
branch, each with its КПП, address and director, under the notice that the data is a sample. The head office
chosen fills the form (name, full name, type, ИНН, КПП, ОГРН, ОКВЭД, country); saved, the rest is filled from the
register: the legal address (an Address linked to the Client) and the director as a contact person with their
position. The administrator sees in the settings that the provider is the sample server.
"""

import frappe
import pytest
from playwright.sync_api import expect

from crm_clients.requisites import provider, sample_provider
from crm_clients.requisites.sample_provider import COMPANY_INN
from tests.conftest import BENCH
from tests.e2e import services

SETTINGS_FIELDS = ("requisites_enabled", "requisites_url", "requisites_sample_data", "requisites_timeout")


@pytest.fixture(scope="module")
def sample_register(web):
	"""The sample provider as a process on a free loopback port, and the site's settings pointing at it (as
	scripts/dev-server points them); the settings as they were, and the process stopped, after the flow."""
	port = services.free_port()
	folder = web_log_folder()
	service = services.Service(
		"sample-provider",
		[
			str(BENCH / "env" / "bin" / "python"),
			"-m",
			"crm_clients.requisites.sample_provider",
			"--port",
			str(port),
			"--key",
			sample_provider.SAMPLE_KEY,
		],
		cwd=BENCH / "sites",
		log_dir=folder,
	).start()
	frappe.db.rollback()
	settings = frappe.get_doc(provider.SETTINGS)
	before = {field: settings.get(field) for field in SETTINGS_FIELDS}
	before["requisites_api_key"] = settings.get_password("requisites_api_key", raise_exception=False)
	try:
		service.wait_until(lambda: services.port_is_open(port), f"not listening on port {port}")
		settings.requisites_api_key = None  # a key of the site's own would be kept by use_on_site
		settings.save()
		assert sample_provider.use_on_site(f"http://127.0.0.1:{port}{sample_provider.PREFIX}")
		frappe.db.commit()
		yield service
	finally:
		service.stop()
		frappe.db.rollback()
		settings = frappe.get_doc(provider.SETTINGS)
		settings.update(before)
		settings.save()
		frappe.db.commit()
		frappe.clear_document_cache(provider.SETTINGS, provider.SETTINGS)
		frappe.cache.delete_keys("crm_clients_requisites:")


def web_log_folder():
	from tests.e2e.conftest import run_folder

	return run_folder()


def test_a_sales_user_fills_a_new_client_from_its_inn(desk, e2e_data, sample_register):
	assert not frappe.db.exists("Client", {"tax_id": COMPANY_INN}), "a Client of the sample ИНН is left over"
	me = desk("sales_user")
	me.open("/app/client/new")
	me.wait_for_form("Client", "__new__")
	expect(me.title()).to_have_text("Новый Клиент")

	# the ИНН typed: the register's organisations of it are offered
	me.type_into("tax_id", COMPANY_INN).press("Tab")
	dialog = me.dialog()
	expect(dialog.locator(".modal-title")).to_have_text("Поиск в реестре")
	expect(dialog.locator(".crm-requisites-sample")).to_contain_text("Демонстрационные данные")
	organisations = dialog.locator(".crm-requisites-org")
	expect(organisations).to_have_count(2)
	head_office, branch = organisations.nth(0), organisations.nth(1)
	expect(head_office).to_contain_text('ООО "РОМАШКА"')
	expect(head_office).to_contain_text("ИНН 7701234560, КПП 770101001 · Головная организация")
	expect(head_office).to_contain_text("125009, г Москва, Тверской р-н, ул Тверская, д 7, кв 15")
	expect(head_office).to_contain_text("Генеральный директор: Петров Пётр Сергеевич")
	expect(branch).to_contain_text("КПП 165501001 · Филиал")
	expect(branch).to_contain_text("г Казань")
	me.idle()
	me.snap("organisations-found")

	# the head office chosen: the form fills
	head_office.click()
	expect(dialog).to_be_hidden()
	expect(me.alert("Сохраните клиента")).to_be_visible()
	me.idle()
	me.expect_value("client_name", 'ООО "РОМАШКА"')
	me.expect_value("legal_name", 'ОБЩЕСТВО С ОГРАНИЧЕННОЙ ОТВЕТСТВЕННОСТЬЮ "РОМАШКА"')
	me.expect_value("client_type", "Юридическое лицо")
	me.expect_value("kpp", "770101001")
	me.expect_value("ogrn", "1107746000017")
	me.expect_value("okved", "62.01")
	assert me.js("() => cur_frm.doc.country") == "Russian Federation"
	me.snap("form-filled")

	# saved: the legal address and the director come from the register
	me.press_ctrl_s()
	client = me.wait_for_saved("Client")
	expect(me.alert("Заполнено из реестра")).to_be_visible()
	me.wait_for_form("Client", client)
	director_row = me.grid_rows("contacts").filter(has_text="Петров")
	expect(director_row).to_have_count(1)
	expect(director_row).to_contain_text("Пётр Сергеевич Петров")
	expect(me.title()).to_have_text('ООО "РОМАШКА"')
	me.snap("saved-and-filled")
	me.grid("contacts").scroll_into_view_if_needed()
	me.snap("director-as-contact-person")

	frappe.db.rollback()
	saved = frappe.get_doc("Client", client)
	assert (saved.tax_id, saved.kpp, saved.ogrn, str(saved.ogrn_date)) == (
		COMPANY_INN,
		"770101001",
		"1107746000017",
		"2010-01-01",
	)
	assert saved.legal_name == 'ОБЩЕСТВО С ОГРАНИЧЕННОЙ ОТВЕТСТВЕННОСТЬЮ "РОМАШКА"'
	assert (saved.register_status, saved.requisites_source) == ("ACTIVE", "DaData")
	assert saved.owner == e2e_data.users["sales_user"].email
	# the legal address: an ERPNext Address linked to the Client
	addresses = frappe.get_all(
		"Dynamic Link",
		filters={"parenttype": "Address", "link_doctype": "Client", "link_name": client},
		pluck="parent",
	)
	assert len(addresses) == 1
	address = frappe.get_doc("Address", addresses[0])
	assert (address.address_type, address.address_line1, address.city, address.pincode) == (
		"Billing",
		"ул Тверская, д 7, кв 15",
		"г Москва",
		"125009",
	)
	# the director: a contact person with their position
	assert len(saved.contacts) == 1
	director = frappe.get_doc("Contact", saved.contacts[0].contact)
	assert (director.last_name, director.first_name, director.middle_name, director.designation) == (
		"Петров",
		"Пётр",
		"Сергеевич",
		"Генеральный директор",
	)


def test_the_settings_say_the_provider_is_the_sample_server(desk, sample_register):
	me = desk("system_manager")
	me.open("/app/crm-clients-settings")
	me.wait_for_form(provider.SETTINGS)
	# above the form, and beside the ticked «Демонстрационные данные»
	expect(
		me.main.get_by_text(
			"Поставщик — локальный демонстрационный сервер: его компании — примеры, а не данные реестра."
		)
	).to_be_visible()
	sample = me.control("requisites_sample_data")
	expect(sample).to_contain_text("Демонстрационные данные")
	# read-only: the desk draws a ticked box (no `checked` attribute)
	expect(sample.locator("input[type=checkbox]:visible").first).to_have_class("disabled-selected")
	me.snap("settings")
