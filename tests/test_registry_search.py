"""The search bar's «Клиенты» opens the Client list (flow 1 of tests/e2e drives it in the browser).

Frappe's search bar matches a DocType by its singular name («Клиент»); the app adds the registry under its
plural (crm_clients/public/js/desk.js, loaded on every desk page), and the Client report is called
*Client Overview* («Обзор клиентов»), so that nothing else is offered before the list.
"""

import ast
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parent.parent / "crm_clients"


def test_the_desk_script_adds_the_registry_to_the_search_bar():
	hooks = ast.parse((APP / "hooks.py").read_text())
	include = next(
		node.value.value
		for node in hooks.body
		if isinstance(node, ast.Assign) and node.targets[0].id == "app_include_js"
	)
	assert include == "/assets/crm_clients/js/desk.js"
	script = (APP / "public" / "js" / "desk.js").read_text()
	assert "make_function_searchable" in script and '__("Clients")' in script
	assert 'frappe.set_route("List", "Client")' in script


@pytest.mark.usefixtures("site")
def test_the_client_report_is_no_longer_called_clients(site):
	frappe = site
	assert frappe.db.get_value("Report", "Client Overview", ["ref_doctype", "is_standard"]) == (
		"Client",
		"Yes",
	)
	assert not frappe.db.exists("Report", "Clients")


@pytest.mark.usefixtures("site")
def test_migrating_removes_the_old_clients_report_only(site):
	frappe = site
	from crm_clients.patches import rename_clients_report

	old = frappe.copy_doc(frappe.get_doc("Report", "Client Overview"))
	old.name = old.report_name = "Clients"
	old.flags.ignore_permissions = True
	old.db_insert()  # as an older version of the app installed it
	frappe.flags.in_patch = True  # as `bench migrate` runs it
	try:
		rename_clients_report.execute()
	finally:
		frappe.flags.in_patch = False
	assert not frappe.db.exists("Report", "Clients")

	# a report of an admin's own named "Clients" stays
	mine = frappe.copy_doc(frappe.get_doc("Report", "Client Overview"))
	mine.update({"name": "Clients", "report_name": "Clients", "is_standard": "No", "module": None})
	mine.db_insert()
	rename_clients_report.execute()
	assert frappe.db.exists("Report", "Clients")
