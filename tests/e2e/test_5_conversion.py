"""Flow 5: a Sales User turns a Client into a Customer with «Перевести в контрагенты».

The Customer is made at once: the Client shows «Переведен в контрагенты» and a «Контрагент» button that
opens the Customer, whose «Клиент» field links back to the Client.
"""

from playwright.sync_api import expect


def test_a_sales_user_converts_a_client(desk, e2e_data):
	client, name = e2e_data.client_to_convert, e2e_data.client_to_convert_name
	me = desk("sales_user")
	me.open_form("Client", client)
	expect(me.indicator()).to_have_text("Открыт")

	me.button("Перевести в контрагенты").click()
	confirm = me.dialog()
	expect(confirm).to_contain_text(f"Перевести клиента {name} в контрагенты?")
	me.snap("confirm")
	confirm.get_by_role("button", name="Да").click()
	expect(me.alert("создан")).to_be_visible()
	me.wait_for_form("Client", client)

	expect(me.indicator()).to_have_text("Переведен в контрагенты")
	me.expect_value("status", "Переведен в контрагенты")
	expect(me.button("Перевести в контрагенты")).to_have_count(0)
	me.snap("converted")

	# the Customer, and its way back to the Client
	me.button("Контрагент").click()
	me.wait_for_form("Customer")
	expect(me.title()).to_have_text(name)
	client_field = me.show_field("client")
	expect(client_field).to_contain_text(name)
	me.snap("customer")
	client_field.get_by_role("link", name=name).click()
	me.wait_for_form("Client", client)
	expect(me.indicator()).to_have_text("Переведен в контрагенты")
