"""The report *Clients* is now *Client Overview*: in the search bar, «Клиенты» offers the Client list first.

Migrating syncs the new report from its file; the old standard report is removed here (its file is gone).
"""

import frappe

OLD_REPORT = "Clients"


def execute():
	if frappe.db.get_value("Report", OLD_REPORT, ["ref_doctype", "is_standard", "module"]) == (
		"Client",
		"Yes",
		"CRM Clients",
	):
		frappe.delete_doc("Report", OLD_REPORT, force=True, ignore_permissions=True)
