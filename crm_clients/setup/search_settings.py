"""The search bar's results include Clients: Client in *Global Search Settings*.

ERPNext's setup wizard fills the settings from the installed apps' `global_search_doctypes` hooks, before this
app is installed: Client is added on install (and once by a patch on sites that had the app), right after
Customer, and removed on uninstall. An admin may reorder or remove it afterwards; migrate leaves it alone.
"""

import frappe

DOCTYPE = "Client"


def add() -> None:
	settings = frappe.get_single("Global Search Settings")
	doctypes = [row.document_type for row in settings.allowed_in_global_search]
	if DOCTYPE in doctypes:
		return
	position = doctypes.index("Customer") + 1 if "Customer" in doctypes else len(doctypes)
	doctypes.insert(position, DOCTYPE)
	save(settings, doctypes)


def remove() -> None:
	settings = frappe.get_single("Global Search Settings")
	doctypes = [row.document_type for row in settings.allowed_in_global_search]
	if DOCTYPE in doctypes:
		save(settings, [doctype for doctype in doctypes if doctype != DOCTYPE])


def save(settings, doctypes: list[str]) -> None:
	settings.set("allowed_in_global_search", [{"document_type": doctype} for doctype in doctypes])
	settings.save(ignore_permissions=True)  # the app's own setup, as Frappe's setup wizard does
