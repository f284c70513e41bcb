"""The Client's next interaction: `next_interaction` (the earliest open Event's start or open ToDo's date), its
kind (`next_interaction_type`) and `interaction_status` (Not Planned, Planned, Overdue), derived after every change
to one of its Events or ToDos (insert, save — the calendar's drag is a save —, delete) and never taken from a
request.

`interaction_status` follows from `next_interaction` and the clock, yet it is stored: the registry filters on it
(«Взаимодействия»: Запланировано, Просрочено, Без запланированных — a list's standard filter, its sidebar counts,
saved filters and REST filters are conditions on a column), which a value computed when a row is read cannot
serve. Planned turns Overdue with time alone, so a scheduled job (`mark_overdue`, every five minutes) moves the
Clients whose planned time has passed; everything that shows a single interaction (the report, the number card)
derives its state when it reads it (`status_of`).
"""

import frappe
from frappe.utils import get_datetime, getdate, now_datetime

from crm_clients.interactions.clients import (
	CLIENT,
	EVENT,
	OPEN,
	TODO,
	kind_of_event_category,
)
from crm_clients.vocabulary import NOT_PLANNED, OVERDUE, PLANNED, TASK

NEXT_INTERACTION_FIELDS = ("next_interaction", "next_interaction_type", "interaction_status")
NO_NEXT_INTERACTION = {
	"next_interaction": None,
	"next_interaction_type": None,
	"interaction_status": NOT_PLANNED,
}


def next_interaction_values(client: str, now=None) -> dict:
	"""The Client's `next_interaction` (the earliest open Event's start or open ToDo's date), its kind and
	whether it is overdue; all empty (Not Planned) when nothing is open."""
	candidates = [c for c in (first_open_event(client), first_open_todo(client)) if c]
	if not candidates:
		return dict(NO_NEXT_INTERACTION)
	at, kind, whole_day = min(candidates, key=lambda candidate: candidate[0])
	return {
		"next_interaction": at,
		"next_interaction_type": kind,
		"interaction_status": status_of(at, whole_day, now),
	}


def first_open_event(client: str):
	event = frappe.qb.DocType(EVENT)
	participant = frappe.qb.DocType("Event Participants")
	rows = (
		frappe.qb.from_(event)
		.join(participant)
		.on((participant.parent == event.name) & (participant.parenttype == EVENT))
		.select(event.starts_on, event.event_category, event.all_day)
		.where(
			(participant.reference_doctype == CLIENT)
			& (participant.reference_docname == client)
			& (event.status == OPEN)
			& event.starts_on.isnotnull()
		)
		.orderby(event.starts_on)
		.limit(1)
		.run(as_dict=True)
	)
	if not rows:
		return None
	return (
		get_datetime(rows[0].starts_on),
		kind_of_event_category(rows[0].event_category),
		bool(rows[0].all_day),
	)


def first_open_todo(client: str):
	"""A ToDo's date is a day: the next interaction is that day at 00:00 (the contract's "ToDo's date")."""
	rows = frappe.get_all(
		TODO,
		filters={
			"reference_type": CLIENT,
			"reference_name": client,
			"status": OPEN,
			"date": ("is", "set"),
		},
		fields=["date"],
		order_by="date asc",
		limit=1,
	)
	return (get_datetime(rows[0].date), TASK, True) if rows else None


def status_of(at, whole_day: bool = False, now=None) -> str:
	"""Overdue once its time is past and it is still open: an Event when it was to start; a task or an all-day
	event (a day) the day after."""
	now = now or now_datetime()
	if whole_day:
		return OVERDUE if getdate(at) < getdate(now) else PLANNED
	return OVERDUE if get_datetime(at) < now else PLANNED


def update_next_interaction(client: str) -> None:
	"""Derive the Client's next interaction again (a row write, without the Client's own validation: an
	interaction may change while the Client is on the route or converted)."""
	current = frappe.db.get_value(CLIENT, client, NEXT_INTERACTION_FIELDS, as_dict=True)
	if not current:
		return  # the Client is being deleted, or never existed
	values = next_interaction_values(client)
	if values["next_interaction"]:
		values["next_interaction"] = get_datetime(values["next_interaction"])
	if current.next_interaction:
		current.next_interaction = get_datetime(current.next_interaction)
	if any(current.get(field) != values[field] for field in NEXT_INTERACTION_FIELDS):
		frappe.db.set_value(CLIENT, client, values, update_modified=False)


def update_next_interactions(clients) -> None:
	for client in clients:
		update_next_interaction(client)


def mark_overdue() -> None:
	"""Scheduled (hooks.py): Planned turns Overdue when its time has passed — nothing else changes then. The
	Clients whose planned time is behind are derived again (a task, or an all-day event, stays planned for
	its whole day)."""
	clients = frappe.get_all(
		CLIENT,
		filters={"interaction_status": PLANNED, "next_interaction": ("<", now_datetime())},
		pluck="name",
	)
	update_next_interactions(clients)
