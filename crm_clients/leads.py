"""Leads and Clients: a Lead belongs to at most one Client (`Lead.client`), a Client has many Leads.

- `make_client` maps one Lead into a new, unsaved Client (the Lead form's button, ERPNext mapper style); like
  ERPNext's mappers it writes nothing. Saving the Client makes the rest (`Client.before_insert` /
  `on_update`): the Lead's contact person becomes a Contact on the Client, the Lead's `client` is set.
- A Client made from a Lead (`Client.lead`) is the only one: a unique index keeps one Client per source Lead,
  and `link_source_lead` refuses a Lead that already belongs to another Client.
- `make_clients` creates Clients for many Leads (the Lead list's action), in the request for a few Leads and
  as a background job for many; Leads of the same company are joined into one Client.
"""

import json

import frappe
from frappe import _
from frappe.model.mapper import get_mapped_doc
from frappe.translate import get_user_lang
from frappe.utils import escape_html, get_link_to_form, strip_html

from crm_clients import contacts, conversion, route, status
from crm_clients.data_quality import normalize_name
from crm_clients.savepoints import TransactionLost, all_or_nothing_once_more
from crm_clients.tax_ids import COMPANY, INDIVIDUAL

# More Leads than this are processed by a background job
BULK_SYNC_LIMIT = 20
BULK_JOB_METHOD = "crm_clients.leads.make_clients_job"
BULK_DONE_EVENT = "crm_clients_clients_from_leads"

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
	client.industry = get_industry_for(lead.industry)
	client.business_region = get_business_region_for(lead.territory)
	contact = find_lead_contact(lead)
	if contact:
		add_contact_row(client, contact)


def get_industry_for(industry_type: str | None) -> str | None:
	"""The Industry mapped to this ERPNext Industry Type, else an Industry of the same name."""
	return find_master_mapped_to("Industry", "industry_type", industry_type)


def get_business_region_for(territory: str | None) -> str | None:
	"""The Business Region mapped to this Territory, else a Business Region of the same name."""
	return find_master_mapped_to("Business Region", "territory", territory)


def find_master_mapped_to(doctype: str, mapping_field: str, value: str | None) -> str | None:
	if not value:
		return None
	return frappe.db.get_value(doctype, {mapping_field: value}, "name", order_by="creation asc") or (
		frappe.db.exists(doctype, value)
	)


def find_lead_contact(lead) -> str | None:
	"""The Contact linked to the Lead (the one with the Lead's email first), else a Contact with its email."""
	linked = contacts.linked_contacts("Lead", lead.name)
	by_email = contacts.find_contact_by_email(lead.email_id)
	if linked:
		return by_email if by_email in linked else sorted(linked)[0]
	return by_email


def make_lead_contact(lead, bulk: bool = False) -> str | None:
	"""The Lead's contact person as a Contact linked to the Lead: found, or made from its name, email, phones
	(`bulk`: as an import makes Contacts, contacts.insert_contact)."""
	existing = find_lead_contact(lead)
	if existing:
		if existing not in contacts.linked_contacts("Lead", lead.name):
			contacts.insert_link("Contact", existing, "Lead", lead.name, lead.lead_name)
		return existing
	person = get_person_name(lead)
	if not person or not frappe.has_permission("Contact", "create"):
		return None
	contact = frappe.new_doc("Contact")
	contact.update(
		{
			"first_name": lead.first_name or person,
			"middle_name": lead.middle_name if lead.first_name else None,
			"last_name": lead.last_name if lead.first_name else None,
			"salutation": lead.salutation,
			"designation": lead.job_title,
			"company_name": lead.company_name,
		}
	)
	if lead.email_id:
		contact.append("email_ids", {"email_id": lead.email_id, "is_primary": 1})
	contact.append("links", {"link_doctype": "Lead", "link_name": lead.name, "link_title": lead.lead_name})
	phones = []
	if lead.phone:
		phones.append({"phone": lead.phone, "is_primary_phone": 1})
	if lead.mobile_no:
		phones.append({"phone": lead.mobile_no, "is_primary_mobile_no": 1})
	contacts.insert_contact(contact, phones, bulk=bulk)
	return contact.name


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
		"industry": conversion.get_industry_type(client.industry),
		"country": client.country,
	}
	if client.client_type == COMPANY:
		values["company_name"] = client.client_name
	territory = conversion.get_mapped_territory(client.business_region)
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


def on_lead_trash(lead, method=None) -> None:
	"""A deleted Lead no longer is a Client's source Lead."""
	for client in frappe.get_all("Client", filters={"lead": lead.name}, pluck="name"):
		frappe.db.set_value("Client", client, "lead", None, update_modified=False)


# Many Leads → Clients (the Lead list)


def parse_lead_names(leads) -> list[str]:
	if isinstance(leads, str):
		leads = json.loads(leads) if leads.strip().startswith("[") else [leads]
	names = []
	for lead in leads or []:
		name = lead.get("name") if isinstance(lead, dict) else lead
		if name and name not in names:
			names.append(name)
	return names


def check_bulk_rights() -> None:
	"""The rights a bulk run needs whatever the Leads: create Clients, edit Leads (no query per Lead)."""
	frappe.has_permission("Client", "create", throw=True)
	frappe.has_permission("Lead", "write", throw=True)


def unreadable_leads(leads: list[str]) -> list[str]:
	"""The existing Leads among `leads` the user may not read (one query, with their user permissions)."""
	existing = set(frappe.get_all("Lead", filters={"name": ("in", leads)}, pluck="name"))
	readable = set(frappe.get_list("Lead", filters={"name": ("in", leads)}, pluck="name"))
	return [name for name in leads if name in existing and name not in readable]


def make_clients(leads, now: bool = False) -> dict:
	"""Clients for the selected Leads: the summary, or, for many Leads (unless `now`), the background job."""
	names = parse_lead_names(leads)
	if not names:
		frappe.throw(_("Select at least one Lead."), title=_("Create Clients"))
	check_bulk_rights()
	if len(names) > BULK_SYNC_LIMIT and not now:
		job_id = f"crm_clients_clients_from_leads_{frappe.generate_hash(length=12)}"
		frappe.enqueue(
			BULK_JOB_METHOD,
			queue="long",
			timeout=max(600, len(names) * 5),
			job_id=job_id,
			enqueue_after_commit=True,  # no job for a request that fails, nor before its data is committed
			leads=names,
		)
		return {"queued": True, "job_id": job_id, "total": len(names)}
	refused = unreadable_leads(names)
	if refused:
		raise frappe.PermissionError(
			_("You are not permitted to read Lead {0}.").format(
				", ".join(frappe.bold(name) for name in refused)
			)
		)
	return create_clients_for_leads(names)


def make_clients_job(leads: list[str]) -> dict:
	"""The background job runner: each Lead is committed on its own, so a job that dies half-way leaves every
	Lead with its Client or untouched, and running it again finishes the rest. Progress bar while it runs, the
	summary to the user at the end."""
	# a job runs in the site's language: speak the language of the user who started it
	frappe.local.lang = get_user_lang(frappe.session.user)
	check_bulk_rights()
	refused = set(unreadable_leads(leads))
	summary = create_clients_for_leads(
		[name for name in leads if name not in refused],
		publish_progress=True,
		after_each=frappe.db.commit,  # the job runner's commit per record, never the business functions'
		total=len(leads),
	)
	for name in refused:
		summary["failed"].append({"lead": name, "reason": _("you are not permitted to read this Lead")})
	finish_summary(summary)
	message = {"message": summary["message"], "title": _("Create Clients"), "indicator": summary["indicator"]}
	frappe.publish_realtime("msgprint", message, user=frappe.session.user, after_commit=True)
	frappe.publish_realtime(BULK_DONE_EVENT, summary, user=frappe.session.user, after_commit=True)
	return summary


def create_clients_for_leads(
	leads: list[str], publish_progress: bool = False, after_each=None, total: int | None = None
) -> dict:
	"""One Client per Lead; Leads of the same company join one Client; Leads with a Client are skipped.

	Each Lead is processed in its own savepoint: a failing Lead is rolled back and reported, the rest go on.
	`after_each` (the job runner's commit) runs after every Lead. When the database ends the transaction (a
	deadlock): with a commit per Lead only that Lead is lost and reported failed; without, the run stops, as
	every Lead it made is gone and a summary must not say otherwise.
	"""
	summary = {"created": [], "joined": [], "skipped": [], "failed": []}
	total = total or len(leads)
	for index, name in enumerate(leads):
		messages = len(frappe.local.message_log)
		try:
			outcome, row = process_lead_once(name, retry=bool(after_each))
		except TransactionLost as error:
			if not after_each:
				raise  # earlier Leads of this run were in the lost transaction too
			frappe.db.rollback()  # only this Lead was in it: the earlier ones are committed
			outcome, row = "failed", {"lead": name, "reason": get_error_message(error)}
		except Exception as error:
			if not isinstance(error, frappe.ValidationError | frappe.PermissionError):
				frappe.log_error(title=_("Create Client from Lead {0}").format(name))
			outcome, row = "failed", {"lead": name, "reason": get_error_message(error)}
		del frappe.local.message_log[messages:]
		summary[outcome].append(row)
		if after_each:
			after_each()
		if publish_progress:
			frappe.publish_progress(
				(index + 1) * 100 / total,
				title=_("Creating Clients from Leads"),
				description=_("{0} of {1} Leads").format(index + 1, total),
			)
	return finish_summary(summary)


def finish_summary(summary: dict) -> dict:
	summary["counts"] = {key: len(summary[key]) for key in ("created", "joined", "skipped", "failed")}
	summary["total"] = sum(summary["counts"].values())
	summary["message"] = get_summary_message(summary)
	summary["indicator"] = "orange" if summary["failed"] else "green"
	return summary


def process_lead_once(name: str, retry: bool) -> tuple[str, dict]:
	"""One Lead, all or nothing; with a commit per Lead (`retry`), once more if it lost a race with another
	worker (a deadlock between two workers making the same company's Client, a Contact name taken meanwhile)."""
	return all_or_nothing_once_more("crm_clients_lead", lambda: process_lead(name), retry)


def process_lead(name: str) -> tuple[str, dict]:
	lead = get_lead(name, for_update=True)
	lead.check_permission("write")
	client = get_client_of_lead(lead, for_update=True)
	if client:
		return "skipped", {
			"lead": name,
			"client": client,
			"reason": _("already belongs to Client {0}").format(client),
		}
	check_lead_has_a_name(lead)

	key = normalize_name(lead.company_name) if (lead.company_name or "").strip() else None
	client = key and find_client_by_company(key)
	if client:
		join_client(lead, client)
		return "joined", {"lead": name, "client": client}

	doc = frappe.new_doc("Client")
	fill_client_from_lead(lead, doc)
	doc.flags.in_bulk = True  # Leads by the hundred: their Contacts are made as an import makes them
	doc.insert()  # before_insert adds the Lead's contact person, on_update sets Lead.client
	return "created", {"lead": name, "client": doc.name}


def find_client_by_company(key: str) -> str | None:
	"""The oldest Client the user can see whose normalised name is the company's.

	A locking read: it sees a Client another worker has just committed, and its lock on that name's range of
	the index keeps two workers from each making a Client for the same company (the one that loses is told
	by a deadlock, and the job runner processes its Lead again)."""
	clients = frappe.db.sql(
		"""select name from `tabClient` where normalized_name = %s and client_type = %s
		order by creation asc for update""",
		(key, COMPANY),
		pluck=True,
	)
	return next((name for name in clients if frappe.has_permission("Client", "read", doc=name)), None)


def join_client(lead, client_name: str) -> None:
	"""The Lead joins an existing Client; its contact person is added to the Client while the user may edit it."""
	frappe.db.set_value("Lead", lead.name, "client", client_name)
	client = frappe.get_doc("Client", client_name, for_update=True)  # another worker may add its people too
	if client.status == status.CONVERTED or not client.has_permission("write") or not route.may_edit(client):
		return
	contact = make_lead_contact(lead)
	if contact and add_contact_row(client, contact):
		client.save()


def get_error_message(error: Exception) -> str:
	message = strip_html(str(error)).strip()
	if not message and isinstance(error, frappe.DoesNotExistError):
		message = _("not found")
	return message or _("{0}: an unexpected error, see the Error Log").format(type(error).__name__)


def get_summary_message(summary: dict) -> str:
	counts = summary["counts"]
	lines = [
		_("Clients created: {0}").format(counts["created"]),
		_("Leads joined to an existing Client: {0}").format(counts["joined"]),
		_("Leads skipped (they already have a Client): {0}").format(counts["skipped"]),
		_("Leads failed: {0}").format(counts["failed"]),
	]
	html = "<br>".join(lines)
	if summary["failed"]:
		items = "".join(
			"<li>{}: {}</li>".format(get_link_to_form("Lead", row["lead"]), escape_html(row["reason"]))
			for row in summary["failed"][:50]
		)
		more = len(summary["failed"]) - 50
		if more > 0:
			items += "<li>" + _("and {0} more").format(more) + "</li>"
		html += "<br><br>" + _("Failed Leads:") + f"<ul>{items}</ul>"
	return html
