"""The Client owns its state: rules a request cannot get round, uniqueness kept by the database, links
that follow the rows, a mapper that writes nothing, failures that are never hidden, bounded query counts."""

import pytest

from tests.conftest import skip_module_without_frappe

skip_module_without_frappe()

import json
import threading

import frappe
from frappe.model.workflow import apply_workflow

from crm_clients import api, savepoints
from crm_clients.api import convert_to_customer
from crm_clients.intake import lead_source, runner
from tests import fixtures, http

pytestmark = pytest.mark.usefixtures("site")

INN, KPP = "7707083893", "773601001"  # ПАО Сбербанк


def client_links(contact: str) -> list[str]:
	return frappe.get_all(
		"Dynamic Link",
		filters={"parenttype": "Contact", "parent": contact, "link_doctype": "Client"},
		pluck="link_name",
	)


def put(site_name: str, client: str, values: dict, token):
	return http.call(site_name, "PUT", f"/api/resource/Client/{client}", {"data": json.dumps(values)}, token)


# 1. A user cannot convert by typing a Customer, nor set the status


def test_sales_manager_cannot_mark_a_client_converted_over_rest(site, committed):
	client = committed.add(fixtures.make_client(client_name="Typed Customer test"))
	other = committed.add(
		frappe.get_doc(
			{"doctype": "Customer", "customer_name": "Someone else's Customer", "customer_type": "Company"}
		).insert()
	)
	token = fixtures.api_credentials(fixtures.SALES_MANAGER)
	frappe.db.commit()

	status, body = put(site.local.site, client.name, {"customer": other.name}, token)
	assert status == 403, body
	status, body = put(site.local.site, client.name, {"status": "Converted"}, token)
	assert status == 403, body

	frappe.db.rollback()
	assert frappe.db.get_value("Client", client.name, ["customer", "status", "workflow_state"]) == (
		None,
		"Open",
		"Draft",
	)


@pytest.mark.parametrize(
	"user, state",
	[
		("Administrator", "Draft"),
		(fixtures.SALES_USER, "Draft"),
		(fixtures.MASTER_MANAGER, "Pending Conversion"),  # the state in which the route lets them edit
	],
)
def test_no_role_sets_the_customer_or_the_status_by_hand(site, user, state):
	client = fixtures.make_client()
	if state != "Draft":
		frappe.set_user(fixtures.SALES_USER)
		apply_workflow(frappe.get_doc("Client", client.name).as_dict(), "Send for Conversion")
		frappe.set_user("Administrator")
	customer = frappe.get_doc(
		{"doctype": "Customer", "customer_name": "Typed " + client.name, "customer_type": "Company"}
	).insert()
	frappe.set_user(user)
	doc = frappe.get_doc("Client", client.name)
	doc.customer = customer.name
	with pytest.raises(frappe.PermissionError, match="conversion only"):
		doc.save()
	doc = frappe.get_doc("Client", client.name)
	doc.status = "Converted"
	with pytest.raises(frappe.PermissionError, match="follows its conversion"):
		doc.save()


def test_a_role_edits_only_in_the_states_the_route_lets_it(site):
	client = fixtures.make_client()
	frappe.set_user(fixtures.MASTER_MANAGER)
	doc = frappe.get_doc("Client", client.name)
	doc.client_name = "Edited in Draft by a master manager"
	with pytest.raises(frappe.PermissionError, match="only Sales Manager, Sales User may edit it"):
		doc.save()


def test_status_is_derived_from_the_route_not_from_the_request(site):
	client = fixtures.make_client()
	frappe.set_user(fixtures.SALES_USER)
	doc = apply_workflow(frappe.get_doc("Client", client.name).as_dict(), "Send for Conversion")
	assert (doc.workflow_state, doc.status) == ("Pending Conversion", "Pending Conversion")
	frappe.set_user(fixtures.MASTER_MANAGER)
	doc = apply_workflow(frappe.get_doc("Client", client.name).as_dict(), "Return")
	assert (doc.workflow_state, doc.status) == ("Draft", "Open")


def test_route_conversion_is_keyed_on_the_checked_transition(site):
	"""Saving with the Converted state is a transition Frappe checks: a Sales User may not take it."""
	client = fixtures.make_client()
	frappe.set_user(fixtures.SALES_USER)
	doc = frappe.get_doc("Client", client.name)
	doc.workflow_state = "Converted"
	with pytest.raises(frappe.ValidationError, match="transition not allowed"):
		doc.save()
	assert not frappe.db.get_value("Client", client.name, "customer")


# 2. One Client, one Customer


def test_clearing_the_customer_does_not_convert_again(site):
	client = fixtures.make_client()
	frappe.set_user(fixtures.SALES_USER)
	first = convert_to_customer(client.name)

	frappe.set_user(fixtures.MASTER_MANAGER)  # may edit a Converted Client
	doc = frappe.get_doc("Client", client.name)
	doc.customer = None
	doc.status = "Converted"
	with pytest.raises(frappe.PermissionError):
		doc.save()
	assert frappe.db.count("Customer", {"client": client.name}) == 1
	assert convert_to_customer(client.name) == first


def test_a_customer_belongs_to_one_client_in_the_database(site):
	first, second = fixtures.make_client(), fixtures.make_client()
	convert_to_customer(second.name)
	customer = frappe.get_doc("Customer", convert_to_customer(first.name))
	customer.client = second.name
	with pytest.raises(frappe.UniqueValidationError):
		customer.db_update()


# 3. Links follow the rows; a Client with contact persons can be deleted


def test_sales_manager_deletes_a_client_with_contacts_and_leads(site):
	anna, boris = fixtures.make_contact("Anna"), fixtures.make_contact("Boris")
	lead = fixtures.make_lead(company_name="Deleted client lead")
	client = fixtures.make_client(contacts=[anna.name, boris.name])
	frappe.db.set_value("Lead", lead.name, "client", client.name)
	assert client_links(anna.name) == [client.name]

	frappe.set_user(fixtures.SALES_MANAGER)
	frappe.delete_doc("Client", client.name)

	assert not frappe.db.exists("Client", client.name)
	assert frappe.db.exists("Contact", anna.name) and frappe.db.exists("Contact", boris.name)
	assert client_links(anna.name) == client_links(boris.name) == []
	assert frappe.db.get_value("Lead", lead.name, "client") is None
	assert frappe.db.exists("Comment", {"reference_doctype": "Lead", "reference_name": lead.name})


def test_removing_a_contact_row_removes_its_link_and_keeps_the_others(site):
	anna, boris = fixtures.make_contact("Anna"), fixtures.make_contact("Boris")
	client = fixtures.make_client(contacts=[anna.name, boris.name])
	client.contacts = [row for row in client.contacts if row.contact == boris.name]
	client.save()
	assert client_links(anna.name) == []
	assert client_links(boris.name) == [client.name]


def test_a_contact_person_needs_only_read_on_the_contact(site):
	"""The link to the Client is the Client's bookkeeping: the Contact is not saved by the Client's user."""
	anna = fixtures.make_contact("Anna")
	frappe.set_user(fixtures.SALES_MANAGER)
	client = fixtures.make_client(contacts=[anna.name])
	assert client_links(anna.name) == [client.name]


def test_a_contacts_new_details_reach_its_rows(site):
	anna = fixtures.make_contact("Anna", email="anna.rows@example.com", phone="+7 495 000-00-01")
	client = fixtures.make_client(contacts=[anna.name])
	contact = frappe.get_doc("Contact", anna.name)
	contact.first_name = "Anya"
	contact.phone_nos[0].phone = "+7 495 000-00-02"
	contact.save()
	row = frappe.get_doc("Client", client.name).contacts[0]
	assert (row.full_name, row.phone, row.email) == (
		"Anya Testov",
		"+7 495 000-00-02",
		"anna.rows@example.com",
	)


# 4. Uniqueness of ИНН+КПП in the database, also for simultaneous requests


def test_four_simultaneous_creates_with_the_same_inn_and_kpp_give_one_client(site, committed):
	token = fixtures.api_credentials(fixtures.SALES_USER)
	committed.track("Client", {"tax_id": INN})
	frappe.db.commit()
	values = {
		"client_name": "Сбербанк",
		"client_type": "Company",
		"country": "Russian Federation",
		"tax_id": INN,
		"kpp": KPP,
	}
	start = threading.Barrier(4)
	results = []
	site_name = site.local.site  # frappe.local belongs to this thread

	def create():
		start.wait()
		results.append(
			http.call(site_name, "POST", "/api/resource/Client", {"data": json.dumps(values)}, token)
		)

	threads = [threading.Thread(target=create) for _ in range(4)]
	for thread in threads:
		thread.start()
	for thread in threads:
		thread.join(timeout=120)

	statuses = sorted(status for status, _ in results)
	assert statuses == [200, 409, 409, 409], results
	frappe.db.rollback()
	created = frappe.get_all("Client", filters={"tax_id": INN}, pluck="name")
	assert len(created) == 1
	for status, body in results:
		if status == 409:
			assert created[0] in json.dumps(body, ensure_ascii=False)


def test_same_inn_without_kpp_and_foreign_or_empty_tax_ids_are_free(site):
	fixtures.make_client(client_type="Company", country="Russian Federation", tax_id=INN, kpp=KPP)
	fixtures.make_client(client_type="Company", country="Russian Federation", tax_id=INN, kpp="773643001")
	fixtures.make_client(client_type="Company", country="Germany", tax_id="DE123")
	fixtures.make_client(client_type="Company", country="Germany", tax_id="DE123")
	fixtures.make_client(client_type="Company")
	fixtures.make_client(client_type="Company")
	with pytest.raises(frappe.DuplicateEntryError, match=INN):
		fixtures.make_client(client_type="Company", country="Russian Federation", tax_id=INN, kpp=KPP)


def test_changing_the_kpp_into_anothers_is_refused_by_the_database(site):
	first = fixtures.make_client(client_type="Company", country="Russian Federation", tax_id=INN, kpp=KPP)
	second = fixtures.make_client(
		client_type="Company", country="Russian Federation", tax_id=INN, kpp="773643001"
	)
	second.kpp = KPP
	with pytest.raises(frappe.DuplicateEntryError, match=first.name):
		second.save()


# 5. Any saved Client converts


@pytest.mark.parametrize(
	"name",
	[
		"ООО <Ромашка>",
		"A > B Trading",
		"Customer",
		"New Customer Solutions",
		"  Много   пробелов  ",
		"Я" * 140,
	],
)
def test_client_names_frappe_would_refuse_as_names_still_convert(site, name):
	client = fixtures.make_client(client_name=name, client_type="Company")
	customer = frappe.get_doc("Customer", convert_to_customer(client.name))
	assert customer.client == client.name
	assert "<" not in customer.name and ">" not in customer.name
	assert frappe.db.get_value("Client", client.name, "status") == "Converted"


def test_a_client_named_like_a_customer_group_converts(site):
	group = frappe.db.get_value("Customer Group", {"is_group": 0}, "name")
	client = fixtures.make_client(client_name=group)
	customer = frappe.get_doc("Customer", convert_to_customer(client.name))
	assert customer.customer_name == group and customer.name != group


def test_two_clients_of_the_same_name_give_two_customers(site):
	name = "Twin " + frappe.generate_hash(length=6)
	first, second = fixtures.make_client(client_name=name), fixtures.make_client(client_name=name)
	assert [convert_to_customer(first.name), convert_to_customer(second.name)] == [name, f"{name} - 1"]
	assert frappe.db.count("Customer", {"customer_name": name}) == 2


def test_a_missing_default_customer_group_is_said_clearly_and_nothing_is_made(site):
	client = fixtures.make_client()
	frappe.db.set_single_value("Selling Settings", "customer_group", "Deleted group")
	customers = frappe.db.count("Customer")
	with pytest.raises(frappe.ValidationError, match="Selling Settings"):
		convert_to_customer(client.name)
	assert frappe.db.count("Customer") == customers
	assert frappe.db.get_value("Client", client.name, "customer") is None


# 6. The mapper writes nothing


def test_opening_create_client_on_a_lead_writes_nothing(site):
	crm_settings = frappe.get_single("CRM Settings")
	crm_settings.auto_creation_of_contact = 0  # else ERPNext itself makes a Contact for the new Lead
	crm_settings.save()
	lead = fixtures.make_lead(
		first_name="Ирина",
		last_name="Мапперова",
		company_name="Mapper Co",
		email_id="irina.mapper@example.com",
	)
	contacts = frappe.db.count("Contact")
	links = frappe.db.count("Dynamic Link")

	frappe.set_user(fixtures.SALES_USER)
	client = api.make_client_from_lead(lead.name)

	assert frappe.db.count("Contact") == contacts
	assert frappe.db.count("Dynamic Link") == links
	assert client.contacts == []

	client.insert()  # saving makes the Lead's contact person
	assert len(client.contacts) == 1
	contact = frappe.get_doc("Contact", client.contacts[0].contact)
	assert (contact.first_name, contact.email_id) == ("Ирина", "irina.mapper@example.com")
	assert contact.has_link("Lead", lead.name) and contact.has_link("Client", client.name)
	assert frappe.db.get_value("Lead", lead.name, "client") == client.name


def test_one_client_per_source_lead_in_the_database(site):
	lead = fixtures.make_lead(company_name="Only one")
	first = fixtures.make_client(lead=lead.name)
	second = frappe.new_doc("Client")
	second.update({"client_name": "Second", "lead": lead.name})
	with pytest.raises(frappe.ValidationError, match=first.name):
		second.insert()


# 7. A lost savepoint is never success


def test_a_lost_savepoint_raises_instead_of_reporting_success(site):
	with pytest.raises(savepoints.TransactionLost):
		with savepoints.all_or_nothing("crm_clients_test"):
			frappe.db.commit()  # ends the transaction, as a deadlock would


def test_a_bulk_run_without_commits_stops_when_its_transaction_is_lost(site):
	names = [fixtures.make_lead(company_name=f"Lost {i}").name for i in range(3)]
	source = lead_source.make_source(names)
	process = source.process

	def second_loses_the_transaction(name, summary):
		outcome = process(name, summary)
		if name == names[1]:
			frappe.db.sql("ROLLBACK")  # what MariaDB does to a deadlock victim
		return outcome

	source.process = second_loses_the_transaction  # a source of the runner whose second record is a victim
	with pytest.raises(savepoints.TransactionLost):
		runner.run(source)


# 8. Query counts


def count_statements(action) -> int:
	"""The statements `action` sends through frappe.db.sql (which every query of Frappe and the app goes through)."""
	frappe.db.value_cache.clear()  # a request starts with an empty cache
	sent = []
	real_sql = frappe.db.sql

	def sql(query, *args, **kwargs):
		sent.append(query)
		return real_sql(query, *args, **kwargs)

	frappe.db.sql = sql
	try:
		action()
	finally:
		frappe.db.sql = real_sql
	return len(sent)


def test_resaving_a_client_with_20_unchanged_rows_takes_few_queries(site):
	people = [fixtures.make_contact(f"Person {i}", phone=f"+7 495 000-10-{i:02d}").name for i in range(20)]
	client = fixtures.make_client(contacts=people)
	counts = []
	for country in ("France", "Germany", "Italy"):
		doc = frappe.get_doc("Client", client.name)
		doc.country = country
		counts.append(count_statements(doc.save))
	# the first save may also load metadata a running server has cached (Frappe's, e.g. Energy Point Settings)
	queries = min(counts)
	print(f"re-saving a Client with 20 unchanged contact rows: {counts} queries")
	# Frappe's Document.save itself costs 2 per row — an UPDATE of every child row and the link check of each
	# row's Contact — so 40 of these are Frappe's; the app's own part no longer grows with the rows.
	assert queries <= 2 * 20 + 15


def test_bulk_request_does_not_query_per_lead_before_queueing(site):
	names = [fixtures.make_lead(company_name=f"Queued {i}").name for i in range(200)]
	frappe.set_user(fixtures.SALES_USER)
	lead_source.make_clients(names[:25])  # warm the caches
	few = count_statements(lambda: lead_source.make_clients(names[:25]))
	many = count_statements(lambda: lead_source.make_clients(names))
	print(f"Create Clients in the request before queueing: 25 Leads {few} queries, 200 Leads {many} queries")
	assert many == few <= 10
