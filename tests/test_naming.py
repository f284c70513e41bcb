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
