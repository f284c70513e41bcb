"""What a source comparison with Frappe/ERPNext v16 found, checked where v15 can check it."""

import importlib.util
import json
import re

import pytest

from tests.conftest import REPO

APP = REPO / "crm_clients"


def load_site_setup():
	spec = importlib.util.spec_from_file_location("site_setup", REPO / "scripts" / "site_setup.py")
	module = importlib.util.module_from_spec(spec)
	spec.loader.exec_module(module)
	return module


def test_the_v16_sidebar_is_the_modules_standard_sidebar_and_opens_the_workspace():
	sidebar = json.loads((APP / "workspace_sidebar" / "marketing.json").read_text())
	assert sidebar["module"] == "CRM Clients" and sidebar["standard"] == 1 and sidebar["app"] == "crm_clients"
	home = sidebar["items"][0]
	assert (home["type"], home["link_type"], home["link_to"]) == ("Link", "Workspace", "Marketing")
	workspace = json.loads((APP / "crm_clients" / "workspace" / "marketing" / "marketing.json").read_text())
	assert workspace["name"] == home["link_to"]
	assert [item["idx"] for item in sidebar["items"]] == list(range(1, len(sidebar["items"]) + 1))


def test_the_v16_desktop_icon_opens_our_sidebar_and_is_ours_to_remove():
	icon = json.loads((APP / "desktop_icon" / "marketing.json").read_text())
	sidebar = json.loads((APP / "workspace_sidebar" / "marketing.json").read_text())
	assert (icon["app"], icon["link_type"], icon["link_to"]) == (
		"crm_clients",
		"Workspace Sidebar",
		sidebar["name"],
	)
	install = (APP / "setup" / "install.py").read_text()
	assert "remove_desktop_icons()" in install.split("def before_uninstall")[1].split("def ")[0]


def test_the_contact_rows_offer_every_contact():
	""" "Unsubscribed" is no Contact status in v15 or v16: the filter did nothing, and an unsubscribed person
	(newsletters) is still a contact person."""
	client_js = (APP / "crm_clients" / "doctype" / "client" / "client.js").read_text()
	assert not re.search(r"set_query\(\s*\"contact\"", client_js)


@pytest.mark.usefixtures("site")
def test_an_unsubscribed_contact_can_be_a_contact_person(site):
	from tests import fixtures

	anna = fixtures.make_contact("Anna")
	site.db.set_value("Contact", anna.name, "unsubscribed", 1)
	client = fixtures.make_client(contacts=[anna.name])
	assert client.contacts[0].contact == anna.name


@pytest.mark.usefixtures("site")
def test_the_test_site_setup_uses_the_installed_erpnexts_own_bootstrap(site):
	setup = load_site_setup()
	bootstrap = setup.find_test_bootstrap()
	assert f"{bootstrap.__module__}.{bootstrap.__name__}" == "erpnext.setup.utils.before_tests"
	setup.TEST_BOOTSTRAPS = ("erpnext.setup.utils.removed_in_a_later_release",)
	assert setup.find_test_bootstrap() is None  # then the setup wizard does it
	answers = setup.wizard_answers("demo")
	assert (answers["currency"], answers["country"], answers["timezone"]) == (
		"RUB",
		"Russian Federation",
		"Europe/Moscow",
	)
	assert site.db.get_value("Language", {"language_name": answers["language"]}) == "ru"
	assert setup.complete_setup("test") == "already set up"


@pytest.mark.usefixtures("site")
def test_reusing_a_customer_by_tax_id_without_write_on_its_contact_says_so_clearly(site):
	"""v16's Customer re-saves its primary Contact on every save; conversion also links the Client's people."""
	from crm_clients.api import convert_to_customer
	from tests import fixtures

	inn = "7707083893"
	person = fixtures.make_contact("Owned by someone else")
	other = fixtures.make_contact("Visible to the sales user")
	customer = site.get_doc(
		{
			"doctype": "Customer",
			"customer_name": "Existing by tax id",
			"customer_type": "Company",
			"tax_id": inn,
			"customer_primary_contact": None,
		}
	).insert()
	site.db.set_value("Customer", customer.name, "customer_primary_contact", person.name)
	client = fixtures.make_client(
		client_type="Company", country="Russian Federation", tax_id=inn, kpp="773601001"
	)
	site.get_doc(
		{
			"doctype": "User Permission",
			"user": fixtures.SALES_USER,
			"allow": "Contact",
			"for_value": other.name,
		}
	).insert()
	site.set_user(fixtures.SALES_USER)
	# the user may not touch that Contact (nor, through it, the Customer whose primary contact it is)
	with pytest.raises(
		site.PermissionError, match="Ask a colleague who may, or send the Client for conversion"
	):
		convert_to_customer(client.name)
	site.set_user("Administrator")
	assert site.db.get_value("Client", client.name, "customer") is None
	assert not site.db.get_value("Customer", customer.name, "client")
