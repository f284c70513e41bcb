"""Who may see and change a Client's interactions: the Client's permissions decide (hooks.py `has_permission` and
`permission_query_conditions` of Event and ToDo).

- whoever may not read every Client an Event or ToDo concerns does not see it — in its form, in lists and reports,
  over REST — even as its owner, or when the Event is Public;
- whoever may read the Clients sees it, also a colleague's private Event (Frappe's own rule shows a private Event
  only to its owner, which would hide a Client's interactions from the Client's team);
- planning (creating one) takes write on the Client; changing, completing or cancelling one takes write on the
  Client, or being its responsible user (its owner, the ToDo's assignee, an assignee of the Event).

Frappe asks the app's hook first (hooks are tried last-app-first) and stops at the first answer; Events and
ToDos that concern no Client get no answer here and keep Frappe's rules. List conditions are added to Frappe's
(they can only narrow what a user sees): a colleague's private Event still shows in the Client's Activities tab
and the «Взаимодействия с клиентами» report, which follow the Client's permissions, not in the Event list.
"""

import frappe

from crm_clients import interactions

READ_RIGHTS = ("read", "print", "email", "report", "export", "select")


def has_event_permission(doc, ptype=None, user=None, debug=False):
	return client_interaction_permission(doc, ptype, user)


def has_todo_permission(doc, ptype=None, user=None, debug=False):
	if doc.get("reference_type") == interactions.EVENT and doc.get("reference_name"):
		return event_assignment_permission(doc.reference_name, user)
	return client_interaction_permission(doc, ptype, user)


def event_assignment_permission(event: str, user) -> bool | None:
	"""An assignment of a Client's Event names the Client (its description is the Event's subject): hidden from
	whoever may not read the Client; otherwise Frappe's rules for ToDos."""
	user = user or frappe.session.user
	clients = [
		client for client in interactions.clients_of_event_name(event) if frappe.db.exists("Client", client)
	]
	if clients and not all(
		frappe.has_permission("Client", "read", doc=client, user=user) for client in clients
	):
		return False
	return None


def client_interaction_permission(doc, ptype, user) -> bool | None:
	clients = [client for client in interactions.clients_of(doc) if frappe.db.exists("Client", client)]
	if not clients:
		return None  # not a Client's interaction: Frappe's own rules
	user = user or frappe.session.user
	ptype = ptype or "read"
	if not all(frappe.has_permission("Client", "read", doc=client, user=user) for client in clients):
		return False
	if ptype in READ_RIGHTS:
		return True
	if all(frappe.has_permission("Client", "write", doc=client, user=user) for client in clients):
		return True
	return ptype != "create" and is_responsible(doc, user)


def is_responsible(doc, user: str) -> bool:
	if doc.get("owner") == user:
		return True
	if doc.doctype == interactions.TODO:
		return doc.get("allocated_to") == user
	return bool(
		doc.name
		and frappe.db.exists(
			"ToDo",
			{
				"reference_type": interactions.EVENT,
				"reference_name": doc.name,
				"allocated_to": user,
				"status": ("!=", interactions.CANCELLED),
			},
		)
	)


def event_query_conditions(user=None, doctype=None) -> str:
	user = user or frappe.session.user
	if user == "Administrator":
		return ""
	return f"""`tabEvent`.`name` not in ({hidden_events_query(readable_clients_query(user))})"""


def hidden_events_query(readable_clients: str) -> str:
	"""SQL selecting the Events that concern a Client the user may not read."""
	return f"""select `parent` from `tabEvent Participants`
		where `parenttype` = 'Event' and `reference_doctype` = 'Client'
		and `reference_docname` not in ({readable_clients})"""


def todo_query_conditions(user=None, doctype=None) -> str:
	user = user or frappe.session.user
	if user == "Administrator":
		return ""
	readable = readable_clients_query(user)
	return f"""(ifnull(`tabToDo`.`reference_type`, '') != 'Client'
		or `tabToDo`.`reference_name` in ({readable}))
		and (ifnull(`tabToDo`.`reference_type`, '') != 'Event'
		or `tabToDo`.`reference_name` not in ({hidden_events_query(readable)}))"""


def readable_clients_query(user: str) -> str:
	"""SQL selecting the names of the Clients the user may read (role permissions, user permissions, shares)."""
	if not frappe.has_permission("Client", "read", user=user):
		return "select `name` from `tabClient` where 1 = 0"
	return frappe.get_list(
		"Client", fields=["`tabClient`.`name`"], user=user, limit_page_length=0, order_by="", run=0
	)
