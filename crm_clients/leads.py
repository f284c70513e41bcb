"""Leads and Clients: a Lead belongs to at most one Client (`Lead.client`), a Client has many Leads.

- `make_client` maps one Lead into a new, unsaved Client (the Lead form's button, ERPNext mapper style); like
  ERPNext's mappers it writes nothing. Saving the Client makes the rest (`Client.before_insert` /
  `on_update`): the Lead's contact person becomes a Contact on the Client, the Lead's `client` is set.
- A Client made from a Lead (`Client.lead`) is the only one: a unique index keeps one Client per source Lead,
  and `link_source_lead` refuses a Lead that already belongs to another Client.
- Clients for many Leads (the Lead list's *Create Clients*) come in through the intake runner:
  `intake/lead_source.py`.
"""

import frappe
from frappe import _
from frappe.model.mapper import get_mapped_doc
from frappe.utils import get_link_to_form

from crm_clients import contacts, masters
from crm_clients.persons import MOBILE, WORK, Person, Phone
from crm_clients.vocabulary import COMPANY, INDIVIDUAL

# Lead fields not to be copied into the Client although a field of the same name exists there
FIELD_NO_MAP = ["industry", "customer", "status", "naming_series", "tax_id", "kpp", "workflow_state"]


# One Lead → one Client (the Lead form)


def make_client(source_name: str, target_doc=None):
	"""A new, unsaved Client filled from the Lead; refused for a Lead that already has a Client. Writes nothing."""
	lead = get_lead(source_name)
	lead.check_permission("read")
	frappe.has_permission("Client", "create", throw=True)
	check_lead_has_no_client(lead)
	check_lead_has_a_name(lead)

	def set_missing_values(source, target):
		fill_client_from_lead(source, target)

	return get_mapped_doc(
		"Lead",
		source_name,
		{
			"Lead": {
				"doctype": "Client",
				"field_map": {"name": "lead", "country": "country"},
				"field_no_map": FIELD_NO_MAP,
			}
		},
		target_doc,
		set_missing_values,
	)


def get_lead(name: str, for_update: bool = False):
	if not name or not frappe.db.exists("Lead", name):
		frappe.throw(
			_("Lead {0} does not exist: it may have been deleted.").format(frappe.bold(name)),
			frappe.DoesNotExistError,
			title=_("Lead not found"),
		)
	return frappe.get_doc("Lead", name, for_update=for_update)


def get_client_of_lead(lead, for_update: bool = False) -> str | None:
	"""The Client the Lead belongs to, or whose source Lead it is; `for_update` reads past this transaction's
	snapshot (a Client another worker has just committed) and locks what it reads."""
	if lead.get("client") and frappe.db.get_value("Client", lead.client, "name", for_update=for_update):
		return lead.client
	return frappe.db.get_value("Client", {"lead": lead.name}, "name", for_update=for_update)


def check_lead_has_no_client(lead) -> None:
	client = get_client_of_lead(lead)
	if client:
		frappe.throw(
			_("Lead {0} already belongs to Client {1}.").format(
				frappe.bold(lead.name), get_link_to_form("Client", client)
			),
			title=_("Lead already has a Client"),
		)


def get_person_name(lead) -> str:
	name = " ".join(filter(None, [lead.first_name, lead.middle_name, lead.last_name])).strip()
	if name:
		return name
	lead_name = (lead.lead_name or "").strip()
	return lead_name if lead_name != (lead.company_name or "").strip() else ""


def check_lead_has_a_name(lead) -> None:
	if not (lead.company_name or "").strip() and not get_person_name(lead):
		frappe.throw(
			_(
				"Lead {0} has neither an organisation name nor a person's name: fill one of them to create a Client."
			).format(frappe.bold(lead.name)),
			frappe.MandatoryError,
			title=_("Client Name is required"),
		)


def fill_client_from_lead(lead, client) -> None:
	"""Name, type, country, source Lead, industry, business region and, if it exists, contact person from a Lead."""
	company_name = (lead.company_name or "").strip()
	client.client_name = company_name or get_person_name(lead)
	client.client_type = COMPANY if company_name else INDIVIDUAL
	client.lead = lead.name
	client.country = lead.country or client.country
	client.industry = masters.industry_for(lead.industry)
	client.business_region = masters.business_region_for(lead.territory)
	contact = find_lead_contact(lead)
	if contact:
		add_contact_row(client, contact)


def find_lead_contact(lead) -> str | None:
	"""The Contact linked to the Lead (the one with the Lead's e-mail first), else the Contact of the Lead's person
	(`contacts.find_person`: by e-mail or phone, one the user may read)."""
	linked = contacts.linked_contacts("Lead", lead.name)
	if linked:
		with_email = lead.email_id and contacts.contacts_with_email(lead.email_id.strip().lower())
		return next((name for name in linked if name in (with_email or [])), sorted(linked)[0])
	return contacts.find_person(lead_person(lead))


def lead_person(lead) -> Person:
	"""The Lead's contact person as the intake knows people."""
	first_name = lead.first_name or get_person_name(lead)
	return Person(
		first_name=first_name,
		middle_name=(lead.middle_name if lead.first_name else "") or "",
		last_name=(lead.last_name if lead.first_name else "") or "",
		salutation=lead.salutation or "",
		designation=lead.job_title or "",
		emails=[lead.email_id] if lead.email_id else [],
		phones=[
			Phone(number, kind) for number, kind in ((lead.phone, WORK), (lead.mobile_no, MOBILE)) if number
		],
	)


def make_lead_contact(lead, bulk: bool = False) -> str | None:
	"""The Lead's contact person as a Contact linked to the Lead: found, or made from its name, e-mail and phones
	(`bulk`: as an import makes Contacts, `contacts.insert_contact`)."""
	existing = find_lead_contact(lead)
	if existing:
		if existing not in contacts.linked_contacts("Lead", lead.name):
			contacts.insert_link("Contact", existing, "Lead", lead.name, lead.lead_name)
		return existing
	if not get_person_name(lead) or not frappe.has_permission("Contact", "create"):
		return None
	return contacts.make_contact(
		lead_person(lead),
		lead.company_name,
		links=[("Lead", lead.name, lead.lead_name)],
		strict_phones=False,  # a Lead's numbers as ERPNext took them
		bulk=bulk,
	)


def add_lead_contact_person(client) -> None:
	"""Saving a new Client made from a Lead: the Lead's contact person is on it, as a Contact (Client.before_insert)."""
	if not client.lead or not frappe.db.exists("Lead", client.lead):
		return
	contact = make_lead_contact(frappe.get_doc("Lead", client.lead), bulk=bool(client.flags.in_bulk))
	if contact:
		add_contact_row(client, contact)


def add_contact_row(client, contact: str) -> bool:
	if any(row.contact == contact for row in client.get("contacts")):
		return False
	client.append(
		"contacts",
		{
			"contact": contact,
			**(contacts.contact_row_values(contact) or {}),
			"is_primary": 0 if client.get("contacts") else 1,
		},
	)
	return True


def get_lead_values_from_client(client_name: str) -> dict:
	"""Values for a new Lead made from a Client (its Connections tab): ERPNext's Industry Type and Territory."""
	client = frappe.get_doc("Client", client_name)
	client.check_permission("read")
	values = {
		"client": client.name,
		"industry": masters.industry_type_of(client.industry),
		"country": client.country,
	}
	if client.client_type == COMPANY:
		values["company_name"] = client.client_name
	territory = masters.territory_of(client.business_region)
	if territory:
		values["territory"] = territory
	return values


# Saving and deleting


def link_source_lead(client) -> None:
	"""Saving a Client made from a Lead sets the Lead's `client`; a Lead never gets a second Client."""
	if not client.lead:
		return
	# the row lock serialises two Clients saved from the same Lead at once
	current = frappe.db.get_value("Lead", client.lead, "client", for_update=True)
	if current == client.name:
		return
	if current and frappe.db.exists("Client", current):
		frappe.throw(
			_("Lead {0} already belongs to Client {1}.").format(
				frappe.bold(client.lead), get_link_to_form("Client", current)
			),
			title=_("Lead already has a Client"),
		)
	# the Lead's own field, set without running ERPNext's whole Lead.save() (the link is the Client's doing)
	frappe.db.set_value("Lead", client.lead, "client", client.name)


def raise_lead_taken(client) -> None:
	"""The unique index on Client.lead refused a second Client for the same source Lead."""
	other = frappe.db.get_value("Client", {"lead": client.lead}, "name", for_update=True)
	frappe.throw(
		_("Lead {0} already belongs to Client {1}.").format(
			frappe.bold(client.lead), get_link_to_form("Client", other) if other else ""
		),
		title=_("Lead already has a Client"),
	)


def release_leads(client) -> None:
	"""The Client is being deleted: its Leads belong to no Client any more (they may get another one)."""
	for lead in frappe.get_all("Lead", filters={"client": client.name}, pluck="name"):
		frappe.db.set_value("Lead", lead, "client", None)
		frappe.get_doc("Lead", lead).add_comment(
			"Info",
			_("Client {0} ({1}) was deleted: this Lead no longer belongs to it.").format(
				client.name, client.client_name
			),
		)


def forget_source_lead(lead) -> None:
	"""A deleted Lead no longer is a Client's source Lead (overrides/lead.py)."""
	for client in frappe.get_all("Client", filters={"lead": lead.name}, pluck="name"):
		frappe.db.set_value("Client", client, "lead", None, update_modified=False)
