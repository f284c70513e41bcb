"""Flow 10: a Sales Manager finds two Clients of one company in «Возможные дубли» and merges them.

The report lists the pair with its reason; ticking it and «Объединить…» opens the merge dialog (the Client
that stays, the differing names); after the confirmation the survivor's form opens (its menu offers «Объединить
с…»), the other Client is gone, and its old address opens the survivor.
"""

import frappe
from playwright.sync_api import expect

from tests import fixtures


def test_a_sales_manager_merges_possible_duplicates(desk, e2e_data):
	word = f"Дубль{e2e_data.token}"
	first = fixtures.make_client(client_name=f"ООО «{word}»").name
	second = fixtures.make_client(client_name=f"{word} ООО").name
	frappe.db.commit()

	me = desk("sales_manager")
	me.open("/app/query-report/Possible Duplicates")
	row = me.main.locator(".dt-scrollable .dt-row").filter(has_text=second)
	expect(row).to_contain_text("Одинаковое название")
	me.snap("report")
	row.locator("input[type=checkbox]").check()
	me.button("Объединить…").click()

	dialog = me.dialog()
	expect(dialog).to_contain_text("Объединение клиентов")
	expect(dialog).to_contain_text("Остающийся клиент")
	me.snap("merge-dialog")
	dialog.get_by_role("button", name="Объединить", exact=True).click()
	confirm = me.dialog()
	expect(confirm).to_contain_text(f"Объединить клиента {second} с {first}?")
	confirm.get_by_role("button", name="Да").click()
	me.wait_for_form("Client", first)
	expect(me.alert("Клиенты объединены")).to_be_visible()
	me.snap("survivor")
	# «Объединить с…» is in the form's menu (⋯), for another merge
	me.main.locator(".page-head .menu-btn-group button").first.click()
	expect(me.main.locator(".page-head .dropdown-menu.show").get_by_text("Объединить с…")).to_be_visible()
	me.page.keyboard.press("Escape")

	frappe.db.rollback()
	assert not frappe.db.exists("Client", second)
	# the merged-away Client's address opens the survivor
	me.open(f"/app/client/{second}")
	me.wait_for_form("Client", first)
