"""Leads and Clients: a Lead belongs to at most one Client (`Lead.client`), a Client has many Leads."""

import frappe
from frappe import _


def link_source_lead(client) -> None:
	"""Saving a Client made from a Lead sets the Lead's `client`."""
	if not client.lead:
		return
	current = frappe.db.get_value("Lead", client.lead, "client")
	if current == client.name:
		return
	if current:
		frappe.throw(
			_("Lead {0} already belongs to Client {1}.").format(frappe.bold(client.lead), frappe.bold(current)),
			title=_("Lead already has a Client"),
		)
	lead = frappe.get_doc("Lead", client.lead)
	lead.client = client.name
	lead.save()


def on_lead_trash(lead, method=None) -> None:
	"""A deleted Lead no longer is a Client's source Lead."""
	for client in frappe.get_all("Client", filters={"lead": lead.name}, pluck="name"):
		frappe.db.set_value("Client", client, "lead", None, update_modified=False)
