"""Flow 4: Clients from many Leads at once — the Lead list's *Действия → Создать клиентов*.

The Sales User filters the Lead list to the run's 25 Leads, shows 100 a page, selects them all and chooses
«Создать клиентов». More than 20 Leads go to a background job (the harness runs a worker and the realtime
server): the desk shows its progress bar, then the summary.
"""

import re

import frappe
from playwright.sync_api import expect

from tests.e2e.data import BULK_LEADS


def test_clients_from_25_selected_leads(desk, e2e_data, worker):
	me = desk("sales_user")
	me.open_list("Lead").clear_list_filters()

	# the run's Leads: their organisation names start alike
	me.type_into("company_name", e2e_data.bulk_prefix)
	me.wait_for_list("Lead")
	me.main.locator(".list-paging-area").get_by_role("button", name="100").click()
	me.wait_for_list("Lead")
	expect(me.list_rows()).to_have_count(BULK_LEADS)

	me.main.get_by_role("checkbox", name="Выбрать все").check()
	expect(me.main.locator(".list-row-checkbox:checked")).to_have_count(BULK_LEADS)
	me.menu_item("Действия", "Создать клиентов").click()
	confirm = me.dialog()
	expect(confirm).to_contain_text(f"Создать клиентов из выбранных лидов ({BULK_LEADS})?")
	me.snap("confirm")

	# what the realtime server delivers to this page, to check the bar reached the end
	me.js(
		"() => { window.e2e_progress = []; frappe.realtime.on('progress', (data) => e2e_progress.push(data)); }"
	)
	confirm.get_by_role("button", name="Да").click()
	expect(me.alert("в фоновом режиме")).to_be_visible()

	# the bar is shown while the job runs (and half a second after it ends): one look at it, all at once
	progress = (
		me.page.locator(".modal.show")
		.filter(has_text="Создание клиентов из лидов")
		.filter(has_text=re.compile(rf"\d+ из {BULK_LEADS} лидов"))
		.filter(has=me.page.locator(".progress-bar"))
	)
	expect(progress).to_be_visible()
	me.snap("progress")

	summary = me.page.locator(".modal.show").filter(has_text="Создано клиентов")
	expect(summary.locator(".modal-title")).to_have_text("Создать клиентов", timeout=120_000)
	expect(summary).to_contain_text(f"Создано клиентов: {BULK_LEADS}")
	expect(summary).to_contain_text("Лиды с ошибками: 0")
	me.snap("summary")
	last = me.js("() => e2e_progress[e2e_progress.length - 1]")
	assert last["percent"] == 100 and last["description"] == f"{BULK_LEADS} из {BULK_LEADS} лидов", last

	frappe.db.rollback()
	clients = frappe.get_all("Lead", filters={"name": ("in", e2e_data.bulk_leads)}, pluck="client")
	assert all(clients) and len(set(clients)) == BULK_LEADS
