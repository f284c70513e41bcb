"""Conversion into a Customer («Перевести в контрагенты»): rights, mapping, atomicity, idempotence."""

import pytest

from tests.conftest import skip_module_without_frappe

skip_module_without_frappe()

import threading

from crm_clients.api import convert_to_customer
from tests import fixtures, http

pytestmark = pytest.mark.usefixtures("site")

CAN_CONVERT = [fixtures.SALES_USER, fixtures.MASTER_MANAGER]
CANNOT_CONVERT = [fixtures.SALES_MANAGER, fixtures.NO_CRM_ROLE, fixtures.NO_ROLES, "Guest"]


def customer_links(site, contact: str) -> list[str]:
	return [
		link.link_name for link in site.get_doc("Contact", contact).links if link.link_doctype == "Customer"
	]


def test_conversion_creates_the_customer_and_links_everything(site):
	industry = fixtures.make_industry()
	region = fixtures.make_region(territory="All Territories")
	lead = fixtures.make_lead(company_name="Ромашка lead")
	anna, boris = fixtures.make_contact("Anna"), fixtures.make_contact("Boris")
	client = fixtures.make_client(
		client_name="ООО «Ромашка»",
		client_type="Company",
		tax_id="7707083893",
		industry=industry.name,
		business_region=region.name,
		lead=lead.name,
		contacts=[anna.name, boris.name],
	)

	site.set_user(fixtures.SALES_USER)
	customer_name = convert_to_customer(client.name)

	customer = site.get_doc("Customer", customer_name)
	assert customer.customer_name == "ООО «Ромашка»"
	assert customer.customer_type == "Company"
	assert customer.tax_id == "7707083893"
	assert customer.territory == "All Territories"
	assert customer.customer_group == site.db.get_single_value("Selling Settings", "customer_group")
	assert customer.lead_name == lead.name
	assert customer.client == client.name
	assert customer.customer_primary_contact == anna.name
	client.reload()
	assert client.customer == customer_name
	assert client.status == "Converted"
	assert client.workflow_state == "Converted"
	assert customer_links(site, anna.name) == [customer_name]
	assert customer_links(site, boris.name) == [customer_name]
	assert site.db.get_value("Lead", lead.name, "status") == "Converted"
	assert site.db.exists("Comment", {"reference_doctype": "Client", "reference_name": client.name})
	assert site.db.exists("Comment", {"reference_doctype": "Customer", "reference_name": customer_name})


def test_individual_becomes_an_individual_customer(site):
	client = fixtures.make_client(client_name="Пётр Иванов", client_type="Individual")
	customer = site.get_doc("Customer", convert_to_customer(client.name))
	assert customer.customer_type == "Individual"


def test_second_call_returns_the_same_customer(site):
	anna = fixtures.make_contact("Anna")
	client = fixtures.make_client(contacts=[anna.name])
	first = convert_to_customer(client.name)
	second = convert_to_customer(client.name)
	assert first == second
	assert site.db.count("Customer", {"client": client.name}) == 1
	assert customer_links(site, anna.name) == [first]


def test_mappings_fall_back_to_same_named_masters_then_defaults(site):
	territory = site.get_doc(
		{"doctype": "Territory", "territory_name": "Сибирь", "parent_territory": "All Territories"}
	).insert()
	if not site.db.exists("Industry Type", "Нефтегаз"):
		site.get_doc({"doctype": "Industry Type", "industry": "Нефтегаз"}).insert()
	named = fixtures.make_client(
		industry=fixtures.make_industry("Нефтегаз").name, business_region=fixtures.make_region("Сибирь").name
	)
	customer = site.get_doc("Customer", convert_to_customer(named.name))
	assert (customer.industry, customer.territory) == ("Нефтегаз", territory.name)

	region = fixtures.make_region()
	region.db_set("territory", None)  # the user cleared the suggested default Territory
	unmapped = fixtures.make_client(industry=fixtures.make_industry().name, business_region=region.name)
	customer = site.get_doc("Customer", convert_to_customer(unmapped.name))
	assert customer.industry is None
	default_territory = site.db.get_single_value("Selling Settings", "territory")
	assert customer.territory == (default_territory or "All Territories")


def test_existing_customer_with_the_same_tax_id_is_reused(site):
	existing = site.get_doc(
		{"doctype": "Customer", "customer_name": "Sber old record", "tax_id": "7707083893"}
	).insert()
	client = fixtures.make_client(client_name="ПАО Сбербанк", tax_id="7707083893", kpp="773601001")
	customer_count = site.db.count("Customer")

	assert convert_to_customer(client.name) == existing.name
	assert site.db.count("Customer") == customer_count
	assert site.db.get_value("Customer", existing.name, "client") == client.name
	comment = site.db.get_value(
		"Comment", {"reference_doctype": "Customer", "reference_name": existing.name}, "content"
	)
	assert "7707083893" in comment


@pytest.mark.parametrize("user", CAN_CONVERT)
def test_users_with_the_right_convert_and_see_the_button(site, user):
	client = fixtures.make_client()
	site.set_user(user)
	client = site.get_doc("Client", client.name)
	client.run_method("onload")
	assert client.get_onload().can_convert is True
	assert convert_to_customer(client.name)


@pytest.mark.parametrize("user", CANNOT_CONVERT)
def test_users_without_the_right_cannot_convert_and_see_no_button(site, user):
	client = fixtures.make_client()
	site.set_user(user)
	if site.has_permission("Client", "read", doc=client.name):
		doc = site.get_doc("Client", client.name)
		doc.run_method("onload")
		assert doc.get_onload().can_convert is False
	with pytest.raises(site.PermissionError):
		convert_to_customer(client.name)
	site.set_user("Administrator")
	assert site.db.get_value("Client", client.name, ["customer", "status"]) == (None, "Open")
	assert not site.db.exists("Customer", {"client": client.name})


def test_missing_client_gives_a_clear_message(site):
	with pytest.raises(site.DoesNotExistError, match="CL-NOPE"):
		convert_to_customer("CL-NOPE")


def test_client_whose_customer_was_deleted_is_converted_afresh(site):
	client = fixtures.make_client()
	first = convert_to_customer(client.name)
	site.db.set_value("Client", client.name, "customer", None)  # what a forced delete leaves
	site.delete_doc("Customer", first, force=True)
	site.db.set_value("Client", client.name, "customer", first)

	second = convert_to_customer(client.name)
	assert site.db.exists("Customer", second)
	assert site.db.get_value("Customer", second, "client") == client.name
	assert site.db.get_value("Client", client.name, "customer") == second


def test_failure_inside_customer_creation_leaves_no_trace(site):
	fixtures.make_field_mandatory("Customer", "website")
	anna = fixtures.make_contact("Anna")
	lead = fixtures.make_lead(company_name="Atomic lead")
	client = fixtures.make_client(contacts=[anna.name], lead=lead.name)
	customers = site.db.count("Customer")
	comments = site.db.count("Comment", {"reference_doctype": "Client", "reference_name": client.name})

	with pytest.raises(site.MandatoryError, match=r"(?i)website"):
		convert_to_customer(client.name)

	assert site.db.count("Customer") == customers
	assert site.db.get_value("Client", client.name, ["customer", "status", "workflow_state"]) == (
		None,
		"Open",
		"Draft",
	)
	assert customer_links(site, anna.name) == []
	assert site.db.get_value("Lead", lead.name, "status") != "Converted"
	assert (
		site.db.count("Comment", {"reference_doctype": "Client", "reference_name": client.name}) == comments
	)


def test_converted_client_is_edited_by_the_sales_master_manager_only(site):
	"""The route's Converted state says who may edit: Sales Master Manager (contract), on the server too."""
	client = fixtures.make_client(client_name="Converted Co")
	site.set_user(fixtures.SALES_USER)
	convert_to_customer(client.name)
	for user in (fixtures.SALES_USER, fixtures.SALES_MANAGER):
		site.set_user(user)
		client = site.get_doc("Client", client.name)
		client.client_name = "Renamed by " + user
		with pytest.raises(site.PermissionError, match="only Sales Master Manager may edit it"):
			client.save()
	site.set_user(fixtures.MASTER_MANAGER)
	client = site.get_doc("Client", client.name)
	client.client_name = "Renamed by a manager"
	client.save()
	assert site.db.get_value("Client", client.name, "client_name") == "Renamed by a manager"


# --- over HTTP and across connections: these commit, and clean up after themselves ---


@pytest.fixture
def committed_client(site):
	site.set_user("Administrator")
	client = fixtures.make_client(client_name="Committed client for conversion")
	tokens = {user: fixtures.api_credentials(user) for user in (fixtures.SALES_USER, fixtures.SALES_MANAGER)}
	site.db.commit()
	yield client, tokens
	site.db.rollback()
	site.set_user("Administrator")
	for customer in site.get_all("Customer", filters={"client": client.name}, pluck="name"):
		site.db.set_value("Client", client.name, "customer", None)
		site.delete_doc("Customer", customer, force=True, ignore_permissions=True)
	site.delete_doc("Client", client.name, force=True, ignore_permissions=True)
	site.db.commit()


def test_http_convert_is_403_without_the_right_and_works_with_it(site, committed_client):
	client, tokens = committed_client
	path = "/api/method/crm_clients.api.convert_to_customer"

	status, body = http.call(site.local.site, "POST", path, {"client": client.name})
	assert status == 403, body  # Guest
	status, _ = http.call(
		site.local.site, "POST", path, {"client": client.name}, tokens[fixtures.SALES_MANAGER]
	)
	assert status == 403
	status, body = http.call(
		site.local.site, "POST", path, {"client": client.name}, tokens[fixtures.SALES_USER]
	)
	assert status == 200
	site.db.rollback()
	assert body["message"] == site.db.get_value("Client", client.name, "customer")


def test_simultaneous_conversions_give_exactly_one_customer(site, committed_client):
	client, _ = committed_client
	site_name, sites_path = site.local.site, site.local.sites_path
	results, errors = [], []
	start = threading.Barrier(4)

	def convert():
		import frappe

		frappe.init(site=site_name, sites_path=sites_path)
		frappe.connect()
		try:
			frappe.set_user(fixtures.SALES_USER)
			start.wait()
			results.append(convert_to_customer(client.name))
			frappe.db.commit()
		except Exception as error:
			errors.append(error)
			frappe.db.rollback()
		finally:
			frappe.destroy()

	threads = [threading.Thread(target=convert) for _ in range(4)]
	for thread in threads:
		thread.start()
	for thread in threads:
		thread.join(timeout=120)

	assert errors == []
	assert len(results) == 4
	assert len(set(results)) == 1
	site.db.rollback()
	assert site.db.count("Customer", {"client": client.name}) == 1


def test_form_of_a_converted_client_is_read_only_by_the_same_rule(site):
	"""The form reads the route's allow-edit rows (frappe.workflow.is_read_only); the server's check is the same."""
	from crm_clients import route

	client = fixtures.make_client()
	convert_to_customer(client.name)
	workflow = route.get_workflow()
	assert route.editors(workflow, "Converted") == {"Sales Master Manager"}
	for user, may_edit in (
		(fixtures.SALES_USER, False),
		(fixtures.SALES_MANAGER, False),
		(fixtures.MASTER_MANAGER, True),
	):
		site.set_user(user)
		doc = site.get_doc("Client", client.name)
		assert route.may_edit(doc) is may_edit
		doc.run_method("onload")
		assert doc.get_onload().can_convert is False  # it has its Customer


def test_failure_after_the_customer_is_made_undoes_the_customer_too(site):
	client = fixtures.make_client_from_lead_with_contact()
	# the new Customer's own on_update (ERPNext links the Lead's Contact to it, saving the Contact) will fail:
	# a customised site wants a designation on Contacts
	fixtures.make_field_mandatory("Contact", "designation")
	customers = site.db.count("Customer")

	with pytest.raises(site.MandatoryError):
		convert_to_customer(client.name)

	assert site.db.count("Customer") == customers
	assert site.db.get_value("Client", client.name, ["customer", "status"]) == (None, "Open")


def test_without_write_on_the_leads_contact_the_user_is_told_which(site):
	"""ERPNext links the Lead's Contacts to a Customer made from the Lead by saving them: a user who may not
	edit one is told so, and nothing is made."""
	client = fixtures.make_client_from_lead_with_contact()
	lead_contact = client.contacts[0].contact
	other = fixtures.make_contact("Visible to the sales user")
	site.get_doc(
		{
			"doctype": "User Permission",
			"user": fixtures.SALES_USER,
			"allow": "Contact",
			"for_value": other.name,
			"apply_to_all_doctypes": 0,
			"applicable_for": "Contact",
		}
	).insert()
	customers = site.db.count("Customer")
	site.set_user(fixtures.SALES_USER)
	with pytest.raises(site.PermissionError, match="Ask a colleague who may") as refused:
		convert_to_customer(client.name)
	assert lead_contact in str(refused.value)
	site.set_user("Administrator")
	assert site.db.count("Customer") == customers
	assert site.db.get_value("Client", client.name, ["customer", "status"]) == (None, "Open")
