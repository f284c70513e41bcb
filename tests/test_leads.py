"""Lead ↔ Client on a real site: the Lead's button (mapper), saving, deleting, renaming, the Client's
Connections tab, and «Create Clients» from the Lead list for many Leads at once."""

from collections import Counter

import pytest

from tests.conftest import skip_module_without_frappe

skip_module_without_frappe()

import frappe
from frappe.utils import random_string

from crm_clients import api, leads
from crm_clients.intake import lead_source, runner
from tests.fixtures import (
	MASTER_MANAGER,
	NO_CRM_ROLE,
	SALES_USER,
	make_client,
	make_contact,
	make_industry,
	make_lead,
	make_region,
)

pytestmark = pytest.mark.usefixtures("site")


def set_auto_contact(enabled: bool) -> None:
	"""ERPNext's CRM Settings: make a Contact for every new Lead (on by default)."""
	settings = frappe.get_single("CRM Settings")
	settings.auto_creation_of_contact = 1 if enabled else 0
	settings.save()


def make_industry_type(name: str | None = None) -> str:
	name = name or "Industry Type " + random_string(6)
	if not frappe.db.exists("Industry Type", name):
		frappe.get_doc({"doctype": "Industry Type", "industry": name}).insert()
	return name


def make_territory(name: str | None = None) -> str:
	name = name or "Territory " + random_string(6)
	if not frappe.db.exists("Territory", name):
		root = frappe.db.get_value("Territory", {"is_group": 1, "parent_territory": ("is", "not set")})
		frappe.get_doc({"doctype": "Territory", "territory_name": name, "parent_territory": root}).insert()
	return name


def email() -> str:
	return f"lead-{random_string(10).lower()}@example.com"


def contacts_with_email(address: str) -> list[str]:
	return frappe.get_all("Contact Email", filters={"email_id": address}, pluck="parent")


def map_client(lead: str):
	"""What the Lead form's button does: frappe.model.open_mapped_doc → make_mapped_doc."""
	from frappe.model.mapper import make_mapped_doc

	return make_mapped_doc("crm_clients.api.make_client_from_lead", lead)


# 1. Custom fields


def test_lead_client_field_sits_under_organization_name(site):
	fields = [df.fieldname for df in frappe.get_meta("Lead").fields]
	assert fields[fields.index("company_name") + 1] == "client"
	client_field = frappe.get_meta("Lead").get_field("client")
	assert (client_field.fieldtype, client_field.options) == ("Link", "Client")
	customer_field = frappe.get_meta("Customer").get_field("client")
	assert (customer_field.fieldtype, customer_field.options, customer_field.read_only) == (
		"Link",
		"Client",
		1,
	)


# 2. One Lead → a Client (the Lead form's button and Create → Client)


def test_company_lead_maps_into_a_client_with_its_contact_industry_and_region(site):
	industry_type = make_industry_type()
	territory = make_territory()
	industry = make_industry(industry_type=industry_type)
	region = make_region(territory=territory)
	address = email()
	lead = make_lead(
		company_name="ООО «Ромашка " + random_string(5) + "»",
		first_name="Ivan",
		last_name="Petrov",
		email_id=address,
		country="Russian Federation",
		industry=industry_type,
		territory=territory,
	)
	lead_contact = frappe.get_all(
		"Dynamic Link",
		filters={"link_doctype": "Lead", "link_name": lead.name, "parenttype": "Contact"},
		pluck="parent",
	)

	client = map_client(lead.name)

	assert client.doctype == "Client" and client.is_new()
	assert client.client_name == lead.company_name
	assert client.client_type == "Company"
	assert client.country == "Russian Federation"
	assert client.lead == lead.name
	assert client.industry == industry.name
	assert client.business_region == region.name
	assert [row.contact for row in client.contacts] == lead_contact[:1]
	assert client.contacts[0].email == address and client.contacts[0].is_primary
	assert contacts_with_email(address) == lead_contact[:1], "no second Contact for the same email"


def test_person_lead_maps_into_an_individual_named_after_the_person(site):
	lead = make_lead(first_name="Anna", last_name="Smirnova " + random_string(4))
	client = api.make_client_from_lead(lead.name)
	assert client.client_type == "Individual"
	assert client.client_name == f"Anna {lead.last_name}"


def test_industry_and_region_fall_back_to_masters_named_like_the_lead_values(site):
	industry_type = make_industry_type()
	territory = make_territory()
	make_industry(industry_type)  # same name, no mapping
	make_region(territory)
	lead = make_lead(company_name="Acme " + random_string(6), industry=industry_type, territory=territory)
	client = api.make_client_from_lead(lead.name)
	assert (client.industry, client.business_region) == (industry_type, territory)

	other = make_lead(
		company_name="Other " + random_string(6), industry=make_industry_type(), territory=make_territory()
	)
	client = api.make_client_from_lead(other.name)
	assert not client.industry and not client.business_region


def test_lead_without_contact_reuses_the_contact_with_its_email(site):
	set_auto_contact(False)
	address = email()
	existing = make_contact(email=address)
	lead = make_lead(first_name="Oleg", last_name="Sidorov", email_id=address)

	client = api.make_client_from_lead(lead.name)

	assert [row.contact for row in client.contacts] == [existing.name]
	assert contacts_with_email(address) == [existing.name]


def test_lead_without_contact_gets_one_made_from_its_name_email_and_phone(site):
	set_auto_contact(False)
	address = email()
	lead = make_lead(first_name="Pavel", last_name="Orlov", email_id=address, phone="+7 495 123-45-67")

	client = api.make_client_from_lead(lead.name)
	assert client.contacts == [], "the mapper writes nothing: the Contact is made when the Client is saved"
	client.insert()

	contact = frappe.get_doc("Contact", client.contacts[0].contact)
	assert (contact.first_name, contact.last_name, contact.email_id, contact.phone) == (
		"Pavel",
		"Orlov",
		address,
		"+7 495 123-45-67",
	)
	assert contact.has_link("Lead", lead.name)
	assert (client.contacts[0].full_name, client.contacts[0].phone) == ("Pavel Orlov", "+7 495 123-45-67")


def test_saving_the_mapped_client_sets_the_leads_client(site):
	frappe.set_user(SALES_USER)
	lead = make_lead(company_name="Saved " + random_string(6))
	client = api.make_client_from_lead(lead.name)
	client.insert()
	assert frappe.db.get_value("Lead", lead.name, "client") == client.name


def test_lead_with_a_client_gets_no_second_one(site):
	lead = make_lead(company_name="Once " + random_string(6))
	first = api.make_client_from_lead(lead.name).insert()

	with pytest.raises(frappe.ValidationError, match=first.name):
		api.make_client_from_lead(lead.name)
	with pytest.raises(frappe.ValidationError, match="already belongs to Client"):
		make_client(client_name="Second " + random_string(6), lead=lead.name)
	assert frappe.db.get_value("Lead", lead.name, "client") == first.name


def test_lead_without_any_name_is_refused_and_nothing_is_created(site):
	set_auto_contact(False)
	lead = make_lead(email_id=email())
	frappe.db.set_value(
		"Lead", lead.name, {"first_name": None, "last_name": None, "lead_name": None, "company_name": None}
	)
	contacts_before = frappe.db.count("Contact")

	with pytest.raises(frappe.MandatoryError, match="neither an organisation name nor a person's name"):
		api.make_client_from_lead(lead.name)
	assert frappe.db.count("Contact") == contacts_before


def test_vanished_lead_gives_a_clear_message(site):
	with pytest.raises(frappe.DoesNotExistError, match=r"CRM-LEAD-GONE.*does not exist"):
		api.make_client_from_lead("CRM-LEAD-GONE")


def test_user_without_lead_rights_cannot_map_a_client(site):
	lead = make_lead(company_name="Secret " + random_string(6))
	frappe.set_user(NO_CRM_ROLE)
	with pytest.raises(frappe.PermissionError):
		api.make_client_from_lead(lead.name)


# 3. Deleting and renaming a Client


def test_deleting_a_client_frees_its_leads(site):
	lead = make_lead(company_name="Kept " + random_string(6))
	client = api.make_client_from_lead(lead.name).insert()
	frappe.delete_doc("Client", client.name)
	assert not frappe.db.exists("Client", client.name)
	assert frappe.db.get_value("Lead", lead.name, "client") is None
	assert api.make_client_from_lead(lead.name).lead == lead.name, "the Lead may get a new Client"


def test_renaming_a_client_keeps_its_leads(site):
	lead = make_lead(company_name="Renamed " + random_string(6))
	client = api.make_client_from_lead(lead.name).insert()
	other = make_lead(company_name="Joined " + random_string(6), client=client.name)
	new_name = "CL-RENAMED-" + random_string(6).upper()

	frappe.rename_doc("Client", client.name, new_name)

	assert frappe.db.get_value("Lead", lead.name, "client") == new_name
	assert frappe.db.get_value("Lead", other.name, "client") == new_name
	assert frappe.db.get_value("Client", new_name, "lead") == lead.name


# 4. The Client's Connections («Дополнительно») tab


def test_client_tab_counts_its_leads_and_customer(site):
	from frappe.desk.notifications import get_open_count

	client = make_client()
	for _i in range(2):
		# the tab's "+" makes a Lead with `client` set (Frappe sets every Link to Client on the new doc)
		make_lead(company_name="Tab " + random_string(6), client=client.name)

	def counts():
		found = get_open_count("Client", client.name)["count"]
		rows = found["external_links_found"] + found["internal_links_found"]
		return {row["doctype"]: row["count"] for row in rows}

	assert counts() == {"Lead": 2, "Customer": 0}
	customer = frappe.get_doc(
		{
			"doctype": "Customer",
			"customer_name": "Tab customer " + random_string(6),
			"customer_group": frappe.db.get_value("Customer Group", {"is_group": 0}),
			"territory": frappe.db.get_value("Territory", {"is_group": 0}),
		}
	).insert()
	frappe.db.set_value("Client", client.name, "customer", customer.name)
	assert counts() == {"Lead": 2, "Customer": 1}


def test_new_lead_from_a_client_gets_erpnext_industry_type_and_territory(site):
	industry_type = make_industry_type()
	territory = make_territory()
	client = make_client(
		client_name="Values " + random_string(6),
		industry=make_industry(industry_type=industry_type).name,
		business_region=make_region(territory=territory).name,
	)
	values = api.get_lead_values_from_client(client.name)
	assert values == {
		"client": client.name,
		"industry": industry_type,
		"territory": territory,
		"country": client.country,
		"company_name": client.client_name,
	}
	lead = make_lead(**values)
	assert lead.client == client.name


# 5. Many Leads at once (the Lead list's «Create Clients»)


def test_create_clients_for_many_leads_joins_companies_and_skips_linked_leads(site):
	tag = random_string(5)
	existing = make_client(client_name=f"ООО «Existing {tag}»")
	linked_client = make_client(client_name=f"Linked {tag}")
	names = []
	names += [make_lead(company_name=f"Solo {tag} {i}").name for i in range(120)]
	# 30 companies with two Leads each, spelled differently: one Client each
	for i in range(30):
		names.append(make_lead(company_name=f'ООО "Pair {tag} {i}"', first_name=f"Anna {i}").name)
		names.append(make_lead(company_name=f"Pair {tag} {i} LLC", first_name=f"Boris {i}").name)
	names += [make_lead(first_name=f"Person {tag} {i}").name for i in range(25)]
	names.append(make_lead(company_name=f"Existing {tag}").name)  # joins the existing Client
	names += [make_lead(company_name=f"Has {tag} {i}", client=linked_client.name).name for i in range(15)]
	nameless = make_lead(company_name=f"Nameless {tag}")
	frappe.db.set_value(
		"Lead",
		nameless.name,
		{"company_name": None, "first_name": None, "last_name": None, "lead_name": None, "email_id": None},
	)
	names += [nameless.name, "CRM-LEAD-VANISHED"]
	assert len(names) >= 200

	frappe.set_user(SALES_USER)
	summary = runner.run(lead_source.make_source(names))  # all in the request, as a job would

	counts = summary["counts"]
	assert (counts["records"], counts["created"], counts["skipped"], counts["failed"]) == (223, 175, 15, 2)
	assert summary["matched"] == [existing.name], "the existing Client is matched; the pairs' Clients are new"
	outcomes = Counter(row["outcome"] for row in summary["records"])
	assert outcomes == {"created": 175, "matched": 30 + 1, "skipped": 15, "failed": 2}
	failed = {row["record"]: row["error"] for row in summary["failed"]}
	assert "neither an organisation name nor a person's name" in failed[nameless.name]
	assert "does not exist" in failed["CRM-LEAD-VANISHED"]
	assert "Clients created: 175" in summary["message"]

	frappe.set_user("Administrator")
	lead_clients = dict(
		frappe.get_all("Lead", filters={"name": ("in", names)}, fields=["name", "client"], as_list=True)
	)
	assert all(lead_clients[name] for name in names[:-2]), "every other Lead has a Client"
	assert not lead_clients[nameless.name]
	for i in range(30):
		first, second = names[120 + 2 * i], names[121 + 2 * i]
		assert lead_clients[first] == lead_clients[second]
	assert lead_clients[names[205]] == existing.name
	assert len({lead_clients[name] for name in names[:120]}) == 120
	pair_client = frappe.get_doc("Client", lead_clients[names[120]])
	assert len(pair_client.contacts) == 2, "a joined Lead's contact person is added to the Client"


def test_create_clients_for_leads_already_done_is_all_skipped(site):
	frappe.set_user(SALES_USER)
	names = [make_lead(company_name="Twice " + random_string(6)).name for _i in range(3)]
	assert api.make_clients_from_leads(names)["counts"]["created"] == 3
	second = api.make_clients_from_leads(frappe.as_json(names))
	assert {key: second["counts"][key] for key in ("created", "matched", "skipped", "failed")} == {
		"created": 0,
		"matched": 0,
		"skipped": 3,
		"failed": 0,
	}


def test_large_selection_runs_as_a_background_job(site):
	from frappe.utils.background_jobs import get_job

	frappe.set_user(SALES_USER)
	names = [make_lead(company_name="Queued " + random_string(6)).name for _i in range(runner.SYNC_LIMIT + 1)]

	result = api.make_clients_from_leads(names)

	assert result["job"] and result["total"] == len(names)
	assert get_job(result["job"]) is None, "the job waits for the request's commit"
	frappe.db.after_commit.run()  # what the request's commit does
	job = get_job(result["job"])
	try:
		assert job is not None
		assert job.kwargs["method"] == runner.JOB_METHOD
		assert job.kwargs["kwargs"]["source"] == "crm_clients.intake.lead_source.make_source"
		assert job.kwargs["kwargs"]["params"] == {"leads": names}
		assert job.kwargs["user"] == SALES_USER
	finally:
		if job:
			job.delete()
	assert not frappe.db.exists("Client", {"lead": ("in", names)}), "nothing is made in the request itself"


def test_background_job_makes_the_clients_and_reports_the_summary(site, committed):
	"""The job runner commits each Lead's Client on its own (tests/test_interruptions.py kills it half-way)."""
	tag = random_string(6)
	names = [committed.add(make_lead(company_name=f"Job {tag} {i}")).name for i in range(3)]
	committed.track("Client", {"client_name": ("like", f"Job {tag}%")})
	frappe.set_user(SALES_USER)
	summary = runner.run_job("crm_clients.intake.lead_source.make_source", {"leads": names})
	assert summary["counts"]["created"] == 3
	frappe.db.rollback()
	assert all(frappe.db.get_value("Lead", name, "client") for name in names), "committed by the job"


def test_create_clients_needs_lead_read(site):
	lead = make_lead(company_name="Not mine " + random_string(6))
	frappe.set_user(NO_CRM_ROLE)
	with pytest.raises(frappe.PermissionError):
		api.make_clients_from_leads([lead.name])

	frappe.set_user(MASTER_MANAGER)  # may edit Clients but not create them
	with pytest.raises(frappe.PermissionError):
		api.make_clients_from_leads([lead.name])


def test_sales_user_limited_to_some_leads_cannot_create_clients_for_others(site):
	mine = make_lead(company_name="Mine " + random_string(6))
	theirs = make_lead(company_name="Theirs " + random_string(6))
	frappe.get_doc(
		{"doctype": "User Permission", "user": SALES_USER, "allow": "Lead", "for_value": mine.name}
	).insert()
	frappe.set_user(SALES_USER)

	with pytest.raises(frappe.PermissionError, match=theirs.name):
		api.make_clients_from_leads([mine.name, theirs.name])
	assert not frappe.db.get_value("Lead", mine.name, "client"), "nothing is made when a Lead is refused"

	summary = api.make_clients_from_leads([mine.name])
	assert summary["counts"]["created"] == 1


def test_deleting_the_source_lead_keeps_the_client(site):
	lead = make_lead(company_name="Short-lived " + random_string(6))
	client = make_client(client_name=lead.company_name, lead=lead.name)
	assert frappe.db.get_value("Lead", lead.name, "client") == client.name

	frappe.delete_doc("Lead", lead.name)

	assert frappe.db.exists("Client", client.name)
	assert frappe.db.get_value("Client", client.name, "lead") is None
