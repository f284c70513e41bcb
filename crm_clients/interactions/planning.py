"""Planning, completing and cancelling interactions with a Client (the Client form's dialogs, the API), and the
responsible colleague's assignment.

A planned interaction is a Frappe Event: its category is the kind, its participants the Client and, optionally,
one of the Client's contact persons, its description the notes. The responsible user is assigned to it with
Frappe's own assignment, which notifies them (and e-mails them when outgoing mail is set up); the Event is shared
with them, so it is in their calendar and in Frappe's daily reminder of the day's events (`send_reminder`), and
they may complete it under Frappe's own rules for Events. A call that already happened is logged at once as
done, with its outcome.
"""

import frappe
from frappe import _
from frappe.utils import get_datetime, getdate

from crm_clients.interactions import access, rules
from crm_clients.interactions.clients import (
	CANCELLED,
	CLIENT,
	EVENT,
	EVENT_CATEGORY_OF_KIND,
	EVENT_DONE,
	OPEN,
	TODO,
	TODO_DONE,
	clients_of,
	clients_of_event_name,
	is_open,
)
from crm_clients.vocabulary import PLANNABLE_KINDS, kind_label


def plan_interaction(
	client: str,
	kind: str,
	starts_on: str,
	ends_on: str | None = None,
	responsible: str | None = None,
	contact: str | None = None,
	subject: str | None = None,
	notes: str | None = None,
	done: bool = False,
	outcome: str | None = None,
) -> str:
	"""Create the Event of an interaction with the Client; returns its name."""
	doc = get_client(client)
	check_can_plan(doc)
	if kind not in PLANNABLE_KINDS:
		frappe.throw(
			_("Choose the kind of interaction: a call, a meeting, an e-mail or other."),
			title=_("Interactions"),
		)
	if not starts_on:
		frappe.throw(_("Choose when the interaction takes place."), frappe.MandatoryError)
	starts_on = get_datetime(starts_on)
	ends_on = get_datetime(ends_on) if ends_on else None
	rules.check_ends_after_it_starts(starts_on, ends_on)
	done = frappe.utils.cint(done)
	outcome = (outcome or "").strip()
	if done and not outcome:
		frappe.throw(
			_("Say how it went: the outcome of a done interaction is required."), frappe.MandatoryError
		)
	responsible = responsible or frappe.session.user
	check_responsible(responsible, doc)
	if contact and contact not in {row.contact for row in doc.contacts}:
		frappe.throw(
			_("Contact {0} is not a contact person of Client {1}.").format(
				frappe.bold(contact), frappe.bold(doc.client_name)
			),
			title=_("Interactions"),
		)

	participants = [{"reference_doctype": CLIENT, "reference_docname": doc.name}]
	if contact:
		participants.append({"reference_doctype": "Contact", "reference_docname": contact})
	event = frappe.get_doc(
		{
			"doctype": EVENT,
			"subject": (subject or "").strip() or f"{kind_label(kind)}: {doc.client_name}",
			"event_category": EVENT_CATEGORY_OF_KIND[kind],
			"event_type": "Private",
			"send_reminder": 1,
			"starts_on": starts_on,
			"ends_on": ends_on,
			"description": notes,
			"status": EVENT_DONE if done else OPEN,
			"interaction_outcome": outcome if done else None,
			"event_participants": participants,
		}
	).insert()
	if not done:
		assign(event, responsible, starts_on)
	elif responsible != frappe.session.user:
		# logged as done by its responsible colleague: recorded as their (closed) assignment
		assign(event, responsible, starts_on)
		close_event_assignments(event)
	return event.name


def assign(event, user: str, starts_on) -> None:
	from frappe.desk.form.assign_to import add

	add(
		{
			"assign_to": [user],
			"doctype": EVENT,
			"name": event.name,
			"description": event.subject,
			"date": getdate(starts_on),
		}
	)


def complete_interaction(doctype: str, name: str, outcome: str | None = None) -> None:
	"""Mark an open interaction done, with its outcome (it goes to the Client's timeline)."""
	doc = get_open_interaction(doctype, name)
	outcome = (outcome or "").strip()
	if not outcome:
		frappe.throw(
			_("Say how it went: the outcome of a done interaction is required."), frappe.MandatoryError
		)
	doc.status = EVENT_DONE if doctype == EVENT else TODO_DONE
	doc.interaction_outcome = outcome
	doc.flags.ignore_permissions = True  # the app's rule was checked (get_open_interaction)
	doc.save()


def cancel_interaction(doctype: str, name: str, reason: str | None = None) -> None:
	"""Cancel an open interaction; the reason, if given, goes to the Client's timeline."""
	doc = get_open_interaction(doctype, name)
	doc.status = CANCELLED
	doc.interaction_outcome = (reason or "").strip() or None
	doc.flags.ignore_permissions = True  # the app's rule was checked (get_open_interaction)
	doc.save()


def get_open_interaction(doctype: str, name: str):
	if doctype not in (EVENT, TODO) or not name or not frappe.db.exists(doctype, name):
		frappe.throw(
			_("{0} {1} does not exist.").format(_(doctype), frappe.bold(name)), frappe.DoesNotExistError
		)
	doc = frappe.get_doc(doctype, name)
	if not clients_of(doc):
		frappe.throw(_("{0} {1} is not an interaction with a Client.").format(_(doctype), frappe.bold(name)))
	access.check_interaction_permission(doc, "write")
	if not is_open(doc):
		frappe.throw(
			_("{0} {1} is no longer open.").format(_(doctype), frappe.bold(name)), title=_("Interactions")
		)
	return doc


def get_client(client: str):
	if not client or not frappe.db.exists(CLIENT, client):
		frappe.throw(_("Client {0} does not exist.").format(frappe.bold(client)), frappe.DoesNotExistError)
	doc = frappe.get_doc(CLIENT, client)
	doc.check_permission("read")
	return doc


def check_can_plan(client) -> None:
	if not frappe.has_permission(CLIENT, "write", doc=client):
		raise frappe.PermissionError(
			_("Planning an interaction with Client {0} takes the right to edit the Client.").format(
				frappe.bold(client.client_name)
			)
		)


def check_responsible(user: str, client) -> None:
	"""An enabled desk user who may see the Client (the Event and its reminders name the Client)."""
	rules.check_user_can_be_responsible(user)
	if frappe.db.get_value("User", user, "user_type") != "System User":
		frappe.throw(
			_("{0} is not a desk user: choose a colleague to be responsible for the interaction.").format(
				frappe.bold(user)
			),
			title=_("Interactions"),
		)
	if not frappe.has_permission(CLIENT, "read", doc=client, user=user):
		frappe.throw(
			_(
				"{0} may not see Client {1}: choose a colleague who may, or share the Client with them first."
			).format(frappe.bold(user), frappe.bold(client.client_name)),
			title=_("Interactions"),
		)


def close_event_assignments(event) -> None:
	"""A done or cancelled interaction leaves nothing open in its assignee's ToDo list."""
	from frappe.desk.form.assign_to import close_all_assignments

	# bookkeeping of the Event being closed (the assignees' ToDos may be other users')
	close_all_assignments(EVENT, event.name, ignore_permissions=True)


def share_event_with_assignee(todo) -> None:
	"""The responsible user of a Client's Event sees it in their calendar and in Frappe's daily reminder of
	today's events, which list the events a user owns or that are shared with them; the share lets them
	complete it under Frappe's own rule for Events (which lets only the owner change a private Event)."""
	if todo.reference_type != EVENT or not todo.reference_name or not todo.allocated_to:
		return
	if not clients_of_event_name(todo.reference_name):
		return
	owner = frappe.db.get_value(EVENT, todo.reference_name, "owner")
	if owner == todo.allocated_to:
		return
	frappe.share.add_docshare(
		EVENT,
		todo.reference_name,
		todo.allocated_to,
		read=1,
		write=1,
		flags={"ignore_share_permission": True},
	)
