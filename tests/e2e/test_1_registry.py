"""Flow 1: the registry, opened as the seed says — «Клиенты» in the search bar, or Меню → Маркетинг → Клиенты.

Every role finds it both ways. Typing «Клиенты» offers the Client list first (Frappe matches a DocType by its
singular name; the app adds the plural), and nothing offered calls an ERPNext Customer a «клиент» (ERPNext's
«Неактивные клиенты» and «Клиенты без каких-либо транзакций с продажами» are «контрагенты» now).
"""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.desk import DESK

ROLES = ("sales_user", "sales_manager", "master_manager", "system_manager")


@pytest.mark.parametrize("role", ROLES)
def test_registry_from_the_search_bar_and_the_marketing_workspace(desk, e2e_data, role):
	me = desk(role)
	me.open("/app")  # the desk, as it opens after logging in

	# the search bar: «Клиенты» offers the registry first
	offers = search(me, "Клиенты")
	me.snap("search-klienty")
	assert offers[0] == "Клиенты", offers
	customers_called_klienty = [
		offer
		for offer in offers[1:]
		if "клиент" in offer.lower() and not offer.startswith("Искать") and not of_the_registry(offer)
	]
	assert not customers_called_klienty, offers
	me.page.keyboard.press("Enter")
	expect_registry(me, e2e_data)
	me.snap("registry-from-search")

	# home, then Меню → Маркетинг → Клиенты
	if DESK == "/desk":
		# Frappe 16: the desktop's «Маркетинг» icon opens the app's sidebar at its first entry, the workspace
		me.open(DESK)
		me.page.locator(".desktop-icon").filter(
			has=me.page.locator(".icon-title", has_text=re.compile(r"^\s*Маркетинг\s*$"))
		).click()
	else:
		me.page.locator(".navbar .navbar-brand").click()  # the logo
		me.wait_for_route("Workspaces/")
		me.page.locator(".desk-sidebar .sidebar-item-container .item-anchor").filter(
			has_text=re.compile(r"^\s*Маркетинг\s*$")
		).click()
	me.wait_for_workspace("Marketing")
	expect(me.title()).to_have_text("Маркетинг")
	clients_shortcut = me.main.locator(".shortcut-widget-box").filter(has_text="Клиенты").first
	expect(clients_shortcut).to_contain_text("Открытых:")
	me.snap("marketing-workspace")
	clients_shortcut.locator(".widget-title").click()
	expect_registry(me, e2e_data)
	me.snap("registry-from-workspace")


# the registry's own documents, which are about Clients: «Клиенты — не дубли», «Объединение клиентов (журнал)»,
# «Настройки CRM «Клиенты»» (the System Manager's); and the app itself (Frappe 16 offers «Открыть CRM «Клиенты»»)
REGISTRY_WORDS = ("не дубли", "Объединение клиентов", "CRM «Клиенты»")


def of_the_registry(offer: str) -> bool:
	return any(words in offer for words in REGISTRY_WORDS)


def search(me, text: str) -> list[str]:
	"""Type into the desk's search bar as a person does; the offers shown, top first."""
	if DESK == "/desk":
		# Frappe 16: the search bar is a dialog, opened by its box or Ctrl+K
		me.page.keyboard.press("Control+k")
		scope = me.page.locator(".modal.show")
	else:
		scope = me.page.locator(".search-bar")
	bar = scope.locator("#navbar-search")
	bar.click()
	bar.press_sequentially(text)
	options = scope.locator(".awesomplete ul[role='listbox'] li")
	# the offers are rebuilt from what was typed (debounced): wait until they are for the whole word
	expect(options.filter(has_text=f"Искать {text}")).to_be_visible()
	return [option.strip() for option in options.all_inner_texts()]


def expect_registry(me, e2e_data) -> None:
	"""The Client list, showing the run's open Clients with their status."""
	me.wait_for_list("Client")
	expect(me.title()).to_have_text("Клиенты")  # the registry, as the seed calls it
	row = me.list_row(e2e_data.client_on_route_name)
	expect(row).to_be_visible()
	expect(row.locator('.indicator-pill[data-filter^="status,"]').first).to_have_text("Открыт")
