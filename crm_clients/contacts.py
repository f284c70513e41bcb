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

from contextlib import contextmanager

import frappe
from frappe import _
from frappe.utils import validate_email_address

from crm_clients import naming, phones
from crm_clients.persons import FAX, MOBILE, Person, Phone

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


def on_contact_update(contact) -> None:
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


# Persons: one matching rule and one way to make a Contact, for every way a person comes in (the new-contact
# dialog, a Lead, a sheet, a vCard, a business card)


def find_person(person: Person) -> str | None:
	"""The Contact of this person that the user may read: by e-mail, then by phone number (compared in E.164
	form, "8 (495) 123-45-67" is "+74951234567"), the oldest first. A Contact the user may not read is never
	returned, nor said to exist: the caller makes the person a Contact of their own."""
	for email in clean_emails(person.emails):
		found = readable(contacts_with_email(email))
		if found:
			return found
	for phone in person.phones:
		e164 = phones.normalize(phone.number)
		found = e164 and readable(contacts_with_phone(e164))
		if found:
			return found
	return None


def readable(contacts: list[str]) -> str | None:
	return next((name for name in contacts if frappe.has_permission("Contact", "read", doc=name)), None)


def contacts_with_email(email: str) -> list[str]:
	return contacts_with("Contact Email", "email_id", email)


def contacts_with_phone(e164: str) -> list[str]:
	"""By the rows' indexed E.164 key (`overrides.contact.validate` keeps it)."""
	return contacts_with("Contact Phone", "phone_key", e164)


def contacts_with(child_doctype: str, fieldname: str, value: str) -> list[str]:
	"""The Contacts with a row of this value, the oldest first."""
	return frappe.get_all(
		child_doctype,
		filters={fieldname: value, "parenttype": "Contact"},
		pluck="parent",
		order_by="creation asc",
		limit=5,
	)


def clean_emails(emails: list[str]) -> list[str]:
	"""The person's e-mail addresses, trimmed, lower case, once each; an invalid one is refused."""
	result = []
	for email in emails:
		email = (email or "").strip().strip("<>").lower()
		if email.startswith("mailto:"):
			email = email[len("mailto:") :]
		if not email:
			continue
		if not validate_email_address(email):
			frappe.throw(
				_("{0} is not a valid e-mail address.").format(frappe.bold(email)), InvalidPersonError
			)
		if email not in result:
			result.append(email)
	return result


class InvalidPersonError(frappe.ValidationError):
	"""A person's e-mail or phone cannot be stored as it is."""


def make_contact(
	person: Person,
	company_name: str | None = None,
	links: list[tuple[str, str, str | None]] = (),
	strict_phones: bool = True,
	bulk: bool = False,
) -> str:
	"""A new Contact of the person: name, position, e-mails (the first primary), phones (every number once; the
	first mobile the primary mobile, the first other the primary phone) and links (doctype, name, title).

	`strict_phones`: a number that is not a phone number is refused (cards and sheets); otherwise it is kept as
	typed (a Lead's, which ERPNext took as it was). `bulk`: people brought in by the hundred (see
	`insert_contact`)."""
	emails = clean_emails(person.emails)
	first_name = person.first_name or person.last_name
	contact = frappe.new_doc("Contact")
	contact.update(
		{
			"first_name": first_name
			or (emails[0] if emails else person.phones[0].number if person.phones else ""),
			"middle_name": person.middle_name or None,
			"last_name": (person.last_name if person.first_name else "") or None,
			"salutation": person.salutation or None,
			"designation": person.designation or None,
			"company_name": company_name,
		}
	)
	if not contact.first_name:
		frappe.throw(_("First Name is required."), frappe.MandatoryError)
	for index, email in enumerate(emails):
		contact.append("email_ids", {"email_id": email, "is_primary": 1 if index == 0 else 0})
	for link_doctype, link_name, link_title in links:
		contact.append(
			"links", {"link_doctype": link_doctype, "link_name": link_name, "link_title": link_title}
		)
	insert_contact(contact, phone_rows(person.phones, strict_phones), bulk=bulk)
	return contact.name


def phone_rows(numbers: list[Phone], strict: bool = True) -> list[dict]:
	"""Contact Phone rows: every number once; the first mobile is the primary mobile, the first other (not a
	fax) the primary phone."""
	rows, seen = [], set()
	for phone in numbers:
		if not (phone.number or "").strip():
			continue
		e164 = phones.normalize(phone.number)
		text = phones.format_for_contact(phone.number) if e164 else None
		if not text:
			if strict:
				frappe.throw(
					_("{0} is not a phone number.").format(frappe.bold(phone.number)), InvalidPersonError
				)
			text = phone.number.strip()
		key = e164 or text
		if key in seen:
			continue
		seen.add(key)
		mobile = phone.kind == MOBILE
		rows.append(
			{
				"phone": text,
				"is_primary_mobile_no": 1
				if mobile and not any(row["is_primary_mobile_no"] for row in rows)
				else 0,
				"is_primary_phone": 1
				if not mobile and phone.kind != FAX and not any(row["is_primary_phone"] for row in rows)
				else 0,
			}
		)
	return rows


def insert_contact(contact, phone_rows: list[dict], bulk: bool = False):
	"""Insert a new Contact, then add its phone numbers.

	Named as Frappe names it (crm_clients/naming.py: without scanning every Contact for a common name).
	ERPNext's Contact.after_insert (linking Call Logs) commits the transaction when a new Contact has phone
	numbers; adding them in a second save keeps the caller's transaction (and savepoints) whole. That save does
	not ask gravatar.com for a picture again (the insert did); `bulk` (cards and lists brought in by the
	hundred) asks it for none, as Frappe's Data Import does, and inserts the numbers with the Contact, telling
	ERPNext not to link Call Logs (its flag `ignore_auto_link_call_log`) rather than saving a second time.
	"""
	if bulk:
		# one insert with the numbers: ERPNext's linking of Call Logs is left out, as the second save below
		# leaves it out (its numbers come after the insert) — the same Contact, without a save and a Version
		for row in phone_rows:
			contact.append("phone_nos", row)
		contact.flags.ignore_auto_link_call_log = True
		with without_gravatar_lookup():
			insert_with_a_free_name(contact)
		return contact
	insert_with_a_free_name(contact)
	for row in phone_rows:
		contact.append("phone_nos", row)
	if phone_rows:
		# part of creating the Contact, whose right `insert` has just checked (a user may create Contacts
		# without the right to edit them)
		checked, contact.flags.ignore_permissions = contact.flags.ignore_permissions, True
		with without_gravatar_lookup():
			contact.save()
		contact.flags.ignore_permissions = checked
	return contact


NAME_TRIES = 25  # people of the same name brought in at the same moment, by as many requests or workers


def insert_with_a_free_name(contact) -> None:
	"""Insert the Contact under the name Frappe would give it (`naming.contact_name`), chosen from what this
	transaction sees. Another request may insert the same name meanwhile: the insert then waits for it to commit
	and finds the name taken — the next number is tried, each try in a savepoint of its own, until one is free."""
	name = naming.contact_name(contact)
	for attempt in range(NAME_TRIES):
		messages = len(frappe.local.message_log)
		frappe.db.savepoint(CONTACT_NAME_SAVEPOINT)
		try:
			contact.insert(set_name=name)
			return
		except frappe.DuplicateEntryError as error:
			if error.args[:2] != ("Contact", name) or attempt == NAME_TRIES - 1:
				raise
			frappe.db.rollback(save_point=CONTACT_NAME_SAVEPOINT)
			del frappe.local.message_log[messages:]  # Frappe's «Contact … already exists»: not for the user
			contact.flags.name_set = False  # the insert names the Contact once, unless told again
			name = naming.next_number(name, naming.contact_base_name(contact))


CONTACT_NAME_SAVEPOINT = "crm_clients_contact_name"


@contextmanager
def without_gravatar_lookup():
	"""Frappe's import mode around the save of a Contact the app has just built itself.

	`frappe.utils.has_gravatar` asks gravatar.com for a picture on every save of a Contact with an e-mail and no
	image — an HTTP request, and a DNS timeout on a server without internet — except in Frappe's import mode,
	which Frappe's Data Import turns on for the same reason. The mode is on for this one Contact's save only, and
	what else it skips there does not apply: the app sets the Contact's fields itself (no Select values of a
	user's to check) and names it (`naming.contact_name`). Every other document of the record (the Client, its
	Addresses) is saved in the normal mode."""
	previous = frappe.flags.in_import
	frappe.flags.in_import = True
	try:
		yield
	finally:
		frappe.flags.in_import = previous


def create_contact(
	first_name: str, last_name: str | None = None, email: str | None = None, phone: str | None = None
) -> str:
	"""A Contact for the «Новое контактное лицо» dialog: the user's Contact with this e-mail or phone when the
	user may read it (told so), else a new one — a Contact the user may not read is never shown nor reused."""
	person = Person(
		first_name=(first_name or "").strip(),
		last_name=(last_name or "").strip(),
		emails=[email] if (email or "").strip() else [],
		phones=[Phone((phone or "").strip())] if (phone or "").strip() else [],
	)
	if not person.first_name:
		frappe.throw(_("First Name is required."), frappe.MandatoryError)
	existing = find_person(person)
	if existing:
		frappe.msgprint(
			_(
				"Contact {0} already has this e-mail or phone: it was chosen instead of creating another."
			).format(frappe.bold(existing)),
			alert=True,
		)
		return existing
	return make_contact(person, strict_phones=False)


def contact_summary(contact: str) -> dict:
	return {"name": contact, **contact_row_values(contact)}
