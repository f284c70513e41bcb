"""A Client's history: what its conversion carries to the Customer, and the e-mails of its contact persons.

Conversion (`conversion.make_customer`, inside its all-or-nothing savepoint) carries the Client's history to the
Customer the way ERPNext carries a Lead's into an Opportunity or Customer (`erpnext.crm.utils`): its e-mails and
open events are linked to the Customer, its comments copied, its open tasks moved. Where ERPNext's helpers do
not fit, the function here says why.
"""

import json

import frappe
from frappe import _
from frappe.utils import format_datetime, get_fullname, get_link_to_form

from crm_clients.contacts import contacts_before_save

CLIENT = "Client"


def carry_to_customer(client, customer) -> None:
	from erpnext.crm.utils import link_communications

	copy_notes(client, customer)
	copy_comments(client, customer)
	link_communications(CLIENT, client.name, customer)
	link_open_events(client, customer)
	move_open_tasks(client, customer)


def link_open_events(client, customer) -> None:
	"""The Client's open Events get the Customer as a participant too, as ERPNext links a Lead's.

	Not `erpnext.crm.utils.link_open_events`: it saves each Event with the caller's rights, where Frappe 16's
	Event rule lets only its owner save it, so a colleague's meeting would stop the conversion half-way. A Client's
	Events follow the Client's permissions (`interactions/access.py`): the converter's right to edit each is
	checked, then the Customer is added.
	"""
	from erpnext.crm.utils import get_open_events

	from crm_clients.interactions.access import check_interaction_permission

	for row in get_open_events(CLIENT, client.name):
		event = frappe.get_doc("Event", row.name)
		check_interaction_permission(event, "write")
		event.add_participant(customer.doctype, customer.name)
		event.flags.ignore_permissions = True  # checked above, on the Client's Event
		event.save()


def copy_notes(client, customer) -> None:
	"""The Client's notes (CRM Note rows) become comments on the Customer's timeline, with who wrote them and
	when: a Customer has no notes table (ERPNext copies a Lead's notes only into a Prospect, which has one)."""
	for note in sorted(client.get("notes") or [], key=lambda row: str(row.added_on or "")):
		header = _("Note on Client {0} by {1}, {2}:").format(
			get_link_to_form(CLIENT, client.name),
			get_fullname(note.added_by) if note.added_by else _("unknown"),
			format_datetime(note.added_on) if note.added_on else "",
		)
		customer.add_comment("Comment", f"<p>{header}</p>{note.note or ''}", note.added_by)


def copy_comments(client, customer) -> None:
	"""The Client's comments, copied to the Customer.

	Not `erpnext.crm.utils.copy_comments`: it inserts each Comment with the caller's rights, and only System
	Managers may create Comment documents directly, so a salesperson's conversion would fail on the first one.
	A comment belongs to the timeline of a document the converter may edit: it is copied as Frappe's own
	`Document.add_comment` writes one.
	"""
	comments = frappe.get_all(
		"Comment",
		filters={"reference_doctype": CLIENT, "reference_name": client.name, "comment_type": "Comment"},
		fields=["content", "comment_email", "comment_by"],
		order_by="creation asc",
	)
	for comment in comments:
		customer.add_comment("Comment", comment.content, comment.comment_email, comment.comment_by)


def move_open_tasks(client, customer) -> None:
	"""The Client's open ToDos now refer to the Customer, as ERPNext moves a Lead's to its Opportunity.

	Not `erpnext.crm.utils.link_open_tasks`: it saves each ToDo with the caller's rights once it points at the
	Customer, where Frappe's ToDo rules let only its assignee, its assigner or a System Manager save it, so a
	colleague's task would stop the conversion half-way. A Client's ToDos follow the Client's permissions
	(`interactions/access.py`): the converter's right to edit each is checked while it is still the Client's, then
	it is moved. The route's assignments to convert the Client stay: the conversion closes them
	(`conversion.close_assignments`).
	"""
	from erpnext.crm.utils import get_open_todos

	from crm_clients.interactions.access import check_interaction_permission

	for row in get_open_todos(CLIENT, client.name):
		todo = frappe.get_doc("ToDo", row.name)
		if todo.get("client_conversion"):
			continue
		check_interaction_permission(todo, "write")
		todo.reference_type = customer.doctype
		todo.reference_name = customer.name
		todo.flags.ignore_permissions = True  # checked above, on the Client's ToDo
		todo.save()
	refresh_assignments(client.name)


def refresh_assignments(client: str) -> None:
	"""The Client's «Assigned To» (`_assign`) lists the open ToDos it still has (Frappe keeps it for the
	document a ToDo refers to now, not the one it referred to)."""
	assignees = frappe.get_all(
		"ToDo",
		filters={
			"reference_type": CLIENT,
			"reference_name": client,
			"status": ("not in", ("Cancelled", "Closed")),
			"allocated_to": ("is", "set"),
		},
		pluck="allocated_to",
		order_by="creation desc",
	)
	frappe.db.set_value(
		CLIENT, client, "_assign", json.dumps(assignees) if assignees else "", update_modified=False
	)


# --- e-mails of the contact persons


def link_contact_emails(client) -> None:
	"""E-mails exchanged with a contact person before they were put on the Client show on its timeline too.

	Frappe links a new e-mail (Communication) to every document its Contact links to (the Contact's *Links*,
	which `contacts.sync_client_links` keeps): that covers e-mails from now on. Older e-mails of a Contact
	added to the Client in this save get the link here, as a row of their own (the Client's bookkeeping).
	"""
	stored = contacts_before_save(client)
	contacts = [row.contact for row in client.contacts if row.contact not in stored]
	if not contacts:
		return
	link = frappe.qb.DocType("Communication Link")
	already = (
		frappe.qb.from_(link)
		.select(link.parent)
		.where((link.link_doctype == CLIENT) & (link.link_name == client.name))
	)
	communications = (
		frappe.qb.from_(link)
		.select(link.parent)
		.distinct()
		.where(
			(link.parenttype == "Communication")
			& (link.link_doctype == "Contact")
			& link.link_name.isin(contacts)
			& link.parent.notin(already)
		)
		.run(pluck=True)
	)
	for communication in communications:
		add_timeline_link(communication, client)


def add_timeline_link(communication: str, client) -> None:
	idx = frappe.db.count("Communication Link", {"parent": communication, "parenttype": "Communication"})
	frappe.get_doc(
		{
			"doctype": "Communication Link",
			"parenttype": "Communication",
			"parentfield": "timeline_links",
			"parent": communication,
			"idx": idx + 1,
			"link_doctype": CLIENT,
			"link_name": client.name,
			"link_title": client.client_name,
		}
	).db_insert()
