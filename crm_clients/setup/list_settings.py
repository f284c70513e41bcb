"""The Client list's columns at a laptop's width.

Frappe shows 4 columns at 1366 px and below (6 above) unless the doctype's List View Settings say otherwise:
the Client list would show only its name, tags, status and type. The app ships List View Settings for Client
with room for type, industry, business region and the next interaction — created when missing, never
overwritten (an admin may change them in the list's *List Settings*), removed with the app.
"""

import frappe

DOCTYPE = "Client"
# the name, tags and status indicator, then the in_list_view fields: type, industry, region, next interaction
TOTAL_FIELDS = "7"


def ensure() -> None:
	if frappe.db.exists("List View Settings", DOCTYPE):
		return
	settings = frappe.new_doc("List View Settings")
	settings.name = DOCTYPE
	settings.total_fields = TOTAL_FIELDS
	settings.insert(ignore_permissions=True, set_name=DOCTYPE)


def remove() -> None:
	frappe.delete_doc("List View Settings", DOCTYPE, ignore_missing=True, force=True)
