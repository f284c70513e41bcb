"""Contact (Frappe): the keys the app finds people by, and the Clients' rows that show a Contact."""

from crm_clients import contacts, phones


def validate(contact, method=None) -> None:
	"""Each number's E.164 form in its row's `phone_key`, the indexed key people are found by
	(`contacts.find_person`), kept whoever saves the Contact (desk, import, API)."""
	for row in contact.get("phone_nos") or []:
		row.phone_key = phones.normalize(row.phone)


def on_update(contact, method=None) -> None:
	"""A Contact's new name, phone or e-mail reach every Client's contact row that shows it."""
	contacts.on_contact_update(contact)
