"""Whitelisted methods of crm_clients (the public API, see the README)."""

import frappe
from frappe import _

from crm_clients import contacts, conversion
from crm_clients import leads as client_leads
from crm_clients.intake import business_cards, importer, lead_source, spreadsheet
from crm_clients.interactions import activities, planning
from crm_clients.savepoints import once_more_if_ended


@frappe.whitelist(methods=["POST"])
def convert_to_customer(client: str) -> str:
	"""Convert the Client into a Customer (or return the Customer it already has): `Client.convert()`."""
	if not client or not frappe.db.exists("Client", client):
		frappe.throw(_("Client {0} does not exist.").format(frappe.bold(client)), frappe.DoesNotExistError)
	# the row lock serialises simultaneous conversions; reading under it sees the committed state (with MariaDB's
	# snapshot isolation, a conversion committed meanwhile ends this transaction: read again in a fresh one)
	return once_more_if_ended(lambda: frappe.get_doc("Client", client, for_update=True)).convert()


@frappe.whitelist(methods=["POST"])
def create_contact(
	first_name: str, last_name: str | None = None, email: str | None = None, phone: str | None = None
) -> dict:
	"""Create a Contact for a Client's contact row (the form's «Новое контактное лицо» dialog)."""
	frappe.has_permission("Contact", "create", throw=True)
	return contacts.contact_summary(contacts.create_contact(first_name, last_name, email, phone))


@frappe.whitelist()
def get_contact_person(contact: str) -> dict:
	"""What a contact row shows of a Contact (the Client form fills the row when a Contact is chosen)."""
	frappe.has_permission("Contact", "read", doc=contact, throw=True)
	return contacts.contact_summary(contact)


@frappe.whitelist(methods=["POST"])
def assign_for_conversion(client: str, user: str, description: str | None = None) -> None:
	"""Assign the Client to a colleague to convert it (the route's assignment, closed by the conversion)."""
	doc = frappe.get_doc("Client", client)
	doc.check_permission("read")
	conversion.assign_for_conversion(doc, user, description)


@frappe.whitelist()
def get_users_who_can_convert(client: str) -> list[dict]:
	"""Enabled desk users who may convert this Client (to assign it to one of them)."""
	doc = frappe.get_doc("Client", client)
	doc.check_permission("read")
	return conversion.get_users_who_can_convert(doc)


# Leads


@frappe.whitelist()
def make_client_from_lead(source_name: str, target_doc: str | dict | None = None):
	"""A new, unsaved Client mapped from the Lead (the Lead form's button); refused if the Lead has a Client."""
	return client_leads.make_client(source_name, target_doc)


@frappe.whitelist(methods=["POST"])
def make_clients_from_leads(leads: list[str] | str) -> dict:
	"""Clients for the selected Leads: the summary, or for more than 20 Leads the background job's `{"job"}`
	(its summary when it ends: `get_import_summary`)."""
	return lead_source.make_clients(leads)


@frappe.whitelist()
def get_lead_values_from_client(client: str) -> dict:
	"""Values for a new Lead made from the Client's Connections tab (Industry Type, Territory, company)."""
	return client_leads.get_lead_values_from_client(client)


# Bringing in cards and lists


@frappe.whitelist(methods=["POST"])
def import_clients(file_url: str, create_missing_masters: bool | int | str = 0) -> dict:
	"""Clients and contact persons from an uploaded .csv, .xlsx or .vcf file: the summary
	({"created", "matched", "failed"}), or, for more than 20 records, {"job": ...} (summary when it ends)."""
	return importer.import_clients(file_url, create_missing_masters)


@frappe.whitelist()
def get_import_summary(job: str) -> dict | None:
	"""The summary of the caller's background job (an import, Clients from Leads, requisites) once it has ended."""
	frappe.has_permission("Client", "read", throw=True)
	return importer.get_summary(job)


@frappe.whitelist()
def download_import_template() -> None:
	"""The spreadsheet template (.xlsx, Russian headers) for «Import Clients»."""
	frappe.has_permission("Client", "create", throw=True)
	frappe.response["filename"] = spreadsheet.TEMPLATE_FILE_NAME
	frappe.response["filecontent"] = spreadsheet.make_template()
	frappe.response["type"] = "binary"


@frappe.whitelist(methods=["POST"])
def add_contacts_from_vcard(client: str, file_url: str) -> dict:
	"""The persons of an uploaded .vcf file become contact persons of the Client."""
	return importer.add_persons_from_vcard(client, file_url)


@frappe.whitelist(methods=["POST"])
def scan_business_card(file_url: str) -> dict:
	"""An unsaved Client with its contact person recognised on a photo of a business card, and the text.
	Recognised in the request, for API clients: a limited number a minute per user, each within the time
	limit; the desk uses `start_business_card_scan`."""
	return business_cards.scan(file_url)


@frappe.whitelist(methods=["POST"])
def start_business_card_scan(file_url: str) -> dict:
	"""Recognise a photo of a business card in the background: `{"job", "time_limit"}`; the progress and the
	end come by realtime, the card from `get_business_card_scan(job)`."""
	return business_cards.start_scan(file_url)


@frappe.whitelist()
def get_business_card_scan(job: str) -> dict:
	"""The caller's scan job: `{"status": "queued" | "started"}`, then `{"status": "done", "card"}` (as
	`scan_business_card` returns it) or `{"status": "failed", "error"}`."""
	return business_cards.get_scan(job)


@frappe.whitelist(methods=["POST"])
def save_business_card(card: str | dict, file_url: str | None = None, client: str | None = None) -> dict:
	"""Save a scanned card once the user has checked it: the Client (matched or created, or the given one)
	and its contact person; the photo is attached to the Contact."""
	return business_cards.save(card, file_url, client)


# Interactions (crm_clients/interactions/)


@frappe.whitelist(methods=["POST"])
def plan_interaction(
	client: str,
	kind: str,
	starts_on: str,
	ends_on: str | None = None,
	responsible: str | None = None,
	contact: str | None = None,
	subject: str | None = None,
	notes: str | None = None,
	done: int = 0,
	outcome: str | None = None,
) -> str:
	"""Plan a call, meeting, e-mail or other interaction with the Client (an Event); or log one as done."""
	return planning.plan_interaction(
		client, kind, starts_on, ends_on, responsible, contact, subject, notes, done, outcome
	)


@frappe.whitelist(methods=["POST"])
def complete_interaction(doctype: str, name: str, outcome: str) -> None:
	"""Mark an open interaction (Event or ToDo of a Client) done, with its outcome."""
	planning.complete_interaction(doctype, name, outcome)


@frappe.whitelist(methods=["POST"])
def cancel_interaction(doctype: str, name: str, reason: str | None = None) -> None:
	"""Cancel an open interaction (Event or ToDo of a Client)."""
	planning.cancel_interaction(doctype, name, reason)


@frappe.whitelist()
def get_client_activities(client: str) -> dict:
	"""The Client's Activities tab: ERPNext's open tasks and events of the Client (as
	`erpnext.crm.utils.get_open_activities` gives them), for whoever may read the Client, with the events'
	times on the user's clock."""
	return activities.get_client_activities(client)


@frappe.whitelist()
@frappe.read_only()  # a site with a replica counts there (crm_clients/replica.py)
def get_overdue_interactions(filters: str | dict | None = None) -> dict:
	"""The number card «Просроченные взаимодействия»: open interactions past their time, of the Clients the
	user may read; a click opens them in the «Взаимодействия с клиентами» report."""
	from crm_clients.crm_clients.report.client_interactions import client_interactions

	frappe.has_permission("Client", "read", throw=True)
	return {
		"value": client_interactions.count_overdue(),
		"fieldtype": "Int",
		"route": ["query-report", "Client Interactions"],
		"route_options": {"status": "Overdue"},
	}


# Duplicates (crm_clients/duplicates.py)


@frappe.whitelist()
def find_duplicates(
	client: str | None = None, reason: str | None = None, start: int = 0, page_length: int = 500
) -> list[dict]:
	"""Pairs `{"client", "other", "reasons", "score"}` of Clients likely to be one company, best first: of one
	Client, or a page of the whole registry; only Clients the caller may read, never a pair marked «не дубль»."""
	from crm_clients import duplicates

	return duplicates.duplicates_of(
		client, reason=reason, start=int(start or 0), page_length=int(page_length or 500)
	)


@frappe.whitelist(methods=["POST"])
def merge_clients(survivor: str, other: str, values: dict | list | str | None = None) -> str:
	"""Merge `other` into `survivor` (all or nothing) and return the survivor's name; `values` names the fields
	whose value is taken from `other`. Needs delete on `other` and write on `survivor`."""
	from crm_clients import duplicates

	return duplicates.merge(survivor, other, values)


@frappe.whitelist(methods=["POST"])
def merge_clients_into(survivor: str, others: list | str) -> dict:
	"""Merge several Clients into `survivor`, one merge after the other, each all or nothing: for a few (up to
	5 Clients in all) the summary with `survivor`, the Client that stays; for more, the background job's
	`{"job", "total", "survivor"}` (its summary follows). Needs delete on the others and write on `survivor`."""
	from crm_clients.intake import merge_source

	if isinstance(others, str):
		others = frappe.parse_json(others) if others.strip().startswith("[") else [others]
	frappe.has_permission("Client", "delete", throw=True)
	return merge_source.merge_clients_into(survivor, [name for name in others or [] if isinstance(name, str)])


@frappe.whitelist(methods=["POST"])
def mark_not_duplicate(client: str, other: str) -> str:
	"""Mark two Clients as different companies: the pair is no longer offered as a possible duplicate."""
	from crm_clients import duplicates

	frappe.has_permission("Client Not Duplicate", "create", throw=True)
	return duplicates.mark_not_duplicate(client, other)


@frappe.whitelist()
def get_merge_preview(client: str, other: str) -> dict:
	"""The merge dialog's content: both Clients and the fields whose values differ."""
	from crm_clients import duplicates

	return duplicates.merge_preview(client, other)


@frappe.whitelist()
def get_merged_into(client: str) -> str | None:
	"""The Client an old, merged-away Client ID was merged into (the desk opens it instead of «Not found»)."""
	from crm_clients import duplicates

	frappe.has_permission("Client", "read", throw=True)
	return duplicates.merged_into(client)


# Requisites by ИНН (crm_clients/requisites/)


@frappe.whitelist(methods=["GET", "POST"])
def find_organisations(query: str, kpp: str | None = None) -> list[dict]:
	"""Organisations of the register matching an ИНН/ОГРН (head office first, then branches) or a name."""
	from crm_clients.requisites import provider

	check_may_fill_clients()
	return [org.as_dict() for org in provider.find(query, kpp=kpp or None)]


@frappe.whitelist(methods=["POST"])
def fill_requisites(client: str, accept: list | str | None = None) -> list[str]:
	"""Fill the saved Client's empty fields from the register (by its ИНН and КПП); `accept` names the filled
	fields to replace by the register's value. The changed fieldnames."""
	from crm_clients.requisites import fill

	doc = frappe.get_doc("Client", client)
	doc.check_permission("write")
	return fill.fill(doc, accept=frappe.parse_json(accept) if isinstance(accept, str) else accept or ())


@frappe.whitelist()
def compare_requisites(client: str) -> dict:
	"""The register's organisation of the Client and the Client's fields that differ from it."""
	from crm_clients.requisites import fill

	doc = frappe.get_doc("Client", client)
	doc.check_permission("write")
	return fill.compare(doc)


@frappe.whitelist(methods=["POST"])
def update_requisites(clients: list | str) -> dict:
	"""«Обновить реквизиты» for the selected Clients: the summary, or the background job's `{"job", "total"}`."""
	from crm_clients.intake import requisites_source

	names = frappe.parse_json(clients) if isinstance(clients, str) else clients
	frappe.has_permission("Client", "write", throw=True)
	return requisites_source.update_clients([name for name in names or [] if isinstance(name, str)])


@frappe.whitelist(methods=["POST"])
def confirm_liquidated_conversion(client: str) -> None:
	"""A Sales Master Manager confirms that a liquidated company may be converted into a Customer."""
	from crm_clients.requisites import register

	doc = frappe.get_doc("Client", client)
	doc.check_permission("write")
	register.confirm_liquidated_conversion(doc)


@frappe.whitelist()
def get_requisites_setup() -> dict:
	"""What the Client form needs to know of the provider: set up or how to set it up, sample data."""
	from crm_clients.requisites import EGRUL_URL, TROUBLED, provider
	from crm_clients.vocabulary import RUSSIA

	frappe.has_permission("Client", "read", throw=True)
	settings = provider.get_settings()
	return {
		"configured": settings["enabled"] and bool(settings["api_key"]),
		"message": provider.not_configured_message(),
		"sample_data": settings["sample_data"],
		"egrul_url": EGRUL_URL,
		"troubled": TROUBLED,
		"country": RUSSIA,  # the register's organisations are Russian
	}


@frappe.whitelist(methods=["POST"])
def load_default_okved_mapping() -> int:
	"""Add the default ОКВЭД → Industry rows (one per ОКВЭД section) to the settings; the rows added."""
	from crm_clients.requisites import fill, provider

	frappe.has_permission(provider.SETTINGS, "write", throw=True)
	return fill.load_default_mappings()


def check_may_fill_clients() -> None:
	"""Asking the register spends the provider's quota: for whoever may create or edit Clients."""
	if not (frappe.has_permission("Client", "create") or frappe.has_permission("Client", "write")):
		raise frappe.PermissionError(_("You are not permitted to create or edit Clients."))
