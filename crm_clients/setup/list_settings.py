"""The Client list's columns at a laptop's width.

Frappe shows 4 columns at 1366 px and below (6 above) unless the doctype's List View Settings say otherwise:
the Client list would show only its name, tags, status and type. The app ships List View Settings for Client
with room for type, industry, business region and the next interaction — created when missing, never
overwritten (an admin may change them in the list's *List Settings*), removed with the app.

Only the settings the installed Frappe has are set: Frappe 16's List View Settings has no `total_fields` (its
list shows every in-list-view field at any width), so there the app has nothing to set and makes no record.
"""

import frappe

DOCTYPE = "Client"
# the name, tags and status indicator, then the in_list_view fields: type, industry, region, next interaction
TOTAL_FIELDS = "7"
SETTINGS = {"total_fields": TOTAL_FIELDS}


def settings_to_set() -> dict:
	"""The app's settings that the installed Frappe's List View Settings has fields for."""
	meta = frappe.get_meta("List View Settings")
	return {fieldname: value for fieldname, value in SETTINGS.items() if meta.has_field(fieldname)}


def ensure() -> None:
	values = settings_to_set()
	if not values or frappe.db.exists("List View Settings", DOCTYPE):
		return
	settings = frappe.new_doc("List View Settings")
	settings.name = DOCTYPE
	settings.update(values)
	settings.insert(ignore_permissions=True, set_name=DOCTYPE)


def remove() -> None:
	frappe.delete_doc("List View Settings", DOCTYPE, ignore_missing=True, force=True)
