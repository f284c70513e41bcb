"""Hooks on Frappe's Event (hooks.py): a Client's interactions (`crm_clients/interactions/`)."""

from crm_clients.interactions import access, next_interaction, planning, rules, timeline
from crm_clients.interactions.clients import affected_clients, clients_of, has_just_closed


def validate(doc, method=None) -> None:
	rules.validate_event(doc)


def on_update(doc, method=None) -> None:
	"""Closing a Client's Event closes its assignments and goes to the timeline; the next interaction follows."""
	clients = affected_clients(doc)
	if not clients:
		return
	if has_just_closed(doc):
		planning.close_event_assignments(doc)
	timeline.record_outcome(doc)
	next_interaction.update_next_interactions(clients)


def after_delete(doc, method=None) -> None:
	next_interaction.update_next_interactions(clients_of(doc))


def has_permission(doc, ptype=None, user=None, debug=False) -> bool:
	return access.event_permission(doc, ptype, user)


def get_permission_query_conditions(user=None, doctype=None) -> str:
	return access.event_query_conditions(user)
