"""Hooks on Frappe's ToDo (hooks.py): a Client's tasks, and the assignments of a Client's Events
(`crm_clients/interactions/`)."""

from crm_clients.interactions import access, next_interaction, planning, rules, timeline
from crm_clients.interactions.clients import affected_clients, clients_of


def validate(doc, method=None) -> None:
	rules.validate_todo(doc)


def after_insert(doc, method=None) -> None:
	planning.share_event_with_assignee(doc)


def on_update(doc, method=None) -> None:
	"""Closing a Client's task goes to the timeline; the next interaction follows."""
	clients = affected_clients(doc)
	if not clients:
		return
	timeline.record_outcome(doc)
	next_interaction.update_next_interactions(clients)


def after_delete(doc, method=None) -> None:
	next_interaction.update_next_interactions(clients_of(doc))


def has_permission(doc, ptype=None, user=None, debug=False) -> bool:
	return access.todo_permission(doc, ptype, user)


def get_permission_query_conditions(user=None, doctype=None) -> str:
	return access.todo_query_conditions(user)
