"""Contact persons of a Client: the rows' copies of their Contacts' details, and the Contacts' links to the Client.

- A row shows its Contact's full name, phone (else mobile) and e-mail. They are filled when a row is added or
  its Contact changes, and refreshed on every row of every Client when the Contact itself is saved
  (`on_contact_update`), so re-saving a Client does not load its unchanged Contacts again.
- Each Contact on a Client carries a link to it (the Contact's *Links*, a Dynamic Link row), so Frappe's
  contact views, the timeline and e-mail linking find the Client. The links are the Client's bookkeeping: they
  follow the rows on every save (`sync_client_links`) and go when the Client is deleted (`unlink_client`),
  as rows of their own, without saving the Contacts — choosing a person on a Client needs read on the Contact,
  not the right to edit it. The Contacts stay: they are people.
"""

from contextlib import contextmanager, nullcontext

import frappe
from frappe import _

from crm_clients import naming

CONTACT_DETAIL_FIELDS = ("full_name", "phone", "mobile_no", "email_id")
ROW_FIELDS = ("full_name", "phone", "email")


def validate_contact_rows(client) -> None:
	"""Every row names a Contact, once; one row at most is primary (the first one when none is)."""
	seen = set()
	for row in client.contacts:
		if not row.contact:
			frappe.throw(
				_("Row #{0}: choose a Contact for the contact person.").format(row.idx),
				frappe.MandatoryError,
				title=_("Contact Persons"),
			)
		if row.contact in seen:
			frappe.throw(
				_("Row #{0}: Contact {1} is already in the table.").format(row.idx, frappe.bold(row.contact)),
				frappe.DuplicateEntryError,
				title=_("Contact Persons"),
			)
		seen.add(row.contact)

	primary_rows = [row for row in client.contacts if row.is_primary]
	if len(primary_rows) > 1:
		frappe.throw(_("Only one contact person can be primary."), title=_("Contact Persons"))
	if client.contacts and not primary_rows:
		client.contacts[0].is_primary = 1


def contacts_before_save(client) -> dict[str, dict]:
	"""The rows the Client had in the database: contact → the row's stored details."""
	before = client.get_doc_before_save()
	if not before:
		return {}
	return {row.contact: {field: row.get(field) for field in ROW_FIELDS} for row in before.contacts}


def fill_contact_rows(client) -> None:
	"""Fill name, phone and e-mail of the rows that are new or name another Contact; keep the others' details."""
	stored = contacts_before_save(client)
	new_contacts = [row.contact for row in client.contacts if row.contact not in stored]
	details = get_contact_details(new_contacts)
	for row in client.contacts:
		values = stored.get(row.contact) or details.get(row.contact)
		if values is None:
			frappe.throw(
				_("Row #{0}: Contact {1} does not exist.").format(row.idx, frappe.bold(row.contact)),
				frappe.LinkValidationError,
				title=_("Contact Persons"),
			)
		row.update(values)


def get_contact_details(contacts: list[str]) -> dict[str, dict]:
	"""contact → what a row shows of it (one query for all of them)."""
	if not contacts:
		return {}
	rows = frappe.get_all(
		"Contact", filters={"name": ("in", contacts)}, fields=["name", *CONTACT_DETAIL_FIELDS]
	)
	return {row.name: row_values(row) for row in rows}


def row_values(details) -> dict:
	"""What a contact row shows of its Contact: full name, phone (else mobile) and e-mail."""
	return {
		"full_name": details.full_name,
		"phone": details.phone or details.mobile_no,
		"email": details.email_id,
	}


def contact_row_values(contact: str | None) -> dict | None:
	"""The row values of one Contact, or None if it does not exist."""
	return get_contact_details([contact]).get(contact) if contact else None


def on_contact_update(contact, method=None) -> None:
	"""A Contact's new name, phone or e-mail reach every contact row that shows it (Contact.on_update)."""
	values = row_values(contact)
	rows = frappe.get_all(
		"Client Contact",
		filters={"contact": contact.name, "parenttype": "Client"},
		fields=["name", *ROW_FIELDS],
	)
	for row in rows:
		if any(row.get(field) != values[field] for field in ROW_FIELDS):
			frappe.db.set_value("Client Contact", row.name, values, update_modified=False)


def get_primary_contact(client) -> str | None:
	return next((row.contact for row in client.contacts if row.is_primary), None)


# Links from the Contacts to the Client


def sync_client_links(client) -> None:
	"""Contacts added to the table get a link to the Client; Contacts removed from it lose theirs."""
	before = set(contacts_before_save(client))
	now = {row.contact for row in client.contacts}
	linked = set(linked_contacts("Client", client.name))
	for contact in sorted(now - linked):
		insert_link("Contact", contact, "Client", client.name, client.client_name)
	removed = (before - now) & linked
	if removed:
		delete_links("Contact", removed, "Client", client.name)


def unlink_client(client) -> None:
	"""The Client is being deleted: its Contacts and Addresses keep everything but their link to it."""
	delete_links("Contact", linked_contacts("Client", client.name), "Client", client.name)
	addresses = frappe.get_all(
		"Dynamic Link",
		filters={"parenttype": "Address", "link_doctype": "Client", "link_name": client.name},
		pluck="parent",
	)
	delete_links("Address", addresses, "Client", client.name)


def linked_contacts(link_doctype: str, link_name: str) -> list[str]:
	return linked_to("Contact", link_doctype, link_name)


def linked_to(parenttype: str, link_doctype: str, link_name: str) -> list[str]:
	"""The Contacts (or Addresses) linked to a document."""
	return frappe.get_all(
		"Dynamic Link",
		filters={"parenttype": parenttype, "link_doctype": link_doctype, "link_name": link_name},
		pluck="parent",
	)


def insert_link(
	parenttype: str, parent: str, link_doctype: str, link_name: str, link_title: str | None
) -> None:
	"""Append a link row to a Contact or an Address without saving it (the app's own bookkeeping)."""
	idx = frappe.db.count(
		"Dynamic Link", {"parenttype": parenttype, "parent": parent, "parentfield": "links"}
	)
	frappe.get_doc(
		{
			"doctype": "Dynamic Link",
			"parenttype": parenttype,
			"parentfield": "links",
			"parent": parent,
			"idx": idx + 1,
			"link_doctype": link_doctype,
			"link_name": link_name,
			"link_title": link_title,
		}
	).db_insert()


def delete_links(parenttype: str, parents, link_doctype: str, link_name: str) -> None:
	parents = list(parents)
	if parents:
		frappe.db.delete(
			"Dynamic Link",
			{
				"parenttype": parenttype,
				"parent": ("in", parents),
				"link_doctype": link_doctype,
				"link_name": link_name,
			},
		)


def link_to(
	parenttype: str, parents: list[str], link_doctype: str, link_name: str, link_title: str | None
) -> None:
	"""A link to `link_doctype`/`link_name` on each Contact (or Address) that lacks one, as a row of its own,
	without saving the Contacts (the conversion's bookkeeping, like the links to the Client)."""
	linked = set(linked_to(parenttype, link_doctype, link_name))
	for parent in dict.fromkeys(parents):
		if parent not in linked:
			insert_link(parenttype, parent, link_doctype, link_name, link_title)


# New Contacts


def create_contact(
	first_name: str, last_name: str | None = None, email: str | None = None, phone: str | None = None
):
	"""A new Contact from the «Новое контактное лицо» dialog; an existing Contact with the same email is reused."""
	first_name = (first_name or "").strip()
	if not first_name:
		frappe.throw(_("First Name is required."), frappe.MandatoryError)
	email = (email or "").strip()
	existing = find_contact_by_email(email)
	if existing:
		frappe.msgprint(
			_("Contact {0} already has email {1}: it was chosen instead of creating another.").format(
				frappe.bold(existing), email
			),
			alert=True,
		)
		return existing
	contact = frappe.new_doc("Contact")
	contact.first_name = first_name
	contact.last_name = (last_name or "").strip()
	if email:
		contact.append("email_ids", {"email_id": email, "is_primary": 1})
	phones = [{"phone": phone.strip(), "is_primary_phone": 1}] if (phone or "").strip() else []
	return insert_contact(contact, phones).name


def insert_contact(contact, phones: list[dict], bulk: bool = False):
	"""Insert a new Contact, then add its phone numbers.

	Named as Frappe names it (crm_clients/naming.py: without scanning every Contact for a common name).
	ERPNext's Contact.after_insert (linking Call Logs) commits the transaction when a new Contact has phone
	numbers; adding them in a second save keeps the caller's transaction (and savepoints) whole. That save does
	not ask gravatar.com for a picture again (the insert did); `bulk` (cards and lists brought in by the
	hundred) asks it for none, as Frappe's Data Import does.
	"""
	with without_gravatar_lookup() if bulk else nullcontext():
		contact.insert(set_name=naming.contact_name(contact))
	for phone in phones:
		contact.append("phone_nos", phone)
	if phones:
		# part of creating the Contact, whose right `insert` has just checked (a user may create Contacts
		# without the right to edit them)
		checked, contact.flags.ignore_permissions = contact.flags.ignore_permissions, True
		with without_gravatar_lookup():
			contact.save()
		contact.flags.ignore_permissions = checked
	return contact


@contextmanager
def without_gravatar_lookup():
	"""Frappe's import mode around a Contact's save: `frappe.utils.has_gravatar` looks for a picture at
	gravatar.com on every save of a Contact with an e-mail and no image — an HTTP request, and a DNS timeout on
	a server without internet — except during imports. Only for the Contact's own save, whose defaults are
	already set (`frappe.new_doc`)."""
	previous = frappe.flags.in_import
	frappe.flags.in_import = True
	try:
		yield
	finally:
		frappe.flags.in_import = previous


def find_contact_by_email(email: str | None) -> str | None:
	if not email:
		return None
	return frappe.db.get_value("Contact Email", {"email_id": email, "parenttype": "Contact"}, "parent")


def contact_summary(contact: str) -> dict:
	return {"name": contact, **contact_row_values(contact)}
