"""Who may see and change a Client's interactions: the Client's permissions decide (the Event and ToDo
`has_permission` and `permission_query_conditions` hooks, `crm_clients/overrides/event.py` and `todo.py`).

- whoever may not read every Client an Event or ToDo concerns does not see it — in its form, in lists and
  reports, over REST — except an Event they own: Frappe shows every Event to its owner in the calendar (its own
  query), and Frappe 15 in lists too (its list condition is `owner = user or …`, which no app's condition can
  narrow there, as Frappe 15 joins them with AND after its OR; Frappe 16 puts each in parentheses), so its form
  opens for them too, read-only unless they may edit the Client;
- whoever may read the Clients sees it, also a colleague's private Event (on Frappe 16, whose own Event rule
  refuses whoever is not its owner or a participant, on the Client's tab and in the report, not in its form);
- planning (creating one) takes write on the Client; changing, completing or cancelling one takes write on the
  Client, or being its responsible user (its owner, the ToDo's assignee, an assignee of the Event).

The hook answers every question itself, True or False, never "no opinion": for an Event or a ToDo that concerns
no Client the answer is Frappe's own rule for it (`frappe.desk.doctype.event.event.has_permission`,
`…todo.todo.has_permission`), so the app changes nothing there whichever way Frappe combines the apps' hooks —
Frappe 15 takes the first answer that is not None, walking the apps' hooks from the last installed app, Frappe
16 refuses when any hook answers falsy (a None there refused a Sales User their own Event). What must hold in any
order is kept where no hook is asked: the checks on every save (`rules.py`: a Client goes on an interaction only
with the right to edit it; a Client's Event is never public), the assignment's share (the responsible user reads
and completes it under Frappe's own rules), and the list conditions (every app's conditions apply together).
The README's «Who sees what» says what remains with the hook.

List conditions are added only for users who may read some Clients but not all: they narrow Frappe's own (a
user who may read every Client, or none, gets none from the app).
"""

import re

import frappe

from crm_clients.interactions.clients import CANCELLED, CLIENT, EVENT, TODO, clients_of, clients_of_event_name

READ_RIGHTS = ("read", "print", "email", "report", "export", "select")


def event_permission(doc, ptype=None, user=None) -> bool:
	from frappe.desk.doctype.event.event import has_permission as frappe_rule

	user = user or frappe.session.user
	clients = existing(clients_of(doc))
	if not clients:
		return bool(frappe_rule(doc, ptype, user))
	if doc.get("owner") == user and (ptype or "read") in READ_RIGHTS:
		return True  # as Frappe's own list and calendar show it to its owner
	return client_interaction_permission(doc, clients, ptype, user)


def todo_permission(doc, ptype=None, user=None) -> bool:
	from frappe.desk.doctype.todo.todo import has_permission as frappe_rule

	user = user or frappe.session.user
	if doc.get("reference_type") == EVENT and doc.get("reference_name"):
		# an assignment of a Client's Event names the Client (its description is the Event's subject)
		if not may_read_all(existing(clients_of_event_name(doc.reference_name)), user):
			return False
	clients = existing(clients_of(doc))
	if not clients:
		return bool(frappe_rule(doc, ptype or "read", user))
	return client_interaction_permission(doc, clients, ptype, user)


def check_interaction_permission(doc, ptype: str = "write") -> None:
	"""Refuse the session user `ptype` on a Client's interaction unless the app's rule allows it (for one that
	concerns no Client: Frappe's combined check). The app's own actions on a Client's interactions (completing,
	cancelling, carrying them to the Customer) ask this and then save what they checked with
	`ignore_permissions`: Frappe 16 refuses when any app's hook refuses, and its own Event and ToDo rules refuse
	whoever is not the Event's owner or the ToDo's assignee or assigner — also a colleague with the right to edit
	the Client, whom the app lets complete the Client's interactions."""
	user = frappe.session.user
	clients = existing(clients_of(doc))
	if clients:
		allowed = client_interaction_permission(doc, clients, ptype, user)
	else:
		allowed = frappe.has_permission(doc.doctype, ptype, doc=doc, user=user)
	if not allowed:
		doc.raise_no_permission_to(ptype)


def existing(clients: list[str]) -> list[str]:
	return [client for client in clients if frappe.db.exists(CLIENT, client)]


def may_read_all(clients: list[str], user: str) -> bool:
	return all(frappe.has_permission(CLIENT, "read", doc=client, user=user) for client in clients)


def client_interaction_permission(doc, clients: list[str], ptype, user: str) -> bool:
	ptype = ptype or "read"
	if not may_read_all(clients, user):
		return False
	if ptype in READ_RIGHTS:
		return True
	if all(frappe.has_permission(CLIENT, "write", doc=client, user=user) for client in clients):
		return True
	return ptype != "create" and is_responsible(doc, user)


def is_responsible(doc, user: str) -> bool:
	if doc.get("owner") == user:
		return True
	if doc.doctype == TODO:
		return doc.get("allocated_to") == user
	return bool(
		doc.name
		and frappe.db.exists(
			"ToDo",
			{
				"reference_type": EVENT,
				"reference_name": doc.name,
				"allocated_to": user,
				"status": ("!=", CANCELLED),
			},
		)
	)


# --- lists, reports, the calendar's REST reads


def event_query_conditions(user=None) -> str:
	user = user or frappe.session.user
	readable = readable_clients_query(user)
	if readable is None:
		return ""
	return f"not exists ({hidden_participants_query('`tabEvent`.`name`', readable)})"


def todo_query_conditions(user=None) -> str:
	user = user or frappe.session.user
	readable = readable_clients_query(user)
	if readable is None:
		return ""
	return f"""(ifnull(`tabToDo`.`reference_type`, '') != 'Client'
		or `tabToDo`.`reference_name` in ({readable}))
		and (ifnull(`tabToDo`.`reference_type`, '') != 'Event'
		or not exists ({hidden_participants_query("`tabToDo`.`reference_name`", readable)}))"""


def hidden_participants_query(event_column: str, readable: str) -> str:
	"""SQL selecting the participant rows of the Event that name a Client the user may not read."""
	return f"""select 1 from `tabEvent Participants` hidden_client
		where hidden_client.`parent` = {event_column} and hidden_client.`parenttype` = 'Event'
		and hidden_client.`reference_doctype` = 'Client'
		and hidden_client.`reference_docname` not in ({readable})"""


def readable_clients_query(user: str) -> str | None:
	"""SQL selecting the names of the Clients the user may read (role permissions, user permissions, shares);
	None when there is nothing to narrow: the user may read every Client, or none (Frappe's own rules then
	show them only the Events they own or take part in and the ToDos assigned to or by them — putting a Client
	on one takes the right to edit it, and no Client's Event is public)."""
	if user == "Administrator" or not frappe.has_permission(CLIENT, "read", user=user):
		return None
	# the SQL text: Frappe 15 gives it, Frappe 16 a query builder whose text it is
	query = str(
		frappe.get_list(
			CLIENT, fields=["`tabClient`.`name`"], user=user, limit_page_length=0, order_by="", run=0
		)
	)
	if not re.search(r"\bwhere\b", query, re.IGNORECASE):
		return None  # every Client
	return query


def readable_clients_condition(user: str, client_column: str) -> str:
	"""SQL condition: the Client in `client_column` is one the user may read."""
	if not frappe.has_permission(CLIENT, "read", user=user):
		return "1 = 0"
	readable = readable_clients_query(user)
	return "1 = 1" if readable is None else f"{client_column} in ({readable})"
