"""Flow 2: a Sales User creates a Client in the registry, as the seed describes the form.

The name typed; Industry and Business Region chosen from their dropdowns; «Добавить строку» adds a contact
row, an existing Contact is chosen and its phone and e-mail fill in; a second person is made through
«Новое контактное лицо»; «Сохранить». A wrong ИНН is refused with the message and nothing is saved, by
Ctrl+S as by «Сохранить и закрыть»; «Сохранить и закрыть» saves and returns to the registry.
"""

import re

import frappe
from playwright.sync_api import expect

from tests.e2e.desk import DESK

SAVED_CLIENT_URL = re.compile(DESK + r"/client/CL-\d{4}-\d+(#\w+)?$")  # Frappe 16 adds the tab: #details_tab


def test_create_a_client_with_two_contact_persons(desk, e2e_data):
	token = e2e_data.token
	me = desk("sales_user")
	me.open_list("Client")
	me.button("Добавить Клиент").click()
	me.wait_for_form("Client", "__new__")
	expect(me.title()).to_have_text("Новый Клиент")
	expect(me.indicator()).to_have_text("Не сохранено")

	name = f"ООО Северсталь-Сервис {token}"
	me.type_into("client_name", name)
	me.choose("industry", "Металлург", e2e_data.industry)
	me.choose("business_region", "Урал", e2e_data.region)
	me.expect_value("industry", e2e_data.industry)
	me.expect_value("business_region", e2e_data.region)

	# «+»: a contact row; the existing Contact chosen from the dropdown fills in its phone and e-mail
	contacts = me.grid("contacts")
	contacts.get_by_role("button", name="Добавить строку").click()
	row = me.grid_rows("contacts").nth(0)
	contact_field = row.locator('.frappe-control[data-fieldname="contact"] input')
	if not contact_field.is_visible():
		row.locator('.grid-static-col[data-fieldname="contact"]').click()
	contact_field.click()
	contact_field.press_sequentially(f"Сидоров {token}")
	me.pick(contact_field, e2e_data.contact)
	expect(me.grid_cell("contacts", 1, "phone")).to_contain_text(e2e_data.contact_phone)
	expect(me.grid_cell("contacts", 1, "email")).to_contain_text(e2e_data.contact_email)
	expect(me.grid_cell("contacts", 1, "full_name")).to_contain_text(e2e_data.contact_name)
	me.snap("first-contact-row")

	# a person who is not in the system yet: «Новое контактное лицо»
	contacts.get_by_role("button", name="Новое контактное лицо").click()
	dialog = me.dialog()
	expect(dialog.locator(".modal-title")).to_have_text("Новое контактное лицо")
	me.type_into("first_name", "Елена", scope=dialog)
	me.type_into("last_name", f"Орлова {token}", scope=dialog)
	me.type_into("email", f"elena.orlova.{token.lower()}@example.com", scope=dialog)
	me.type_into("phone", "+7 343 555-12-34", scope=dialog)
	me.snap("new-contact-dialog")
	dialog.get_by_role("button", name="Сохранить").click()
	expect(dialog).to_be_hidden()
	me.idle()
	expect(me.grid_rows("contacts")).to_have_count(2)
	expect(me.grid_cell("contacts", 2, "full_name")).to_contain_text(f"Елена Орлова {token}")
	expect(me.grid_cell("contacts", 2, "phone")).to_contain_text("+7 343 555-12-34")

	# «Сохранить»
	me.button("Сохранить").click()
	me.wait_for_saved("Client")
	expect(me.page).to_have_url(SAVED_CLIENT_URL)
	expect(me.title()).to_have_text(name)
	expect(me.indicator()).to_have_text("Открыт")
	me.expect_value("industry", e2e_data.industry)
	me.expect_value("business_region", e2e_data.region)
	expect(me.grid_rows("contacts")).to_have_count(2)
	expect(me.grid_cell("contacts", 1, "full_name")).to_contain_text(e2e_data.contact_name)
	expect(me.grid_cell("contacts", 2, "full_name")).to_contain_text(f"Елена Орлова {token}")
	me.snap("saved")


def test_a_wrong_inn_shows_the_message_and_nothing_is_saved(desk, e2e_data):
	me = desk("sales_user")
	me.open("/app/client/new")
	me.wait_for_form("Client", "__new__")
	name = f"ООО Ошибка в ИНН {e2e_data.token}"
	me.type_into("client_name", name)
	me.choose("country", "Росси", "Россия")
	me.type_into("tax_id", "7707083894")  # 10 digits, but the check digit is wrong

	for save in (me.press_ctrl_s, lambda: me.button("Сохранить и закрыть").click()):
		with me.expect_refusal("ИНН"):
			save()
			message = me.dialog()
			expect(message).to_contain_text("ИНН")
			expect(message).to_contain_text("неверное контрольное число")
			me.idle()
		me.snap("wrong-inn-message")
		message.locator(".btn-modal-close").click()
		expect(message).to_be_hidden()
		# still the same new, unsaved form
		expect(me.title()).to_have_text("Новый Клиент")
		expect(me.indicator()).to_have_text("Не сохранено")
		me.expect_value("client_name", name)

	frappe.db.rollback()
	assert not frappe.db.exists("Client", {"client_name": name})


def test_save_and_close_returns_to_the_registry(desk, e2e_data):
	me = desk("sales_user")
	me.open_list("Client")
	me.button("Добавить Клиент").click()
	me.wait_for_form("Client", "__new__")
	name = f"ИП Соколов {e2e_data.token}"
	me.type_into("client_name", name)
	me.select("client_type", "Физическое лицо")
	me.button("Сохранить и закрыть").click()

	me.wait_for_list("Client")
	row = me.list_row(name)
	expect(row).to_be_visible()
	expect(row.locator('.indicator-pill[data-filter^="status,"]').first).to_have_text("Открыт")
	client_type = row.locator('[data-filter="client_type,=,Individual"]')
	expect(client_type).to_have_text("Физ. лицо")  # the list's short words, in full in the tooltip
	expect(client_type).to_have_attribute("title", "Физическое лицо")
	frappe.db.rollback()
	assert frappe.db.get_value("Client", {"client_name": name}, "client_type") == "Individual"
