"""Leads as a source of the intake runner: the Lead list's *Create Clients* for the selected Leads.

Each Lead gets a Client: the Client of the one matching rule (`matching.find_client`: Leads of the same company
share one, also joining an existing Client of that name), else a new one made from the Lead; a Lead that
already has a Client is skipped. A Lead joining an existing Client brings its contact person to it while the
user may edit that Client.
"""

import json

import frappe
from frappe import _
from frappe.utils import get_link_to_form

from crm_clients import leads, route, status
from crm_clients.intake import runner
from crm_clients.intake.matching import find_client


def make_clients(lead_names) -> dict:
	"""Clients for the selected Leads: the summary, or, for many Leads, the background job's `{"job", "total"}`."""
	names = parse_lead_names(lead_names)
	if not names:
		frappe.throw(_("Select at least one Lead."), title=_("Create Clients"))
	source = make_source(names)
	if len(names) <= runner.SYNC_LIMIT:
		refused = unreadable_leads(names)
		if refused:
			raise frappe.PermissionError(
				_("You are not permitted to read Lead {0}.").format(
					", ".join(frappe.bold(name) for name in refused)
				)
			)
	return runner.start(source)


def make_source(leads: list[str]) -> runner.Source:
	"""The Leads as a source of the runner (also in its background job)."""
	check_bulk_rights()
	return runner.Source(
		factory="crm_clients.intake.lead_source.make_source",
		params={"leads": leads},
		records=leads,
		process=lambda name, summary: process_lead(name),
		record_id=lambda name: name,
		record_label=lambda name: get_link_to_form("Lead", name),
		texts=runner.Texts(
			title=_("Create Clients"),
			progress=_("Creating Clients from Leads"),
			progress_of=_("{0} of {1} Leads"),
			records=_("Leads: {0}"),
			skipped=_("Leads skipped (they already have a Client): {0}"),
			failed=_("Leads failed: {0}"),
			failed_list=_("Failed Leads:"),
		),
		refresh="Lead",
		savepoint="crm_clients_lead",
	)


def parse_lead_names(lead_names) -> list[str]:
	if isinstance(lead_names, str):
		lead_names = json.loads(lead_names) if lead_names.strip().startswith("[") else [lead_names]
	names = []
	for lead in lead_names or []:
		name = lead.get("name") if isinstance(lead, dict) else lead
		if name and name not in names:
			names.append(name)
	return names


def check_bulk_rights() -> None:
	"""The rights a run needs whatever the Leads: create Clients, edit Leads (no query per Lead)."""
	frappe.has_permission("Client", "create", throw=True)
	frappe.has_permission("Lead", "write", throw=True)


def unreadable_leads(names: list[str]) -> list[str]:
	"""The existing Leads among `names` the user may not read (one query, with their user permissions)."""
	existing = set(frappe.get_all("Lead", filters={"name": ("in", names)}, pluck="name"))
	readable = set(frappe.get_list("Lead", filters={"name": ("in", names)}, pluck="name"))
	return [name for name in names if name in existing and name not in readable]


def process_lead(name: str) -> runner.Outcome:
	lead = leads.get_lead(name, for_update=True)
	if not lead.has_permission("read"):
		raise frappe.PermissionError(_("you are not permitted to read this Lead"))
	lead.check_permission("write")
	client = leads.get_client_of_lead(lead, for_update=True)
	if client:
		return runner.Outcome(runner.SKIPPED, client)
	leads.check_lead_has_a_name(lead)

	doc = frappe.new_doc("Client")
	leads.fill_client_from_lead(lead, doc)
	existing = find_client(doc.as_dict())
	if existing:
		contact = join_client(lead, existing)
		return runner.Outcome(runner.MATCHED, existing, contacts_matched=[contact] if contact else [])
	doc.flags.in_bulk = True  # Leads by the hundred: their Contacts are made as an import makes them
	doc.insert()  # before_insert adds the Lead's contact person, on_update sets Lead.client
	return runner.Outcome(runner.CREATED, doc.name, contacts_matched=[row.contact for row in doc.contacts])


def join_client(lead, client_name: str) -> str | None:
	"""The Lead joins an existing Client; its contact person is added to the Client while the user may edit it."""
	frappe.db.set_value("Lead", lead.name, "client", client_name)
	client = frappe.get_doc("Client", client_name, for_update=True)  # another worker may add its people too
	if client.status == status.CONVERTED or not client.has_permission("write") or not route.may_edit(client):
		return None
	contact = leads.make_lead_contact(lead)
	if contact and leads.add_contact_row(client, contact):
		client.save()
	return contact
