"""Names the app gives Contacts and Customers when the natural one is taken (crm_clients/naming.py): the same
as Frappe's and ERPNext's, found without scanning the table."""

import pytest

from tests.conftest import skip_module_without_frappe

skip_module_without_frappe()

from frappe.utils import random_string

from crm_clients.api import convert_to_customer
from tests import fixtures

pytestmark = pytest.mark.usefixtures("site")


def test_people_of_the_same_name_get_the_next_number(site):
	first_name = "Тёзка " + random_string(5)
	names = [fixtures.make_contact(first_name).name for _ in range(3)]
	assert names == [f"{first_name} Testov", f"{first_name} Testov-1", f"{first_name} Testov-2"]
	# a number some other way took is passed over, as Frappe does (the highest + 1)
	site.rename_doc("Contact", names[2], f"{first_name} Testov-7", force=True)
	assert fixtures.make_contact(first_name).name == f"{first_name} Testov-8"


def test_a_client_named_as_an_existing_customer_gets_the_next_number(site):
	name = "Тёзка " + random_string(5)
	site.get_doc({"doctype": "Customer", "customer_name": name, "customer_type": "Company"}).insert()
	first = fixtures.make_client(client_name=name)
	second = fixtures.make_client(client_name=name)
	assert convert_to_customer(first.name) == f"{name} - 1"
	assert convert_to_customer(second.name) == f"{name} - 2"
	assert site.db.get_value("Customer", f"{name} - 2", "customer_name") == name


@pytest.mark.parametrize("taken", [0, 1, 3])
def test_contact_names_are_frappes_own(site, taken):
	"""The app's rule gives the name Frappe's own `append_number_if_name_exists` gives (its REGEXP scan)."""
	from frappe.model.naming import append_number_if_name_exists as frappes

	from crm_clients import naming

	first_name = "Образец " + random_string(5)
	for _i in range(taken):
		fixtures.make_contact(first_name)
	name = f"{first_name} Testov"
	assert naming.append_number_if_name_exists("Contact", name) == frappes("Contact", name)


@pytest.mark.parametrize("taken", [0, 1, 2])
def test_customer_names_are_erpnexts_own(site, taken):
	"""The app's Customer name is what ERPNext's `Customer.get_customer_name` gives for the same name."""
	from crm_clients import naming

	name = "Образец " + random_string(5)
	for _i in range(taken):
		customer = site.new_doc("Customer")
		customer.update({"customer_name": name, "customer_type": "Company"})
		customer.insert()
	client = fixtures.make_client(client_name=name)
	erpnexts = site.new_doc("Customer")
	erpnexts.customer_name = name
	assert naming.customer_name(client) == erpnexts.get_customer_name()
