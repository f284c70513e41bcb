"""What every change to a Client's Event or ToDo respects, wherever it is made (the Event and ToDo `validate`
hooks, `crm_clients/overrides/event.py` and `todo.py`).

These checks run on every save whatever the order of the apps' permission hooks (see `access.py`): putting a
Client on an interaction takes the right to edit the Client, and a Client's Event is never public — Frappe shows a
public Event to every user, in the calendar too, also to those who may not see the Client.
"""

import frappe
from frappe import _
from frappe.utils import (
	add_to_date,
	format_date,
	format_datetime,
	get_datetime,
	getdate,
	now_datetime,
	nowdate,
)

from crm_clients.interactions.clients import (
	CLIENT,
	EVENT,
	added_clients,
	clients_of,
	clients_of_event_name,
	is_open,
)

# a time picked "now" in a dialog is a few seconds old when it is saved: that is not the past
PAST_GRACE_MINUTES = 5


def validate_event(event) -> None:
	clients = clients_of(event)
	if not clients:
		return
	check_clients_exist(clients)
	check_can_add_clients(event)
	check_not_public(event)
	if event.repeat_this_event:
		frappe.throw(
			_(
				"An interaction with a Client happens once: plan each call or meeting as its own event (repeating events are not supported for Clients)."
			),
			title=_("Interactions"),
		)
	check_contacts_belong_to(event, clients)
	check_ends_after_it_starts(event.starts_on, event.ends_on)
	check_not_planned_in_the_past(event)
	name_clients_in_subject(event, clients)


def validate_todo(todo) -> None:
	clients = clients_of(todo)
	if clients:
		check_clients_exist(clients)
		check_can_add_clients(todo)
		check_user_can_be_responsible(todo.allocated_to)
		check_not_planned_in_the_past(todo)
	elif todo.reference_type == EVENT and todo.reference_name and todo.is_new():
		# an assignment of a Client's Event: the responsible user of the interaction
		if clients_of_event_name(todo.reference_name):
			check_user_can_be_responsible(todo.allocated_to)


def check_clients_exist(clients: list[str]) -> None:
	missing = [client for client in clients if not frappe.db.exists(CLIENT, client)]
	if missing:
		frappe.throw(
			_("Client {0} does not exist.").format(", ".join(frappe.bold(name) for name in missing)),
			frappe.LinkValidationError,
		)


def check_can_add_clients(doc) -> None:
	"""Putting a Client on an Event or a ToDo (planning with it) takes the right to edit the Client — also when
	Frappe's own rule for Events (the owner may do anything) is the one asked. Frappe's assignments
	(`ignore_permissions`) are its own bookkeeping."""
	if doc.flags.ignore_permissions:
		return
	for client in added_clients(doc):
		if not frappe.has_permission(CLIENT, "write", doc=client):
			frappe.throw(
				_("Planning an interaction with Client {0} takes the right to edit the Client.").format(
					frappe.bold(client)
				),
				frappe.PermissionError,
			)


def check_not_public(event) -> None:
	if event.event_type != "Public":
		return
	if event.is_new() or event.has_value_changed("event_type") or added_clients(event):
		frappe.throw(
			_(
				"An interaction with a Client cannot be a public event: Frappe shows public events to every user, in the calendar too, also to those who may not see the Client."
			),
			title=_("Interactions"),
		)


def check_contacts_belong_to(event, clients: list[str]) -> None:
	"""A contact person on a Client's interaction is one of the Client's contact persons."""
	contacts = [
		row.reference_docname for row in event.event_participants if row.reference_doctype == "Contact"
	]
	if not contacts:
		return
	known = set(
		frappe.get_all(
			"Client Contact",
			filters={"parenttype": CLIENT, "parent": ("in", clients), "contact": ("in", contacts)},
			pluck="contact",
		)
	)
	stranger = next((contact for contact in contacts if contact not in known), None)
	if stranger:
		frappe.throw(
			_(
				"Contact {0} is not a contact person of Client {1}: choose one of the Client's contact persons, or add {0} to the Client first."
			).format(frappe.bold(stranger), frappe.bold(", ".join(clients))),
			title=_("Interactions"),
		)


def check_ends_after_it_starts(starts_on, ends_on) -> None:
	"""To the minute (Frappe's own Event check compares the days only)."""
	if starts_on and ends_on and get_datetime(ends_on) < get_datetime(starts_on):
		frappe.throw(
			_("The interaction cannot end ({0}) before it starts ({1}).").format(
				format_datetime(ends_on), format_datetime(starts_on)
			),
			frappe.exceptions.InvalidDates,
			title=_("Interactions"),
		)


def check_not_planned_in_the_past(doc) -> None:
	"""An open interaction is planned for now or later: refused when it is made, reopened or moved into the
	past (an interaction that became overdue may still be edited, reassigned or closed)."""
	if not is_open(doc):
		return
	fieldname = "starts_on" if doc.doctype == EVENT else "date"
	value = doc.get(fieldname)
	if not value:
		return
	before = doc.get_doc_before_save()
	if before and is_open(before) and before.get(fieldname) and same_time(before.get(fieldname), value):
		return
	if doc.doctype == EVENT and not doc.all_day:
		past = get_datetime(value) < add_to_date(now_datetime(), minutes=-PAST_GRACE_MINUTES)
		shown = format_datetime(value)
	else:  # a task's or an all-day event's day
		past = getdate(value) < getdate(nowdate())
		shown = format_date(value)
	if past:
		frappe.throw(
			_(
				"An open interaction cannot be planned in the past ({0}): choose a later time, or log it as done if it has already happened."
			).format(shown),
			title=_("Interactions"),
		)


def same_time(a, b) -> bool:
	return get_datetime(a) == get_datetime(b)


def check_user_can_be_responsible(user: str | None) -> None:
	"""The responsible user exists and is enabled (the assignee gets the notifications and the reminders)."""
	if not user:
		return
	enabled = frappe.db.get_value("User", user, "enabled")
	if enabled is None:
		frappe.throw(_("User {0} does not exist.").format(frappe.bold(user)), frappe.LinkValidationError)
	if not enabled:
		frappe.throw(
			_("User {0} is disabled: choose someone else to be responsible for the interaction.").format(
				frappe.bold(user)
			),
			title=_("Interactions"),
		)


def name_clients_in_subject(event, clients: list[str]) -> None:
	"""The calendar shows an Event's subject: it names the Client, wherever the Event was made."""
	subject = (event.subject or "").strip()
	names = frappe.get_all(CLIENT, filters={"name": ("in", clients)}, pluck="client_name")
	missing = [name for name in names if name and name not in subject]
	if missing:
		event.subject = " — ".join([subject, *missing]) if subject else " — ".join(missing)
