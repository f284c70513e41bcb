"""Flow 10: a Sales Manager finds two Clients of one company in «Возможные дубли» and merges them.

The report lists the pair with its reason; ticking it and «Объединить…» opens the merge dialog (the Client
that stays, the differing names); after the confirmation the survivor's form opens (its menu offers «Объединить
с…»), the other Client is gone, and its old address opens the survivor.
"""

import json
from urllib.parse import parse_qs, urlparse

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
	settled(me).snap("merge-dialog")
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


def settled(me):
	"""The dialogs' fade-in is over (for a screenshot of what the user reads)."""
	me.page.wait_for_function(
		"() => document.getAnimations().every((animation) => animation.playState !== 'running')"
	)
	return me


def report_rows(me):
	return me.main.locator(".dt-scrollable .dt-row")


def test_the_report_opened_from_a_clients_form_shows_only_its_pairs(desk, e2e_data):
	"""The form's «Возможные дубли» link (and the same address typed or bookmarked) opens the report filtered
	to that Client at once: its pairs only, not the whole registry's."""
	word, stranger_word = f"Отчёт{e2e_data.token}", f"Посторонний{e2e_data.token}"
	first = fixtures.make_client(client_name=f"ООО «{word}»").name
	second = fixtures.make_client(client_name=f"{word} ООО").name
	others = [fixtures.make_client(client_name=f"{prefix}{stranger_word}").name for prefix in ("", "АО ")]
	frappe.db.commit()

	me = desk("sales_manager")
	me.open("/app/query-report/Possible Duplicates")  # the whole registry first: both pairs
	expect(report_rows(me).filter(has_text=others[1])).to_have_count(1)
	expect(report_rows(me).filter(has_text=second)).to_have_count(1)

	me.open_form("Client", first)
	headline = me.main.locator(".form-message").filter(has_text="Возможные дубли")
	expect(headline).to_have_count(1)
	expect(headline).to_contain_text(f"Возможные дубли: {second} · Показать в отчёте")
	me.snap("form-headline")
	runs = report_runs(me)
	headline.get_by_role("link", name="Показать в отчёте", exact=True).click()
	me.wait_for_route("query-report/Possible Duplicates")
	expect_only_the_pair_of(me, f"ООО «{word}»", second)
	me.snap("report-of-one-client")

	# typed into the browser (a bookmark): the same
	me.open(f"/app/query-report/Possible Duplicates?client={first}")
	expect_only_the_pair_of(me, f"ООО «{word}»", second)
	# every run of the report asked for that Client's pairs: none without it first
	assert runs and all(filters.get("client") == first for filters in runs), runs


def report_runs(me) -> list[dict]:
	"""The filters of each run of the report the page asks the server for, from now on."""
	runs = []

	def on_request(request):
		if "frappe.desk.query_report.run" in request.url:
			query = parse_qs(urlparse(request.url).query)
			runs.append(json.loads(query.get("filters", ["{}"])[0]))

	me.page.on("request", on_request)
	return runs


def expect_only_the_pair_of(me, client_name: str, other: str) -> None:
	"""The report's first run is for that Client: the filter shows its name and the table its one pair."""
	expect(me.control("client").locator("input")).to_have_value(client_name)
	expect(report_rows(me)).to_have_count(1)
	expect(report_rows(me).first).to_contain_text(other)


def test_a_sales_manager_merges_a_client_from_its_form(desk, e2e_data):
	"""The form's ⋯ → «Объединить с…»: the other Client picked, the Client that stays and the name chosen in the
	dialog; the survivor opens with both contact persons and the merge in its timeline, and the merged-away
	Client's address opens the survivor."""
	word = f"Форма{e2e_data.token}"
	mine, theirs = (
		fixtures.make_contact(first_name=f"{first_name} {e2e_data.token}") for first_name in ("Ирина", "Олег")
	)
	here = fixtures.make_client(client_name=f"ООО «{word} Север»", contacts=[mine.name]).name
	other = fixtures.make_client(client_name=f"{word} Север Торг", contacts=[theirs.name]).name
	frappe.db.commit()

	me = desk("sales_manager")
	me.open_form("Client", here)
	me.main.locator(".page-head .menu-btn-group button").first.click()
	me.main.locator(".page-head .dropdown-menu.show").get_by_text("Объединить с…", exact=True).click()
	choose = me.dialog()
	expect(choose).to_contain_text("Объединить с…")
	me.choose("other", other, other, scope=choose)
	settled(me).snap("choose-other")
	choose.get_by_role("button", name="Далее", exact=True).click()

	dialog = me.dialog()
	expect(dialog).to_contain_text("Объединение клиентов")
	expect(dialog).to_contain_text("Различающиеся значения")
	me.select("survivor", f"{other}: {word} Север Торг", scope=dialog)  # the other one stays…
	me.select("client_name", f"ООО «{word} Север» ({here})", scope=dialog)  # …with this one's name
	settled(me).snap("merge-dialog")
	dialog.get_by_role("button", name="Объединить", exact=True).click()
	confirm = me.dialog()
	expect(confirm).to_contain_text(f"Объединить клиента {here} с {other}?")
	settled(me).snap("confirm")
	confirm.get_by_role("button", name="Да").click()

	me.wait_for_form("Client", other)
	expect(me.alert(f"Клиенты объединены в {other}")).to_be_visible()
	me.expect_value("client_name", f"ООО «{word} Север»")
	contacts = me.grid("contacts")
	expect(contacts).to_contain_text(f"Ирина {e2e_data.token}")
	expect(contacts).to_contain_text(f"Олег {e2e_data.token}")
	timeline = me.main.locator(".new-timeline")
	me.snap("survivor")
	entry = timeline.locator(".timeline-item").filter(has_text=f"объединил(а) клиента {here}")
	expect(entry).to_contain_text("перенесены контактные лица — 1")

	frappe.db.rollback()
	assert not frappe.db.exists("Client", here)
	me.open(f"/app/client/{here}")
	me.wait_for_form("Client", other)
	assert me.js("() => frappe.get_route_str()") == f"Form/Client/{other}"


def test_a_sales_manager_merges_three_clients_from_the_registry(desk, e2e_data):
	"""The registry's bulk «Объединить»: three Clients ticked, the Client that stays chosen, one confirmation;
	the merges run in the request (up to 5 Clients) and the survivor opens with all three contact persons."""
	industry = fixtures.make_industry(f"Дубли {e2e_data.token}").name
	people = [
		fixtures.make_contact(first_name=f"{first_name} {e2e_data.token}")
		for first_name in ("Анна", "Борис", "Вера")
	]
	names = [
		fixtures.make_client(
			client_name=f"{prefix}Тройка {e2e_data.token}", industry=industry, contacts=[person.name]
		).name
		for prefix, person in zip(("", "ООО ", "АО "), people, strict=True)
	]
	frappe.db.commit()

	me = desk("sales_manager")
	me.open(f"/app/client?industry={industry}")
	me.wait_for_list("Client")
	expect(me.list_rows()).to_have_count(3)
	me.main.get_by_role("checkbox", name="Выбрать все").check()
	expect(me.main.locator(".list-row-checkbox:checked")).to_have_count(3)
	me.snap("three-selected")
	me.menu_item("Действия", "Объединить").click()

	dialog = me.dialog()
	expect(dialog).to_contain_text("Объединение клиентов: 3")
	me.select("survivor", f"{names[1]}: ООО Тройка {e2e_data.token}", scope=dialog)
	settled(me).snap("merge-into-one")
	dialog.get_by_role("button", name="Объединить", exact=True).click()
	confirm = me.dialog()
	expect(confirm).to_contain_text(f"Объединить клиентов (2) с {names[1]}?")
	settled(me).snap("confirm")
	confirm.get_by_role("button", name="Да").click()

	me.wait_for_form("Client", names[1])
	expect(me.alert(f"Клиенты объединены в {names[1]}")).to_be_visible()
	contacts = me.grid("contacts")
	for person in ("Анна", "Борис", "Вера"):
		expect(contacts).to_contain_text(f"{person} {e2e_data.token}")
	me.snap("survivor")

	frappe.db.rollback()
	assert [name for name in names if frappe.db.exists("Client", name)] == [names[1]]
	assert frappe.db.count("Client Merge", {"survivor": names[1]}) == 2


def test_a_sales_manager_merges_many_clients_in_the_background(desk, e2e_data, worker):
	"""More than 5 Clients: the merges run in a background job (the harness's worker), with the desk's progress
	bar and then the summary; one survivor is left."""
	from crm_clients.intake import merge_source

	count = merge_source.SYNC_LIMIT + 2  # 6 Clients: 5 merges
	industry = fixtures.make_industry(f"Много дублей {e2e_data.token}").name
	names = [
		fixtures.make_client(client_name=f"Шестёрка {e2e_data.token} {index}", industry=industry).name
		for index in range(count)
	]
	frappe.db.commit()

	me = desk("sales_manager")
	me.open(f"/app/client?industry={industry}")
	me.wait_for_list("Client")
	expect(me.list_rows()).to_have_count(count)
	me.main.get_by_role("checkbox", name="Выбрать все").check()
	me.menu_item("Действия", "Объединить").click()
	dialog = me.dialog()
	expect(dialog).to_contain_text(f"Объединение клиентов: {count}")
	me.select("survivor", f"{names[0]}: Шестёрка {e2e_data.token} 0", scope=dialog)
	dialog.get_by_role("button", name="Объединить", exact=True).click()
	confirm = me.dialog()
	expect(confirm).to_contain_text(f"Объединить клиентов ({count - 1}) с {names[0]}?")
	confirm.get_by_role("button", name="Да").click()
	expect(me.alert("в фоновом режиме")).to_be_visible()

	summary = me.page.locator(".modal.show").filter(has_text="Объединено клиентов")
	expect(summary.locator(".modal-title")).to_have_text("Объединение клиентов", timeout=180_000)
	expect(summary).to_contain_text(f"Остающийся клиент: {names[0]}")
	expect(summary).to_contain_text(f"Объединено клиентов: {count - 1}")
	expect(summary).to_contain_text("Не объединены: 0")
	settled(me).snap("summary")

	frappe.db.rollback()
	assert [name for name in names if frappe.db.exists("Client", name)] == [names[0]]
