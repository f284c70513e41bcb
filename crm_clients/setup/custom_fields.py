"""Custom fields this app adds to ERPNext doctypes."""

import frappe
from frappe.custom.doctype.custom_field.custom_field import create_custom_fields

# Not the real translation function: it marks labels for `bench generate-pot-file` and returns them as they
# are (the fields are made in English, the desk translates labels), as frappe/hrms does for its custom fields.
from frappe.desk.page.setup_wizard.install_fixtures import _


def get_custom_fields() -> dict[str, list[dict]]:
	return {
		"Lead": [
			{
				"fieldname": "client",
				"fieldtype": "Link",
				"label": _("Client"),
				"options": "Client",
				"insert_after": "company_name",
				"no_copy": 1,
				"search_index": 1,
				"in_standard_filter": 1,
				"description": _("The Client this Lead belongs to"),
			},
		],
		"Customer": [
			{
				"fieldname": "client",
				"fieldtype": "Link",
				"label": _("Client"),
				"options": "Client",
				"insert_after": "lead_name",
				"no_copy": 1,
				"read_only": 1,
				"unique": 1,
				"description": _("The Client this Customer was converted from (one Customer per Client)"),
			},
		],
		# a Contact found by its number however it was typed (crm_clients/phones.py)
		"Contact Phone": [
			{
				"fieldname": "phone_key",
				"fieldtype": "Data",
				"label": _("Phone Key"),
				"insert_after": "phone",
				"hidden": 1,
				"read_only": 1,
				"no_copy": 1,
				"search_index": 1,
				"description": _("The number in international (E.164) form, for finding the Contact by it"),
			},
		],
		# interactions with Clients (crm_clients/interactions.py): how a done one went
		"Event": [
			{
				"fieldname": "interaction_outcome",
				"fieldtype": "Small Text",
				"label": _("Outcome"),
				"insert_after": "description",
				"depends_on": "eval:doc.status!='Open'",
				"no_copy": 1,
				"description": _("How the interaction went: it goes to the Client's timeline"),
			},
		],
		"ToDo": [
			{
				"fieldname": "interaction_outcome",
				"fieldtype": "Small Text",
				"label": _("Outcome"),
				"insert_after": "description",
				"depends_on": "eval:doc.status!='Open' && doc.reference_type=='Client'",
				"no_copy": 1,
				"description": _("How the interaction went: it goes to the Client's timeline"),
			},
			{
				"fieldname": "client_conversion",
				"fieldtype": "Check",
				"label": _("Assigned to Convert the Client"),
				"insert_after": "assignment_rule",
				"hidden": 1,
				"read_only": 1,
				"no_copy": 1,
				"description": _("Closed by the Client's conversion instead of going to the Customer"),
			},
		],
	}


def create() -> None:
	"""Create the fields that are missing; existing ones (and an admin's changes to them) are left alone."""
	create_custom_fields(get_custom_fields(), ignore_validate=True, update=False)


def delete() -> None:
	for doctype, fields in get_custom_fields().items():
		for field in fields:
			name = frappe.db.get_value("Custom Field", {"dt": doctype, "fieldname": field["fieldname"]})
			if name:
				frappe.delete_doc("Custom Field", name, ignore_missing=True, force=True)
		frappe.clear_cache(doctype=doctype)
