"""One Customer per Client: make the custom field Customer.client unique on sites that had it before.

Skipped (and said in the Error Log) while two Customers name the same Client."""

import frappe

FIELD = "Customer-client"


def execute():
	if not frappe.db.exists("Custom Field", FIELD) or frappe.db.get_value("Custom Field", FIELD, "unique"):
		return
	duplicated = frappe.db.sql(
		"""SELECT `client` FROM `tabCustomer` WHERE IFNULL(`client`, '') != ''
		GROUP BY `client` HAVING COUNT(*) > 1""",
		pluck=True,
	)
	if duplicated:
		frappe.log_error(
			title="crm_clients: Customers sharing a Client",
			message="Customer.client was not made unique: several Customers name these Clients: "
			+ ", ".join(duplicated),
		)
		return
	field = frappe.get_doc("Custom Field", FIELD)
	field.unique = 1
	field.search_index = 0
	field.save()
