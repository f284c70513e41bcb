# Copyright (c) 2026, crm_clients developers and contributors
# For license information, please see license.txt

"""«Взаимодействия с клиентами» (Client Interactions): planned and done interactions with the Clients the user may
read, by Client, kind, responsible user and period, with counts.

One row per interaction and Client (an Event with two Clients is counted for each), or, grouped by Client, kind
or responsible user, one row per group with its counts. The responsible user of an Event is its (first, not
cancelled) assignee, else its owner; of a ToDo, its assignee, else its owner.
"""

import frappe
from frappe import _
from frappe.utils import get_datetime, getdate, now_datetime

from crm_clients import vocabulary
from crm_clients.interactions.access import readable_clients_condition
from crm_clients.interactions.clients import CANCELLED, EVENT, OPEN, TODO, kind_of_event_category
from crm_clients.interactions.next_interaction import status_of
from crm_clients.vocabulary import OVERDUE, PLANNED, TASK

DONE = "Done"
STATUSES = (PLANNED, OVERDUE, DONE, CANCELLED)
GROUPS = {"Client": "client", "Kind": "kind", "Responsible": "responsible"}


def execute(filters=None):
	filters = frappe._dict(filters or {})
	rows = get_interactions(filters)
	summary = get_summary(rows)
	chart = get_chart(rows)
	if filters.group_by in GROUPS:
		return (
			group_columns(filters.group_by),
			group_rows(rows, GROUPS[filters.group_by]),
			None,
			chart,
			summary,
		)
	return (
		detail_columns(),
		sorted(rows, key=lambda row: row.date or get_datetime("1900-01-01")),
		None,
		chart,
		summary,
	)


def count_overdue() -> int:
	"""The open interactions past their time, counted as the report lists them (an Event once per Client), of
	the Clients the user may read: counted by the database, as the number card asks for it on every load."""
	if not frappe.has_permission("Client", "read"):
		return 0
	now = now_datetime()
	values = {"now": now, "today": getdate(now)}
	events = frappe.db.sql(
		f"""
		select count(*)
		from `tabEvent` event
		join `tabEvent Participants` participant
			on participant.parent = event.name and participant.parenttype = 'Event'
			and participant.reference_doctype = 'Client'
		join `tabClient` client on client.name = participant.reference_docname
		where {readable_clients_condition(frappe.session.user, "participant.reference_docname")}
			and event.status = 'Open'
			and if(event.all_day = 1, date(event.starts_on) < %(today)s, event.starts_on < %(now)s)
		""",
		values,
	)[0][0]
	todos = frappe.db.sql(
		f"""
		select count(*)
		from `tabToDo` todo
		join `tabClient` client on client.name = todo.reference_name
		where todo.reference_type = 'Client' and {readable_clients_condition(frappe.session.user, "todo.reference_name")}
			and todo.status = 'Open' and todo.date < %(today)s
		""",
		values,
	)[0][0]
	return events + todos


# --- the interactions


def get_interactions(filters) -> list[frappe._dict]:
	if not frappe.has_permission("Client", "read"):
		return []
	if filters.get("mine"):
		filters.responsible = frappe.session.user
	now = now_datetime()
	rows = get_event_rows(filters, now) + get_todo_rows(filters, now)
	if filters.get("kind"):
		rows = [row for row in rows if row.kind == filters.kind]
	if filters.get("responsible"):
		rows = [row for row in rows if row.responsible == filters.responsible]
	if filters.get("status"):
		rows = [row for row in rows if row.status == filters.status]
	for row in rows:
		row.kind_label = vocabulary.kind_label(row.kind)
		row.status_label = status_label(row.status)
	return rows


def client_conditions(filters, client_column: str) -> tuple[str, dict]:
	conditions = readable_clients_condition(frappe.session.user, client_column)
	values = {}
	if filters.get("client"):
		conditions += f" and {client_column} = %(client)s"
		values["client"] = filters.client
	return conditions, values


def period_conditions(filters, date_column: str) -> tuple[str, dict]:
	conditions, values = "", {}
	if filters.get("from_date"):
		conditions += f" and date({date_column}) >= %(from_date)s"
		values["from_date"] = getdate(filters.from_date)
	if filters.get("to_date"):
		conditions += f" and date({date_column}) <= %(to_date)s"
		values["to_date"] = getdate(filters.to_date)
	return conditions, values


def get_event_rows(filters, now) -> list[frappe._dict]:
	clients, values = client_conditions(filters, "participant.reference_docname")
	period, period_values = period_conditions(filters, "event.starts_on")
	events = frappe.db.sql(
		f"""
		select event.name, event.subject as title, event.event_category, event.starts_on as date,
			event.status as doc_status, event.owner, event.interaction_outcome as outcome, event.all_day,
			participant.reference_docname as client, client.client_name
		from `tabEvent` event
		join `tabEvent Participants` participant
			on participant.parent = event.name and participant.parenttype = 'Event'
			and participant.reference_doctype = 'Client'
		join `tabClient` client on client.name = participant.reference_docname
		where {clients} {period}
		""",
		{**values, **period_values},
		as_dict=True,
	)
	names = list({event.name for event in events})
	assignees = event_assignees(names)
	contacts = event_contacts(names)
	for event in events:
		kind = kind_of_event_category(event.event_category)
		event.update(
			doctype=EVENT,
			kind=kind,
			responsible=assignees.get(event.name) or event.owner,
			contact=contacts.get(event.name),
			status=row_status(event.doc_status, event.date, bool(event.all_day), now),
		)
	return events


def get_todo_rows(filters, now) -> list[frappe._dict]:
	clients, values = client_conditions(filters, "todo.reference_name")
	period, period_values = period_conditions(filters, "coalesce(todo.date, todo.creation)")
	todos = frappe.db.sql(
		f"""
		select todo.name, todo.description as title, todo.date, todo.status as doc_status,
			coalesce(todo.allocated_to, todo.owner) as responsible, todo.interaction_outcome as outcome,
			todo.reference_name as client, client.client_name
		from `tabToDo` todo
		join `tabClient` client on client.name = todo.reference_name
		where todo.reference_type = 'Client' and {clients} {period}
		""",
		{**values, **period_values},
		as_dict=True,
	)
	for todo in todos:
		todo.update(
			doctype=TODO,
			kind=TASK,
			title=frappe.utils.strip_html(todo.title or ""),
			date=get_datetime(todo.date) if todo.date else None,
			contact=None,
			status=row_status(todo.doc_status, todo.date, True, now),
		)
	return todos


def row_status(doc_status: str, date, whole_day: bool, now) -> str:
	if doc_status == OPEN:
		return status_of(date, whole_day, now) if date else PLANNED
	if doc_status == CANCELLED:
		return CANCELLED
	return DONE


def event_assignees(events: list[str]) -> dict[str, str]:
	if not events:
		return {}
	assignees = {}
	for row in frappe.get_all(
		"ToDo",
		filters={"reference_type": EVENT, "reference_name": ("in", events), "status": ("!=", CANCELLED)},
		fields=["reference_name", "allocated_to"],
		order_by="creation asc",
	):
		assignees.setdefault(row.reference_name, row.allocated_to)
	return assignees


def event_contacts(events: list[str]) -> dict[str, str]:
	if not events:
		return {}
	contacts = {}
	for row in frappe.get_all(
		"Event Participants",
		filters={"parenttype": EVENT, "parent": ("in", events), "reference_doctype": "Contact"},
		fields=["parent", "reference_docname"],
		order_by="idx asc",
	):
		contacts.setdefault(row.parent, row.reference_docname)
	return contacts


def status_label(status: str) -> str:
	"""Planned and Overdue in the app's words (the vocabulary's); Done and Cancelled are the report's own."""
	if status in (PLANNED, OVERDUE):
		return vocabulary.interaction_status_label(status)
	labels = {
		DONE: _("Done", context="Client"),
		CANCELLED: _("Cancelled", context="Client"),
	}
	return labels.get(status, status)


# --- columns, groups, counts


def detail_columns() -> list[dict]:
	return [
		{"fieldname": "date", "label": _("Date"), "fieldtype": "Datetime", "width": 150},
		{"fieldname": "client", "label": _("Client"), "fieldtype": "Link", "options": "Client", "width": 120},
		{"fieldname": "client_name", "label": _("Client Name"), "fieldtype": "Data", "width": 180},
		{"fieldname": "kind_label", "label": _("Kind"), "fieldtype": "Data", "width": 100},
		{"fieldname": "title", "label": _("Subject"), "fieldtype": "Data", "width": 220},
		{"fieldname": "status_label", "label": _("Status"), "fieldtype": "Data", "width": 110},
		{
			"fieldname": "responsible",
			"label": _("Responsible"),
			"fieldtype": "Link",
			"options": "User",
			"width": 170,
		},
		{
			"fieldname": "contact",
			"label": _("Contact Person"),
			"fieldtype": "Link",
			"options": "Contact",
			"width": 140,
		},
		{"fieldname": "outcome", "label": _("Outcome"), "fieldtype": "Data", "width": 220},
		{"fieldname": "doctype", "label": _("Document Type"), "fieldtype": "Data", "hidden": 1},
		{
			"fieldname": "name",
			"label": _("Interaction"),
			"fieldtype": "Dynamic Link",
			"options": "doctype",
			"width": 120,
		},
	]


def group_columns(group_by: str) -> list[dict]:
	first = {
		"Client": {"fieldname": "client", "label": _("Client"), "fieldtype": "Link", "options": "Client"},
		"Kind": {"fieldname": "kind_label", "label": _("Kind"), "fieldtype": "Data"},
		"Responsible": {
			"fieldname": "responsible",
			"label": _("Responsible"),
			"fieldtype": "Link",
			"options": "User",
		},
	}[group_by]
	columns = [{**first, "width": 200}]
	if group_by == "Client":
		columns.append(
			{"fieldname": "client_name", "label": _("Client Name"), "fieldtype": "Data", "width": 200}
		)
	columns.append({"fieldname": "total", "label": _("All Interactions"), "fieldtype": "Int", "width": 120})
	for status in STATUSES:
		columns.append(
			{
				"fieldname": frappe.scrub(status),
				"label": status_label(status),
				"fieldtype": "Int",
				"width": 110,
			}
		)
	return columns


def group_rows(rows: list[frappe._dict], key: str) -> list[frappe._dict]:
	groups: dict = {}
	for row in rows:
		group = groups.setdefault(
			row.get(key),
			frappe._dict(
				{
					key: row.get(key),
					"client": row.client,
					"client_name": row.client_name,
					"kind_label": row.kind_label,
					"responsible": row.responsible,
					"total": 0,
					**{frappe.scrub(status): 0 for status in STATUSES},
				}
			),
		)
		group.total += 1
		group[frappe.scrub(row.status)] += 1
	return sorted(groups.values(), key=lambda group: (-group.total, str(group.get(key) or "")))


def get_summary(rows: list[frappe._dict]) -> list[dict]:
	counts = {status: sum(1 for row in rows if row.status == status) for status in STATUSES}
	indicators = {PLANNED: "Blue", OVERDUE: "Red", DONE: "Green", CANCELLED: "Grey"}
	return [{"value": len(rows), "label": _("All Interactions"), "datatype": "Int", "indicator": "Grey"}] + [
		{
			"value": counts[status],
			"label": status_label(status),
			"datatype": "Int",
			"indicator": indicators[status],
		}
		for status in STATUSES
	]


def get_chart(rows: list[frappe._dict]) -> dict | None:
	if not rows:
		return None
	kinds = [kind for kind in vocabulary.ALL_KINDS if any(row.kind == kind for row in rows)]
	return {
		"data": {
			"labels": [vocabulary.kind_label(kind) for kind in kinds],
			"datasets": [
				{
					"name": status_label(status),
					"values": [
						sum(1 for row in rows if row.kind == kind and row.status == status) for kind in kinds
					],
				}
				for status in STATUSES
			],
		},
		"type": "bar",
		"barOptions": {"stacked": 1},
		"colors": ["#2490EF", "#E24C4C", "#29CD42", "#98A2B3"],  # planned, overdue, done, cancelled
	}
