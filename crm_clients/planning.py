"""Planning, completing and cancelling interactions with a Client (the Client form's dialogs, the API).

A planned interaction is a Frappe Event (`interactions.py` says why): its category is the kind, its participants
the Client and, optionally, one of the Client's contact persons, its description the notes. The responsible user
is assigned to it with Frappe's own assignment, which notifies them (and e-mails them when outgoing mail is set
up); the Event is shared with them, so it is in their calendar and in Frappe's daily reminder of the day's events
(`send_reminder`). A call that already happened is logged at once as done, with its outcome.
"""

import frappe
from frappe import _
from frappe.utils import get_datetime, getdate

from crm_clients import interactions
from crm_clients.interactions import EVENT, TODO


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
	if kind not in interactions.PLANNABLE_KINDS:
		frappe.throw(
			_("Choose the kind of interaction: a call, a meeting, an e-mail or other."),
			title=_("Interactions"),
		)
	if not starts_on:
		frappe.throw(_("Choose when the interaction takes place."), frappe.MandatoryError)
	starts_on = get_datetime(starts_on)
	ends_on = get_datetime(ends_on) if ends_on else None
	interactions.check_ends_after_it_starts(starts_on, ends_on)
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

	participants = [{"reference_doctype": "Client", "reference_docname": doc.name}]
	if contact:
		participants.append({"reference_doctype": "Contact", "reference_docname": contact})
	event = frappe.get_doc(
		{
			"doctype": EVENT,
			"subject": (subject or "").strip() or f"{interactions.kind_label(kind)}: {doc.client_name}",
			"event_category": interactions.EVENT_CATEGORY_OF_KIND[kind],
			"event_type": "Private",
			"send_reminder": 1,
			"starts_on": starts_on,
			"ends_on": ends_on,
			"description": notes,
			"status": interactions.EVENT_DONE if done else interactions.OPEN,
			"interaction_outcome": outcome if done else None,
			"event_participants": participants,
		}
	).insert()
	if not done:
		assign(event, responsible, starts_on)
	elif responsible != frappe.session.user:
		# logged as done by its responsible colleague: recorded as their (closed) assignment
		assign(event, responsible, starts_on)
		interactions.close_event_assignments(event)
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
	doc.status = interactions.EVENT_DONE if doctype == EVENT else interactions.TODO_DONE
	doc.interaction_outcome = outcome
	doc.save()


def cancel_interaction(doctype: str, name: str, reason: str | None = None) -> None:
	"""Cancel an open interaction; the reason, if given, goes to the Client's timeline."""
	doc = get_open_interaction(doctype, name)
	doc.status = interactions.CANCELLED
	doc.interaction_outcome = (reason or "").strip() or None
	doc.save()


def get_open_interaction(doctype: str, name: str):
	if doctype not in (EVENT, TODO) or not name or not frappe.db.exists(doctype, name):
		frappe.throw(
			_("{0} {1} does not exist.").format(_(doctype), frappe.bold(name)), frappe.DoesNotExistError
		)
	doc = frappe.get_doc(doctype, name)
	if not interactions.clients_of(doc):
		frappe.throw(_("{0} {1} is not an interaction with a Client.").format(_(doctype), frappe.bold(name)))
	doc.check_permission("write")
	if not interactions.is_open(doc):
		frappe.throw(
			_("{0} {1} is no longer open.").format(_(doctype), frappe.bold(name)), title=_("Interactions")
		)
	return doc


def get_client(client: str):
	if not client or not frappe.db.exists("Client", client):
		frappe.throw(_("Client {0} does not exist.").format(frappe.bold(client)), frappe.DoesNotExistError)
	doc = frappe.get_doc("Client", client)
	doc.check_permission("read")
	return doc


def check_can_plan(client) -> None:
	if not frappe.has_permission("Client", "write", doc=client):
		raise frappe.PermissionError(
			_("Planning an interaction with Client {0} takes the right to edit the Client.").format(
				frappe.bold(client.client_name)
			)
		)


def check_responsible(user: str, client) -> None:
	"""An enabled desk user who may see the Client (the Event and its reminders name the Client)."""
	interactions.check_user_can_be_responsible(user)
	if frappe.db.get_value("User", user, "user_type") != "System User":
		frappe.throw(
			_("{0} is not a desk user: choose a colleague to be responsible for the interaction.").format(
				frappe.bold(user)
			),
			title=_("Interactions"),
		)
	if not frappe.has_permission("Client", "read", doc=client, user=user):
		frappe.throw(
			_(
				"{0} may not see Client {1}: choose a colleague who may, or share the Client with them first."
			).format(frappe.bold(user), frappe.bold(client.client_name)),
			title=_("Interactions"),
		)
