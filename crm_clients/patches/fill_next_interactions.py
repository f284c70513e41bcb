"""Derive the next interaction of the Clients that had Events or ToDos before the fields existed."""

import frappe

from crm_clients.interactions.next_interaction import update_next_interactions


def execute():
	clients = set(
		frappe.get_all(
			"Event Participants",
			filters={"parenttype": "Event", "reference_doctype": "Client"},
			pluck="reference_docname",
			distinct=True,
		)
	)
	clients |= set(
		frappe.get_all("ToDo", filters={"reference_type": "Client"}, pluck="reference_name", distinct=True)
	)
	update_next_interactions(sorted(filter(None, clients)))
