"""Flow 3: a Client from a Lead — the seed's «Из документа Лиды».

On the Lead, the button under «Клиент» opens a new Client filled from the Lead; the Sales User saves it; the
Lead is listed on the Client's «Дополнительно» tab, and the Lead shows its Client.
"""

from playwright.sync_api import expect


def test_a_client_from_a_lead(desk, e2e_data):
	me = desk("sales_user")
	me.open_form("Lead", e2e_data.lead)
	me.expect_value("company_name", e2e_data.lead_company)
	client_field = me.control("client")
	expect(client_field.locator("input")).to_have_value("")
	create = client_field.get_by_role("button", name="Создать клиента")
	expect(create).to_be_visible()
	me.snap("lead")

	create.click()
	me.wait_for_form("Client", "__new__")
	expect(me.title()).to_have_text("Новый Клиент")
	me.expect_value("client_name", e2e_data.lead_company)
	me.expect_value("client_type", "Юридическое лицо")
	me.snap("client-filled-from-the-lead")

	me.press_ctrl_s()
	client = me.wait_for_saved("Client")
	expect(me.title()).to_have_text(e2e_data.lead_company)
	expect(me.indicator()).to_have_text("Открыт")
	person = f"Мария Волкова {e2e_data.token}"
	expect(me.grid_rows("contacts").filter(has_text=person)).to_have_count(1)

	# «Дополнительно»: the Lead, counted
	me.tab("Дополнительно").click()
	leads = me.main.locator('.document-link[data-doctype="Lead"]')
	expect(leads).to_be_visible()
	expect(leads.locator(".count")).to_have_text("1")
	me.snap("additional-tab")

	# the Lead shows its Client
	leads.locator(".badge-link").click()
	me.wait_for_list("Lead")
	row = me.list_row(e2e_data.lead)
	expect(me.list_rows()).to_have_count(1)
	row.locator(".list-subject a").first.click()
	me.wait_for_form("Lead", e2e_data.lead)
	expect(me.control("client").locator("input")).to_have_value(e2e_data.lead_company)
	expect(me.control("client").get_by_role("button", name="Открыть клиента")).to_be_visible()
	me.snap("lead-with-its-client")

	me.control("client").get_by_role("button", name="Открыть клиента").click()
	me.wait_for_form("Client", client)
