"""One Record (a sheet's row, a vCard, a business card) → a Client with its contact persons.

- The Client is the one `matching.find_client` finds (ИНН+КПП, ИНН, normalised name; only Clients the user
  may read), else it is created from the record.
- Each person is the Contact `contacts.find_person` finds (e-mail, then phone; only Contacts the user may
  read), else a new one (`contacts.make_contact`); either way it becomes a contact row of the Client (once).
- The runner (`intake/runner.py`) runs each record in a savepoint: a failed record leaves no Client, Contact,
  Address or master behind and is reported with its number and the reason; the others go on.

Re-importing the same input matches everything and creates nothing.
"""

from dataclasses import dataclass

import frappe
from frappe import _
from frappe.utils import escape_html

from crm_clients import contacts, tax_ids
from crm_clients.intake.matching import find_client
from crm_clients.intake.records import Record
from crm_clients.intake.runner import CREATED, MATCHED, Outcome, Summary
from crm_clients.persons import HOME, Person, PostalAddress
from crm_clients.vocabulary import RUSSIA

# Spellings of Russia that people type instead of ERPNext's «Russian Federation»
RUSSIA_ALIASES = {"россия", "рф", "российская федерация", "russia", "ru", "rus"}

# vCard and card phone kinds → the Contact's Address Type
ADDRESS_TYPES = {HOME: "Personal"}


class RecordError(frappe.ValidationError):
	"""A record that cannot be imported as it is (reported with its number, the rest go on)."""


@dataclass
class Options:
	create_missing_masters: bool = False  # create unknown Industries and Business Regions
	client: str | None = None  # add the persons to this Client instead of matching one


# One record


def import_record(record: Record, options: Options, summary: Summary | None = None) -> Outcome:
	"""Match or create the record's Client and contact persons (call inside a savepoint)."""
	if record.error:
		raise RecordError(record.error)
	persons = [person for person in record.persons if not person.is_empty()]
	if options.client:
		client = frappe.get_doc("Client", options.client)
		client.check_permission("write")
		if not persons:
			raise RecordError(_("The card has no person's name, e-mail or phone."))
	else:
		values = client_values(record, persons, options, summary)
		existing = find_client(values)  # the one matching rule (intake/matching.py)
		client = frappe.get_doc("Client", existing) if existing else frappe.new_doc("Client")
		if not existing:
			client.update(values)

	result = Outcome(outcome=CREATED if client.is_new() else MATCHED, client=client.name or "")
	company_name = client.client_name if client.client_type == tax_ids.COMPANY else None
	new_contacts = []
	rows_added = False
	for person in persons:
		contact = contacts.find_person(person)
		created = not contact
		if created:
			contact = contacts.make_contact(person, company_name, bulk=True)
			result.contacts_created.append(contact)
			new_contacts.append((person, contact))
		elif contact not in result.contacts_matched:
			result.contacts_matched.append(contact)
		if not any(row.contact == contact for row in client.contacts):
			client.append("contacts", {"contact": contact})
			rows_added = True

	if client.is_new():
		client.insert()
	elif rows_added:
		client.save()
	result.client = client.name
	for person, contact in new_contacts:
		add_addresses_and_notes(person, contact, client)
	return result


# The Client


def client_values(record: Record, persons: list[Person], options: Options, summary: Summary | None) -> dict:
	"""The new Client's fields from the record: name (the person's, for an individual), type, country,
	tax IDs, Industry and Business Region (known ones, or created when the user asked for it)."""
	client_name = " ".join((record.client_name or "").split())
	client_type = resolve_client_type(record.client_type, record.tax_id, bool(client_name))
	named = None if client_name else name_from_register(record.tax_id, record.kpp)
	if named:  # an ИНН without a name: the register's name, when the provider is set up
		client_name, client_type = named
		if summary is not None:
			summary.from_register.append(record.number)
	if not client_name:
		client_name = next((person.full_name() for person in persons if person.full_name()), "")
		client_type = tax_ids.INDIVIDUAL
	if not client_name:
		raise RecordError(_("No client name: neither an organisation nor a person's name is given."))
	return {
		"client_name": client_name,
		"client_type": client_type,
		"country": resolve_country(record.country, record.tax_id),
		"tax_id": tax_ids.normalize(record.tax_id) or None,
		"kpp": tax_ids.normalize(record.kpp) or None,
		"industry": resolve_master("Industry", "industry", record.industry, options, summary),
		"business_region": resolve_master(
			"Business Region", "business_region", record.business_region, options, summary
		),
	}


COMPANY_WORDS = {"company", "юридическое лицо", "юрлицо", "юр. лицо", "юл", "организация", "компания"}
INDIVIDUAL_WORDS = {"individual", "физическое лицо", "физлицо", "физ. лицо", "фл", "ип", "частное лицо"}


def name_from_register(tax_id: str | None, kpp: str | None) -> tuple[str, str] | None:
	from crm_clients.requisites.fill import name_from_register as from_register  # the register's own module

	return from_register(tax_id, kpp)


def resolve_client_type(value: str | None, tax_id: str | None, has_organisation: bool) -> str:
	"""Company or Individual from what the input says (either language); else from the ИНН's length."""
	text = " ".join((value or "").lower().split())
	if text in COMPANY_WORDS or text == _("Company", context="Client").lower():
		return tax_ids.COMPANY
	if text in INDIVIDUAL_WORDS or text == _("Individual", context="Client").lower():
		return tax_ids.INDIVIDUAL
	if text:
		raise RecordError(_("Client type {0} is neither Company nor Individual.").format(frappe.bold(value)))
	if len(tax_ids.normalize(tax_id)) == 12:
		return tax_ids.INDIVIDUAL
	return tax_ids.COMPANY if has_organisation else tax_ids.INDIVIDUAL


def resolve_country(value: str | None, tax_id: str | None = None) -> str | None:
	"""The Country named (ERPNext's name, its Russian name, or «Россия», «РФ»); empty: the site's country."""
	text = " ".join((value or "").split())
	if not text:
		return frappe.db.get_default("country") or None
	if text.lower() in RUSSIA_ALIASES:
		return RUSSIA
	country = frappe.db.get_value("Country", text, "name") or country_by_translation(text)
	if not country:
		raise RecordError(_("Country {0} is not in the list of countries.").format(frappe.bold(text)))
	return country


def country_by_translation(text: str) -> str | None:
	"""A Country by its name in the user's language («Германия» → Germany)."""
	if frappe.local.lang == "en":
		return None
	names = frappe.cache.get_value(
		f"crm_clients_intake_countries_{frappe.local.lang}",
		lambda: {_(name).lower(): name for name in frappe.get_all("Country", pluck="name")},
	)
	return names.get(text.lower())


def resolve_master(
	doctype: str, key: str, value: str | None, options: Options, summary: Summary | None
) -> str | None:
	"""An existing Industry / Business Region (case is ignored); an unknown one fails the record, or is
	created when the user ticked the option."""
	text = " ".join((value or "").split())
	if not text:
		return None
	existing = frappe.db.get_value(doctype, text, "name")
	if existing:
		return existing
	if options.create_missing_masters:
		name_field = "industry_name" if doctype == "Industry" else "region_name"
		return frappe.get_doc({"doctype": doctype, name_field: text}).insert().name
	if summary is not None and text not in summary.unknown[key]:
		summary.unknown[key].append(text)
	if doctype == "Industry":
		message = _(
			"Industry {0} is not in the list of industries: add it or tick «Create missing industries and regions»."
		)
	else:
		message = _(
			"Business Region {0} is not in the list of regions: add it or tick «Create missing industries and regions»."
		)
	raise RecordError(message.format(frappe.bold(text)))


def add_addresses_and_notes(person: Person, contact: str, client) -> None:
	"""A new Contact's postal addresses (an Address linked to the Contact and the Client when it has a
	street and a city, else a comment), notes and website (comments on the Contact's timeline)."""
	comments = []
	for address in person.addresses:
		if address.is_empty():
			continue
		if not make_address(address, contact, client):
			comments.append(_("Address: {0}").format(address.as_text()))
	if person.website:
		comments.append(_("Website: {0}").format(person.website))
	comments += [note for note in person.notes if note.strip()]
	if comments:
		doc = frappe.get_doc("Contact", contact)
		doc.add_comment("Comment", escape_html("\n".join(comments)).replace("\n", "<br>"))


def make_address(address: PostalAddress, contact: str, client) -> str | None:
	if not (address.street and address.city) or not frappe.has_permission("Address", "create"):
		return None
	try:
		country = resolve_country(address.country) if address.country else client.country
	except RecordError:
		country = None
	if not country:
		return None
	doc = frappe.new_doc("Address")
	doc.update(
		{
			"address_title": client.client_name,
			"address_type": ADDRESS_TYPES.get(address.kind, "Office"),
			"address_line1": address.street[:240],
			"city": address.city,
			"state": address.region or None,
			"pincode": address.postcode or None,
			"country": country,
		}
	)
	doc.append("links", {"link_doctype": "Contact", "link_name": contact})
	doc.append("links", {"link_doctype": "Client", "link_name": client.name})
	return doc.insert().name
