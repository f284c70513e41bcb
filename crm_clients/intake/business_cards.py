"""A photo of a business card → a prefilled Client and contact person, checked by the user, then saved.

`scan` recognises the card and returns an unsaved Client as the form would open it, with the contact
person and the recognised text; nothing is saved. `save` saves what the user checked through the
matching engine (an existing Client or Contact is matched, not duplicated) and attaches the photo to
the Contact.
"""

import json

import frappe
from frappe import _

from crm_clients.intake import card_text, engine, importer, ocr, phones
from crm_clients.intake.records import FAX, MOBILE, WORK, Person, Phone, PostalAddress, Record
from crm_clients.tax_ids import COMPANY, INDIVIDUAL

PHOTOS = ("jpg", "jpeg", "png")


def check_photo(file) -> None:
	if importer.file_extension(file) not in PHOTOS:
		frappe.throw(
			_("Choose a photo of the business card (JPEG or PNG); {0} is not one.").format(
				frappe.bold(file.file_name)
			),
			title=_("Scan Business Card"),
		)


def scan(file_url: str) -> dict:
	"""An unsaved Client with its contact person read from the photo, the text, and what it matches."""
	importer.check_import_permissions()
	ocr.check_available()
	file = importer.get_file(file_url)
	check_photo(file)
	card = card_text.parse(ocr.recognise(importer.get_content(file)))
	client = client_from_card(card)
	client["file_url"] = file.file_url
	client["matches"] = find_matches(client)
	return client


def client_from_card(card: card_text.CardData) -> dict:
	"""What the Client form would open with: name, type, country, tax IDs and a `contact` dict."""
	person_name = " ".join(filter(None, (card.first_name, card.middle_name, card.last_name)))
	individual = card.individual_entrepreneur or not card.organisation
	contact = {
		"first_name": card.first_name,
		"middle_name": card.middle_name,
		"last_name": card.last_name,
		"designation": card.designation,
		"company_name": card.organisation if not individual else "",
		"email_ids": [{"email_id": email, "is_primary": int(i == 0)} for i, email in enumerate(card.emails)],
		"phone_nos": phone_rows(card.phones),
	}
	return {
		"doctype": "Client",
		"client_name": card.organisation or person_name,
		"client_type": INDIVIDUAL if individual else COMPANY,
		"country": guess_country(card),
		"tax_id": card.tax_id or None,
		"kpp": (card.kpp or None) if not individual else None,
		"contact": contact,
		"website": card.website,
		"address": card.address.as_text() if card.address else "",
		"text": card.text,
	}


def phone_rows(numbers: list[Phone]) -> list[dict]:
	rows = []
	for phone in numbers:
		mobile = phone.kind == MOBILE
		rows.append(
			{
				"phone": phone.number,
				"is_primary_mobile_no": int(mobile and not any(r["is_primary_mobile_no"] for r in rows)),
				"is_primary_phone": int(
					not mobile and phone.kind != FAX and not any(r["is_primary_phone"] for r in rows)
				),
				"kind": phone.kind,
			}
		)
	return rows


def guess_country(card: card_text.CardData) -> str | None:
	"""Russia for an ИНН or a Russian address, else the country of the first phone number."""
	if card.tax_id or (card.address and card.address.country):
		return (card.address.country if card.address and card.address.country else None) or engine.RUSSIA
	for phone in card.phones:
		number = phones.parse(phone.number)
		region = number and phones.phonenumbers.region_code_for_number(number)
		if region:
			return frappe.db.get_value("Country", {"code": region.lower()}, "name")
	return None


def find_matches(client: dict) -> dict:
	"""The existing Client and Contact the card would be saved into (shown to the user before saving)."""
	values = {key: client.get(key) for key in ("client_name", "client_type", "country", "tax_id", "kpp")}
	contact = client["contact"]
	person = person_from_contact(contact)
	existing_contact = None
	for email in person.emails:
		existing_contact = existing_contact or engine.contacts.find_contact_by_email(email)
	for phone in person.phones:
		e164 = phones.normalize(phone.number)
		existing_contact = existing_contact or (e164 and engine.find_contact_by_phone(e164))
	return {
		"client": engine.find_client(values) if values["client_name"] else None,
		"contact": existing_contact,
	}


# Saving what the user checked


def save(card: str | dict, file_url: str | None = None, client: str | None = None) -> dict:
	"""Save the checked card: into the given Client, or a matched or new one; the photo goes to the Contact."""
	importer.check_import_permissions()
	card = frappe.parse_json(card) if isinstance(card, str) else frappe._dict(card)
	file = importer.get_file(file_url) if file_url else None
	if file:
		check_photo(file)
	contact_values = frappe._dict(card.get("contact") or {})
	record = Record(
		number=1,
		client_name=(card.get("client_name") or "").strip(),
		client_type=card.get("client_type") or "",
		country=card.get("country") or "",
		tax_id=card.get("tax_id") or "",
		kpp=card.get("kpp") or "",
		persons=[person_from_contact(contact_values, card.get("address"), card.get("website"))],
	)
	options = engine.Options(client=client)
	outcome = engine.import_record(record, options)
	contact = next(iter(outcome.contacts_created + outcome.contacts_matched), None)
	if file and contact:
		attach_photo(file, contact)
	return {
		"client": outcome.client,
		"client_name": frappe.db.get_value("Client", outcome.client, "client_name"),
		"outcome": outcome.outcome,
		"contact": contact,
	}


def person_from_contact(values: dict, address: str | None = None, website: str | None = None) -> Person:
	values = frappe._dict(values)
	return Person(
		first_name=(values.first_name or "").strip(),
		middle_name=(values.middle_name or "").strip(),
		last_name=(values.last_name or "").strip(),
		designation=(values.designation or "").strip(),
		emails=[row.get("email_id", "") for row in values.get("email_ids") or [] if row.get("email_id")],
		phones=[
			Phone(
				row["phone"],
				MOBILE
				if row.get("is_primary_mobile_no") or row.get("kind") == MOBILE
				else row.get("kind") or WORK,
			)
			for row in values.get("phone_nos") or []
			if row.get("phone")
		],
		addresses=[card_text.split_address(address)] if address else [],
		website=(website or "").strip(),
	)


def attach_photo(file, contact: str) -> None:
	"""The photo belongs to the Contact now (private: its uploader and who may read the Contact see it)."""
	if file.attached_to_doctype == "Contact" and file.attached_to_name == contact:
		return
	if not file.attached_to_doctype and file.owner == frappe.session.user:
		file.attached_to_doctype, file.attached_to_name = "Contact", contact
		file.is_private = 1 if file.file_url.startswith("/private/") else file.is_private
		file.save()
		return
	frappe.get_doc(
		{
			"doctype": "File",
			"file_url": file.file_url,
			"file_name": file.file_name,
			"is_private": file.is_private,
			"attached_to_doctype": "Contact",
			"attached_to_name": contact,
		}
	).insert()
