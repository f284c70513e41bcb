"""What deleting a Client does to its interactions (the Client's `on_trash`)."""

import frappe
from frappe import _
from frappe.utils import get_link_to_form

from crm_clients.interactions.clients import CLIENT, EVENT, TODO


def open_interactions(client: str) -> list[tuple[str, str]]:
	"""(doctype, name) of the Client's open Events and ToDos."""
	from erpnext.crm.utils import get_open_events, get_open_todos

	return [(EVENT, row.name) for row in get_open_events(CLIENT, client)] + [
		(TODO, row.name) for row in get_open_todos(CLIENT, client)
	]


def check_can_delete(client) -> None:
	"""A Client with open interactions is not deleted: they are colleagues' plans (in their calendars, with
	reminders), and cancelling them silently would surprise them. The message names them; complete or cancel
	them (or move them to another Client), then delete."""
	open_ones = open_interactions(client.name)
	if open_ones:
		links = ", ".join(get_link_to_form(doctype, name) for doctype, name in open_ones[:10])
		more = len(open_ones) - 10
		if more > 0:
			links += " " + _("and {0} more").format(more)
		frappe.throw(
			_(
				"Client {0} has open interactions: {1}. Complete or cancel them (or move them to another Client) before deleting it."
			).format(frappe.bold(client.name), links),
			frappe.LinkExistsError,
			title=_("Interactions"),
		)


def detach_closed_events(client) -> None:
	"""The Client's done and cancelled Events stay in their owners' calendars without it (otherwise Frappe's
	link check would refuse the delete for ever); its ToDos are removed by Frappe with the Client."""
	frappe.db.delete(
		"Event Participants",
		{"parenttype": EVENT, "reference_doctype": CLIENT, "reference_docname": client.name},
	)
