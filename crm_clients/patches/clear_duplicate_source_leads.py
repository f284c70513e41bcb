"""Before the unique index on Client.lead (one Client per source Lead): a Lead that is the source of several
Clients stays the source of the oldest one only; the others keep everything else."""

import frappe


def execute():
	if not frappe.db.table_exists("Client") or not frappe.db.has_column("Client", "lead"):
		return
	duplicated = frappe.db.sql(
		"""SELECT `lead` FROM `tabClient` WHERE IFNULL(`lead`, '') != ''
		GROUP BY `lead` HAVING COUNT(*) > 1""",
		pluck=True,
	)
	for lead in duplicated:
		clients = frappe.get_all("Client", filters={"lead": lead}, pluck="name", order_by="creation asc")
		for client in clients[1:]:
			frappe.db.set_value("Client", client, "lead", None, update_modified=False)
