"""The demo data of scripts/dev-server (crm_clients/demo.py): complete, idempotent, and what each role sees."""

import pytest

from tests.conftest import skip_module_without_frappe

skip_module_without_frappe()

import frappe
from frappe.utils.password import check_password

from crm_clients import demo, route

pytestmark = pytest.mark.usefixtures("site")


@pytest.fixture
def loaded(site):
	return demo.load()


def demo_clients() -> list:
	return frappe.get_all(
		"Client",
		filters={"client_name": ("in", [row[0] for row in demo.CLIENTS])},
		fields=["name", "status", "customer", "tax_id"],
	)


def test_demo_shows_every_state_and_maps_the_masters(loaded):
	assert loaded["clients"] == len(demo.CLIENTS) == 30
	clients = demo_clients()
	statuses = [client.status for client in clients]
	assert statuses.count("Open") == 20
	assert statuses.count("Pending Conversion") == 4
	assert statuses.count("Converted") == 6
	assert all(client.customer for client in clients if client.status == "Converted")
	assert frappe.db.exists(
		"ToDo", {"reference_type": "Client", "allocated_to": demo.MASTER_MANAGER, "status": "Open"}
	)
	assert all(
		frappe.db.get_value("Business Region", region, "territory") == region for region in demo.REGIONS
	)
	assert frappe.db.get_value("Industry", "Производство", "industry_type")
	assert frappe.db.count("Lead", {"email_id": ("like", "%.example"), "client": ("is", "set")}) >= 5
	assert (
		frappe.db.count(
			"Lead", {"email_id": ("in", [row[3] for row in demo.LEADS]), "client": ("is", "not set")}
		)
		== 5
	)
	with_people = frappe.get_all(
		"Client Contact", filters={"parent": ("in", [c.name for c in clients])}, pluck="parent"
	)
	assert set(with_people) == {client.name for client in clients}


def test_loading_again_adds_nothing(loaded):
	counts = {
		doctype: frappe.db.count(doctype)
		for doctype in ("Client", "Contact", "Lead", "Customer", "User", "ToDo")
	}
	assert demo.load() == loaded
	assert {doctype: frappe.db.count(doctype) for doctype in counts} == counts


@pytest.mark.parametrize(
	"user, can_create, can_delete, can_convert",
	[
		(demo.SALES_USER, True, False, True),
		(demo.SALES_MANAGER, True, True, False),
		(demo.MASTER_MANAGER, False, False, True),
		(demo.SYSTEM_MANAGER, True, True, False),  # ERPNext gives System Manager no Customer create
	],
)
def test_each_role_user_logs_in_in_russian_and_sees_what_its_role_allows(
	loaded, user, can_create, can_delete, can_convert
):
	check_password(user, demo.DEMO_PASSWORD)  # raises for a wrong login
	assert frappe.db.get_value("User", user, ["language", "default_workspace", "default_app"]) == (
		"ru",
		"Marketing",
		"crm_clients",
	)
	frappe.set_user(user)
	from frappe.apps import get_default_path

	assert get_default_path() == "/app/marketing", "where the login takes them"
	frappe.set_user(user)
	assert len(frappe.get_list("Client", filters={"name": ("in", [c.name for c in demo_clients()])})) == 30
	assert bool(frappe.has_permission("Client", "create")) is can_create
	assert bool(frappe.has_permission("Client", "delete")) is can_delete
	open_client = next(c for c in demo_clients() if c.status == "Open")
	doc = frappe.get_doc("Client", open_client.name)
	doc.run_method("onload")
	assert doc.get_onload().can_convert is can_convert
	pending = frappe.get_doc(
		"Client", next(c.name for c in demo_clients() if c.status == "Pending Conversion")
	)
	assert route.may_edit(pending) is (user in (demo.MASTER_MANAGER,))
