"""The Clients registry on a real site: contact rows, links back, masters, bad input, rights."""

import pytest

from tests.conftest import skip_module_without_frappe

skip_module_without_frappe()


from tests import fixtures

pytestmark = pytest.mark.usefixtures("site")


def test_client_with_two_contacts_fills_names_phones_and_emails(site):
	anna = fixtures.make_contact("Anna", email="anna@example.com", phone="+7 495 111-22-33")
	boris = fixtures.make_contact("Boris", email="boris@example.com", phone="+7 812 444-55-66")

	client = fixtures.make_client(client_name="ООО «Ромашка»", contacts=[anna.name, boris.name])

	rows = {row.contact: row for row in site.get_doc("Client", client.name).contacts}
	assert rows[anna.name].full_name == "Anna Testov"
	assert rows[anna.name].phone == "+7 495 111-22-33"
	assert rows[anna.name].email == "anna@example.com"
	assert rows[boris.name].full_name == "Boris Testov"
	assert rows[boris.name].phone == "+7 812 444-55-66"
	assert rows[boris.name].email == "boris@example.com"
	assert [row.is_primary for row in client.contacts] == [1, 0]


def test_contacts_on_a_client_link_back_to_it(site):
	anna = fixtures.make_contact("Anna")
	boris = fixtures.make_contact("Boris")
	client = fixtures.make_client(contacts=[anna.name, boris.name])

	for contact in (anna, boris):
		links = site.get_doc("Contact", contact.name).links
		assert [(link.link_doctype, link.link_name) for link in links] == [("Client", client.name)]

	client.reload()
	client.save()  # saving again adds no second link
	assert len(site.get_doc("Contact", anna.name).links) == 1


def test_contact_details_follow_the_contact_on_api_insert(site):
	contact = fixtures.make_contact("Vera", email="vera@example.com")
	client = site.get_doc(
		{
			"doctype": "Client",
			"client_name": "Vera's shop",
			"contacts": [
				{"contact": contact.name, "full_name": "typed by hand", "email": "wrong@example.com"}
			],
		}
	).insert()
	assert client.contacts[0].full_name == "Vera Testov"
	assert client.contacts[0].email == "vera@example.com"


def test_mobile_number_is_the_phone_when_the_contact_has_no_phone(site):
	from crm_clients.contacts import insert_contact

	contact = site.new_doc("Contact")
	contact.first_name = "Mobile"
	insert_contact(contact, [{"phone": "+7 900 000-00-01", "is_primary_mobile_no": 1}])
	client = fixtures.make_client(contacts=[contact.name])
	assert client.contacts[0].phone == "+7 900 000-00-01"


def test_new_client_is_open_and_named_by_series(site):
	client = fixtures.make_client(client_name="  ИП Иванов  ", client_type="Individual")
	assert client.name.startswith("CL-")
	assert client.client_name == "ИП Иванов"
	assert client.status == "Open"
	assert client.workflow_state == "Draft"


def test_client_takes_industry_and_business_region_from_their_masters(site):
	industry = fixtures.make_industry("Машиностроение")
	region = fixtures.make_region("Северо-Запад")
	client = fixtures.make_client(industry=industry.name, business_region=region.name)
	assert (client.industry, client.business_region) == ("Машиностроение", "Северо-Запад")


def test_masters_map_to_erpnext_optionally(site):
	industry_type = (
		site.db.get_value("Industry Type", {}, "name")
		or site.get_doc({"doctype": "Industry Type", "industry": "Manufacturing"}).insert().name
	)
	territory = site.get_doc(
		{"doctype": "Territory", "territory_name": "Дальний Восток", "parent_territory": "All Territories"}
	).insert()
	industry = fixtures.make_industry(industry_type=industry_type)
	region = fixtures.make_region(territory=territory.name)
	assert industry.industry_type == industry_type
	assert region.territory == territory.name
	assert fixtures.make_industry().industry_type is None
	# the desk's pre-filled default Territory (the root) is no mapping
	assert fixtures.make_region().territory is None


def test_master_names_are_unique(site):
	fixtures.make_industry("Retail twice")
	with pytest.raises(site.DuplicateEntryError):
		fixtures.make_industry("Retail twice")


@pytest.mark.parametrize("name", ["", "   "])
def test_client_without_a_name_is_refused(site, name):
	with pytest.raises(site.MandatoryError):
		fixtures.make_client(client_name=name)
	assert not site.db.exists("Client", {"client_name": name.strip()})


@pytest.mark.parametrize("fieldname", ["industry", "business_region"])
def test_link_to_a_missing_master_is_refused(site, fieldname):
	before = site.db.count("Client")
	with pytest.raises(site.LinkValidationError):
		fixtures.make_client(**{fieldname: "No such master"})
	assert site.db.count("Client") == before


def test_contact_row_with_a_missing_contact_is_refused(site):
	before = site.db.count("Client")
	with pytest.raises(site.ValidationError):
		fixtures.make_client(contacts=["No such contact"])
	assert site.db.count("Client") == before


def test_contact_row_without_a_contact_is_refused(site):
	client = site.new_doc("Client")
	client.client_name = "No contact in row"
	client.append("contacts", {"is_primary": 1})
	with pytest.raises(site.MandatoryError) as error:
		client.insert()
	assert "Row #1" in str(error.value)
	assert not site.db.exists("Client", {"client_name": "No contact in row"})


def test_same_contact_twice_is_refused(site):
	anna = fixtures.make_contact("Anna")
	with pytest.raises(site.DuplicateEntryError):
		fixtures.make_client(contacts=[anna.name, anna.name])


def test_two_primary_contacts_are_refused(site):
	anna, boris = fixtures.make_contact("Anna"), fixtures.make_contact("Boris")
	client = site.new_doc("Client")
	client.client_name = "Two primaries"
	client.append("contacts", {"contact": anna.name, "is_primary": 1})
	client.append("contacts", {"contact": boris.name, "is_primary": 1})
	with pytest.raises(site.ValidationError):
		client.insert()


def test_new_contact_dialog_creates_a_contact_or_reuses_one_with_that_email(site):
	from crm_clients.api import create_contact

	site.set_user(fixtures.SALES_USER)
	made = create_contact(first_name="Глеб", last_name="Петров", email="gleb@example.com", phone="+7 999 1")
	assert made["full_name"] == "Глеб Петров"
	assert made["email"] == "gleb@example.com"
	assert made["phone"] == "+7 999 1"
	again = create_contact(first_name="Gleb", email="gleb@example.com")
	assert again["name"] == made["name"]
	with pytest.raises(site.MandatoryError):
		create_contact(first_name="  ")


def test_sales_user_creates_and_edits_but_cannot_delete(site):
	site.set_user(fixtures.SALES_USER)
	client = fixtures.make_client(client_name="Sales user's client")
	client.client_type = "Individual"
	client.save()
	assert site.db.get_value("Client", client.name, "client_type") == "Individual"
	with pytest.raises(site.PermissionError):
		site.delete_doc("Client", client.name)
	assert site.db.exists("Client", client.name)


def test_sales_manager_may_delete(site):
	site.set_user(fixtures.SALES_MANAGER)
	client = fixtures.make_client()
	site.delete_doc("Client", client.name)
	assert not site.db.exists("Client", client.name)


def test_sales_master_manager_reads_and_edits_but_cannot_create(site):
	client = fixtures.make_client()
	site.set_user(fixtures.MASTER_MANAGER)
	assert site.has_permission("Client", "read", doc=client.name)
	assert site.has_permission("Client", "write", doc=client.name)
	with pytest.raises(site.PermissionError):
		fixtures.make_client()


@pytest.mark.parametrize("user", [fixtures.NO_CRM_ROLE, fixtures.NO_ROLES])
def test_user_without_a_crm_role_cannot_read_clients(site, user):
	client = fixtures.make_client()
	site.set_user(user)
	assert not site.has_permission("Client", "read", doc=client.name)
	with pytest.raises(site.PermissionError):
		site.get_list("Client")
	with pytest.raises(site.PermissionError):
		site.get_doc("Client", client.name).check_permission("read")


def test_masters_are_readable_by_sales_user_and_edited_by_managers(site):
	site.set_user(fixtures.SALES_USER)
	assert site.has_permission("Industry", "read")
	assert not site.has_permission("Industry", "create")
	assert not site.has_permission("Business Region", "write")
	for user in (fixtures.SALES_MANAGER, fixtures.MASTER_MANAGER):
		site.set_user(user)
		assert fixtures.make_industry().name
		assert fixtures.make_region().name


def test_client_is_found_by_name_and_tax_id(site):
	from frappe.desk.search import search_link

	client = fixtures.make_client(client_name="Searchable Widgets", tax_id="7707083893", country=None)
	by_name = search_link("Client", "Searchable Wid")
	by_tax_id = search_link("Client", "7707083893")
	assert client.name in [row["value"] for row in by_name]
	assert client.name in [row["value"] for row in by_tax_id]


def test_new_business_region_maps_to_the_territory_of_the_same_name(site):
	site.get_doc(
		{"doctype": "Territory", "territory_name": "Урал", "parent_territory": "All Territories"}
	).insert()
	assert fixtures.make_region("Урал").territory == "Урал"
