"""Which Clients an Event or a ToDo is an interaction with, its kind and whether it is open.

- kind: an Event's category (Call, Meeting, Sent/Received Email → Email, anything else → Other); a ToDo is a Task;
- open: status Open; done: an Event Completed or Closed, a ToDo Closed; or Cancelled.
"""

import frappe

from crm_clients.vocabulary import CALL, EMAIL, MEETING, OTHER, TASK

CLIENT = "Client"
EVENT = "Event"
TODO = "ToDo"

# a kind is an Event's category: Frappe's own field, shown in the Event form and the calendar
EVENT_CATEGORY_OF_KIND = {CALL: "Call", MEETING: "Meeting", EMAIL: "Sent/Received Email", OTHER: "Other"}
KIND_OF_EVENT_CATEGORY = {category: kind for kind, category in EVENT_CATEGORY_OF_KIND.items()}

# statuses of the Event and ToDo doctypes
OPEN = "Open"
CANCELLED = "Cancelled"
EVENT_DONE = "Completed"
TODO_DONE = "Closed"


def kind_of_event_category(category: str | None) -> str:
	return KIND_OF_EVENT_CATEGORY.get(category or "", OTHER)


def kind_of(doc) -> str:
	return kind_of_event_category(doc.event_category) if doc.doctype == EVENT else TASK


def clients_of(doc) -> list[str]:
	"""The Clients an Event (its participant rows) or a ToDo (its reference) is an interaction with."""
	if not doc:
		return []
	if doc.doctype == EVENT:
		return list(
			dict.fromkeys(
				row.reference_docname
				for row in doc.get("event_participants") or []
				if row.reference_doctype == CLIENT and row.reference_docname
			)
		)
	if doc.doctype == TODO and doc.get("reference_type") == CLIENT and doc.get("reference_name"):
		return [doc.reference_name]
	return []


def clients_of_event_name(event: str) -> list[str]:
	"""The Clients of a saved Event (an assignment's ToDo names only its Event)."""
	return frappe.get_all(
		"Event Participants",
		filters={"parenttype": EVENT, "parent": event, "reference_doctype": CLIENT},
		pluck="reference_docname",
		distinct=True,
	)


def affected_clients(doc) -> list[str]:
	"""The Clients of the document now and before this save (an interaction moved to another Client, or away)."""
	return list(dict.fromkeys(clients_of(doc.get_doc_before_save()) + clients_of(doc)))


def added_clients(doc) -> list[str]:
	"""The Clients this save puts on the document (all of them when it is new)."""
	before = set(clients_of(doc.get_doc_before_save()))
	return [client for client in clients_of(doc) if client not in before]


def is_open(doc) -> bool:
	return doc.get("status") == OPEN


def has_just_closed(doc) -> bool:
	before = doc.get_doc_before_save()
	return not is_open(doc) and (before is None or is_open(before))
