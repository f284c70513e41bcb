"""The matching engine behind every way in: each Record becomes a Client with its contact persons.

- The Client is matched to an existing one by ИНН+КПП (ИНН alone when the record has no КПП and one
  Client has that ИНН), else by normalised name (`data_quality.normalize_name`), never to a Client
  whose tax IDs differ; else it is created.
- Each person is matched to an existing Contact by e-mail, then by phone number (compared in E.164
  form), else created; either way it becomes a contact row of the Client (once).
- Each record runs in a savepoint: a failed record leaves no Client, Contact, Address or master behind
  and is reported with its number and the reason; the others go on.

Re-importing the same input matches everything and creates nothing.
"""

from dataclasses import dataclass, field

import frappe
from frappe import _
from frappe.utils import escape_html, get_link_to_form, strip_html, validate_email_address

from crm_clients import contacts, tax_ids
from crm_clients.data_quality import RUSSIA, find_client_by_tax_key, normalize_name, tax_key
from crm_clients.intake import phones
from crm_clients.intake.records import FAX, HOME, MOBILE, Person, PostalAddress, Record
from crm_clients.savepoints import TransactionLost, all_or_nothing_once_more

CREATED = "created"
MATCHED = "matched"
FAILED = "failed"

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


@dataclass
class Outcome:
	outcome: str
	client: str
	contacts_created: list[str] = field(default_factory=list)
	contacts_matched: list[str] = field(default_factory=list)


@dataclass
class Summary:
	total: int = 0
	created: list[str] = field(default_factory=list)
	matched: list[str] = field(default_factory=list)
	failed: list[dict] = field(default_factory=list)
	contacts_created: list[str] = field(default_factory=list)
	contacts_matched: list[str] = field(default_factory=list)
	unknown: dict = field(default_factory=lambda: {"industry": [], "business_region": []})
	records: list[dict] = field(default_factory=list)

	def add(self, number: int, outcome: Outcome) -> None:
		# a Client created by an earlier record of the same input stays "created"
		if outcome.outcome == CREATED and outcome.client not in self.created:
			self.created.append(outcome.client)
		elif outcome.client not in self.created and outcome.client not in self.matched:
			self.matched.append(outcome.client)
		add_new(self.contacts_created, outcome.contacts_created)
		add_new(
			self.contacts_matched,
			[name for name in outcome.contacts_matched if name not in self.contacts_created],
		)
		self.records.append(
			{
				"record": number,
				"outcome": outcome.outcome,
				"client": outcome.client,
				"contacts": outcome.contacts_created + outcome.contacts_matched,
			}
		)

	def fail(self, number: int, error: str) -> None:
		self.failed.append({"record": number, "error": error})
		self.records.append({"record": number, "outcome": FAILED, "error": error})

	def as_dict(self) -> dict:
		counts = {
			"records": self.total,
			"created": len(self.created),
			"matched": len(self.matched),
			"failed": len(self.failed),
			"contacts_created": len(self.contacts_created),
			"contacts_matched": len(self.contacts_matched),
		}
		return {
			"created": self.created,
			"matched": self.matched,
			"failed": self.failed,
			"contacts": {"created": self.contacts_created, "matched": self.contacts_matched},
			"unknown": self.unknown,
			"records": self.records,
			"counts": counts,
			"total": self.total,
			"message": summary_message(self, counts),
			"indicator": "orange" if self.failed else "green",
		}


def add_new(target: list, values) -> None:
	for value in values:
		if value not in target:
			target.append(value)


# Many records


def import_records(
	records: list[Record], options: Options | None = None, on_progress=None, after_each=None
) -> dict:
	"""Import every record in its own savepoint; the summary of created, matched and failed records.

	`on_progress(done, total)` is called after each record. `after_each` is the background job runner's
	commit per record (so that a job stopped half-way keeps what it did); the engine itself never commits.
	When the database ends the transaction: with a commit per record only that record is lost (reported
	failed); without, the import stops, as the records before it are gone too."""
	options = options or Options()
	summary = Summary(total=len(records))
	for index, record in enumerate(records):
		messages = len(frappe.local.message_log)
		try:
			outcome = import_record_once(record, options, summary, retry=bool(after_each))
		except TransactionLost as error:
			if not after_each:
				raise
			frappe.db.rollback()
			summary.fail(record.number, error_message(error))
		except Exception as error:
			if not isinstance(error, frappe.ValidationError | frappe.PermissionError):
				frappe.log_error(title=_("Import of record {0}").format(record.number))
			summary.fail(record.number, error_message(error))
		else:
			summary.add(record.number, outcome)
		del frappe.local.message_log[messages:]  # the Client's own warnings (similar names) are not for here
		if after_each:
			after_each()
		if on_progress:
			on_progress(index + 1, len(records))
	return summary.as_dict()


def import_record_once(record: Record, options: Options, summary: Summary, retry: bool) -> Outcome:
	"""One record, all or nothing; with a commit per record (`retry`), once more if it lost a race with another
	worker: it then matches what the other worker made, or names its Contact after it."""
	return all_or_nothing_once_more(
		"crm_clients_intake", lambda: import_record(record, options, summary), retry
	)


def error_message(error: Exception) -> str:
	message = strip_html(str(error)).strip()
	if not message and isinstance(error, frappe.PermissionError):
		message = _("not permitted")
	return message or _("{0}: an unexpected error, see the Error Log").format(type(error).__name__)


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
		existing = find_client(values)
		client = frappe.get_doc("Client", existing) if existing else frappe.new_doc("Client")
		if not existing:
			client.update(values)

	result = Outcome(outcome=CREATED if client.is_new() else MATCHED, client=client.name or "")
	company_name = client.client_name if client.client_type == tax_ids.COMPANY else None
	new_contacts = []
	rows_added = False
	for person in persons:
		contact, created = match_or_create_contact(person, company_name)
		if created:
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


def find_client(values: dict) -> str | None:
	"""The existing Client of these values: the one holding its ИНН/КПП key (`data_quality.tax_key`, unique in
	the database), else — no КПП given — the only Client with that ИНН, else the same normalised name (with no
	other ИНН)."""
	tax_id, kpp = values.get("tax_id"), values.get("kpp")
	if tax_id:
		existing = find_client_by_tax_key(tax_key(values.get("country"), values["client_type"], tax_id, kpp))
		if existing:
			return existing.name
		if not kpp:
			same_inn = frappe.get_all("Client", filters={"tax_id": tax_id}, pluck="name", limit=2)
			if len(same_inn) == 1:
				return same_inn[0]
	key = normalize_name(values["client_name"])
	if not key:
		return None
	candidates = frappe.get_all(
		"Client",
		filters={"normalized_name": key},
		fields=["name", "tax_id", "kpp"],
		order_by="creation asc",
	)
	for candidate in candidates:
		if tax_id and candidate.tax_id and candidate.tax_id != tax_id:
			continue  # another organisation of the same name
		if kpp and candidate.kpp and candidate.kpp != kpp:
			continue  # another branch
		return candidate.name
	return None


# Contact persons


def match_or_create_contact(person: Person, company_name: str | None) -> tuple[str, bool]:
	"""The Contact of this person (by e-mail, then phone) and False, or a new one and True."""
	emails = clean_emails(person.emails)
	numbers = [(phone, phones.normalize(phone.number)) for phone in person.phones]
	for email in emails:
		existing = contacts.find_contact_by_email(email)
		if existing:
			return existing, False
	for _phone, e164 in numbers:
		existing = e164 and find_contact_by_phone(e164)
		if existing:
			return existing, False
	return create_contact(person, emails, numbers, company_name), True


def clean_emails(emails: list[str]) -> list[str]:
	result = []
	for email in emails:
		email = (email or "").strip().strip("<>").lower()
		if email.startswith("mailto:"):
			email = email[len("mailto:") :]
		if not email:
			continue
		if not validate_email_address(email):
			raise RecordError(_("{0} is not a valid e-mail address.").format(frappe.bold(email)))
		if email not in result:
			result.append(email)
	return result


def find_contact_by_phone(e164: str) -> str | None:
	"""A Contact with this number however it was typed ("8 (495) 123-45-67" is "+74951234567"): by the
	rows' indexed E.164 key (phones.set_phone_keys), the oldest Contact first."""
	found = frappe.db.sql(
		"""select parent from `tabContact Phone`
		where parenttype = 'Contact' and phone_key = %s
		order by creation asc
		limit 1""",
		(e164,),
	)
	return found[0][0] if found else None


def create_contact(person: Person, emails: list[str], numbers: list, company_name: str | None) -> str:
	contact = frappe.new_doc("Contact")
	first_name = person.first_name or person.last_name
	contact.update(
		{
			"first_name": first_name or (emails[0] if emails else numbers[0][0].number if numbers else ""),
			"middle_name": person.middle_name or None,
			"last_name": (person.last_name if person.first_name else "") or None,
			"designation": person.designation or None,
			"company_name": company_name,
		}
	)
	for index, email in enumerate(emails):
		contact.append("email_ids", {"email_id": email, "is_primary": 1 if index == 0 else 0})
	contacts.insert_contact(contact, phone_rows(person, numbers), bulk=True)
	return contact.name


def phone_rows(person: Person, numbers: list) -> list[dict]:
	"""Contact Phone rows: every number once; the first mobile is the primary mobile, the first other the
	primary phone."""
	rows, seen = [], set()
	for phone, e164 in numbers:
		text = phones.format_for_contact(phone.number) if e164 else None
		if not text:
			raise RecordError(_("{0} is not a phone number.").format(frappe.bold(phone.number)))
		if e164 in seen:
			continue
		seen.add(e164)
		mobile = phone.kind == MOBILE
		rows.append(
			{
				"phone": text,
				"is_primary_mobile_no": 1
				if mobile and not any(r["is_primary_mobile_no"] for r in rows)
				else 0,
				"is_primary_phone": 1
				if not mobile and phone.kind != FAX and not any(r["is_primary_phone"] for r in rows)
				else 0,
			}
		)
	return rows


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


# The summary shown to the user


def summary_message(summary: Summary, counts: dict) -> str:
	lines = [
		_("Records: {0}").format(counts["records"]),
		_("Clients created: {0}").format(counts["created"]),
		_("Existing Clients matched: {0}").format(counts["matched"]),
		_("Contact persons created: {0}, matched: {1}").format(
			counts["contacts_created"], counts["contacts_matched"]
		),
		_("Records failed: {0}").format(counts["failed"]),
	]
	html = "<br>".join(lines)
	unknown = summary.unknown
	if unknown["industry"]:
		html += "<br><br>" + _("Unknown industries: {0}").format(escape_html(", ".join(unknown["industry"])))
	if unknown["business_region"]:
		html += "<br>" + _("Unknown business regions: {0}").format(
			escape_html(", ".join(unknown["business_region"]))
		)
	if summary.failed:
		items = "".join(
			"<li>{}</li>".format(_("Record {0}: {1}").format(row["record"], escape_html(row["error"])))
			for row in summary.failed[:50]
		)
		more = len(summary.failed) - 50
		if more > 0:
			items += "<li>" + _("and {0} more").format(more) + "</li>"
		html += "<br><br>" + _("Failed records:") + f"<ul>{items}</ul>"
	if summary.created[:1]:
		links = ", ".join(get_link_to_form("Client", name) for name in summary.created[:20])
		html += "<br>" + _("New Clients: {0}").format(links)
	return html
