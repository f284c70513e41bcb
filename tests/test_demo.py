"""The demo data of scripts/dev-server (scripts/demo_data.py, outside the app): complete, idempotent, with a
password of the site's own, and what each role sees."""

import importlib.util
import secrets

import pytest

from tests.conftest import REPO, skip_module_without_frappe

skip_module_without_frappe()

import frappe
from frappe.utils.password import check_password

from crm_clients import route, vocabulary


def load_demo_data():
	spec = importlib.util.spec_from_file_location("demo_data", REPO / "scripts" / "demo_data.py")
	module = importlib.util.module_from_spec(spec)
	spec.loader.exec_module(module)
	return module


demo = load_demo_data()
PASSWORD = secrets.token_urlsafe(12)

pytestmark = pytest.mark.usefixtures("site")


@pytest.fixture
def loaded(site):
	return demo.load(PASSWORD)


def test_the_app_ships_no_demo_data_and_no_fixed_password():
	"""No site can load the demo through the app (`bench execute`, hooks): it is not in the app's package."""
	assert importlib.util.find_spec("crm_clients.demo") is None
	app = REPO / "crm_clients"
	assert not [
		path
		for path in app.rglob("*.py")
		if "demo_data" in path.read_text() or "crm-demo" in path.read_text()
	]
	scripts = (REPO / "scripts" / "dev-server").read_text() + (REPO / "scripts" / "demo_data.py").read_text()
	assert "crm-demo-2026" not in scripts + (REPO / "README.md").read_text()


def test_the_site_keeps_its_own_demo_password(site):
	assert site.conf.get(demo.PASSWORD_KEY) is None
	from frappe.installer import update_site_config

	try:
		password = demo.site_password()
		assert len(password) >= 16
		assert site.get_site_config().get(demo.PASSWORD_KEY) == password, "kept in the site's config"
		assert demo.site_password() == password, "the same on the next run"
	finally:
		update_site_config(demo.PASSWORD_KEY, "None")  # removes the key
		site.conf.pop(demo.PASSWORD_KEY, None)
	with pytest.raises(ValueError):
		demo.load("")


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
	assert statuses.count(vocabulary.OPEN) == 20
	assert statuses.count(vocabulary.PENDING) == 4
	assert statuses.count(vocabulary.CONVERTED) == 6
	assert all(client.customer for client in clients if client.status == vocabulary.CONVERTED)
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
	assert demo.load(PASSWORD) == loaded
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
	check_password(user, PASSWORD)  # raises for a wrong login
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
	open_client = next(c for c in demo_clients() if c.status == vocabulary.OPEN)
	doc = frappe.get_doc("Client", open_client.name)
	doc.run_method("onload")
	assert doc.get_onload().can_convert is can_convert
	pending = frappe.get_doc("Client", next(c.name for c in demo_clients() if c.status == vocabulary.PENDING))
	assert route.may_edit(pending) is (user in (demo.MASTER_MANAGER,))
