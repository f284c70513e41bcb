"""Flow 6: the route («Маршрут») — a Sales Manager, who may not create Customers, passes the Client on.

The Sales Manager sees no «Перевести в контрагенты» button; *Действия → Отправить на перевод в контрагенты*
sends the Client along the workflow and offers to assign it to a colleague who converts — Анна, a Sales
Master Manager. Анна finds the Client in her ToDo list and her Workflow Action list, opens it from the
workflow action and converts it (*Действия → Перевести в контрагенты*). The Sales Manager sees the result.
"""

from playwright.sync_api import expect


def test_the_route_from_a_sales_manager_to_a_sales_master_manager(desk, e2e_data):
	client, name = e2e_data.client_on_route, e2e_data.client_on_route_name
	colleague = e2e_data.users["master_manager"].full_name

	# the Sales Manager: no convert button, so along the route
	manager = desk("sales_manager")
	manager.open_form("Client", client)
	expect(manager.indicator()).to_have_text("Открыт")
	expect(manager.button("Перевести в контрагенты")).to_have_count(0)
	manager.menu_item("Действия", "Отправить на перевод в контрагенты").click()

	assign = manager.dialog()
	expect(assign.locator(".modal-title")).to_have_text(
		"Назначить коллеге, который переводит клиентов в контрагенты"
	)
	manager.select("user", colleague, scope=assign)
	manager.snap("assign-to-a-colleague")
	assign.get_by_role("button", name="Назначить").click()
	expect(assign).to_be_hidden()
	manager.wait_for_form("Client", client)
	expect(manager.indicator()).to_have_text("Ожидает перевода в контрагенты")
	expect(manager.main.locator(".form-assignments")).to_contain_text(colleague[0])  # her avatar
	manager.snap("sent")

	# the Sales Master Manager: the Client in her lists
	master = desk("master_manager")
	master.open_list("ToDo")
	expect(master.list_row(name)).to_be_visible()
	master.snap("todo")
	master.open_list("Workflow Action")
	action = master.list_row(client)
	expect(action).to_be_visible()
	master.snap("workflow-action")
	action.locator(".list-subject a").first.click()
	master.wait_for_form("Client", client)
	expect(master.indicator()).to_have_text("Ожидает перевода в контрагенты")
	master.menu_item("Действия", "Перевести в контрагенты").click()
	master.wait_for_form("Client", client)
	expect(master.indicator()).to_have_text("Переведен в контрагенты")
	expect(master.button("Контрагент")).to_be_visible()
	master.snap("converted")

	# the Sales Manager sees the result
	manager.reload().wait_for_form("Client", client)
	expect(manager.indicator()).to_have_text("Переведен в контрагенты")
	manager.expect_value("status", "Переведен в контрагенты")
	expect(manager.button("Контрагент")).to_be_visible()
	manager.snap("result")
