"""Contact persons of a Client: filling the rows from Contacts and linking Contacts back to the Client."""

import frappe
from frappe import _

CONTACT_DETAIL_FIELDS = ("full_name", "phone", "mobile_no", "email_id")


def fill_contact_rows(client) -> None:
	"""Fill full name, phone and email of every row from its Contact (read-only copies)."""
	for row in client.contacts:
		values = contact_row_values(row.contact)
		if not values:
			frappe.throw(
				_("Row #{0}: Contact {1} does not exist.").format(row.idx, frappe.bold(row.contact)),
				frappe.LinkValidationError,
				title=_("Contact Persons"),
			)
		row.update(values)


def contact_row_values(contact: str | None) -> dict | None:
	"""What a contact row shows of its Contact: full name, phone (else mobile) and email; None if it is gone."""
	details = contact and frappe.db.get_value("Contact", contact, CONTACT_DETAIL_FIELDS, as_dict=True)
	if not details:
		return None
	return {
		"full_name": details.full_name,
		"phone": details.phone or details.mobile_no,
		"email": details.email_id,
	}


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


def get_primary_contact(client) -> str | None:
	return next((row.contact for row in client.contacts if row.is_primary), None)


def link_contacts_to(contacts: list[str], link_doctype: str, link_name: str) -> None:
	"""Add a Dynamic Link to `link_doctype`/`link_name` on each Contact that lacks one."""
	for contact_name in contacts:
		add_link(frappe.get_doc("Contact", contact_name), link_doctype, link_name)


def add_link(doc, link_doctype: str, link_name: str) -> None:
	"""Link a Contact or an Address (their `links` table) to a document, once."""
	if not doc.has_link(link_doctype, link_name):
		doc.append("links", {"link_doctype": link_doctype, "link_name": link_name})
		doc.save()


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


def insert_contact(contact, phones: list[dict]):
	"""Insert a new Contact, then add its phone numbers.

	ERPNext's Contact.after_insert (linking Call Logs) commits the transaction when a new Contact has phone
	numbers; adding them in a second save keeps the caller's transaction (and savepoints) whole.
	"""
	contact.insert()
	for phone in phones:
		contact.append("phone_nos", phone)
	if phones:
		contact.save()
	return contact


def find_contact_by_email(email: str | None) -> str | None:
	if not email:
		return None
	return frappe.db.get_value("Contact Email", {"email_id": email, "parenttype": "Contact"}, "parent")


def contact_summary(contact: str) -> dict:
	return {"name": contact, **contact_row_values(contact)}
