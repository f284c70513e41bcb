"""The route «Маршрут»: workflow "Client Conversion" (contract: states, actions, roles)."""

import pytest

from tests.conftest import skip_module_without_frappe

skip_module_without_frappe()

from frappe.model.workflow import WorkflowTransitionError, apply_workflow

from crm_clients import conversion
from crm_clients.api import convert_to_customer, get_users_who_can_convert
from crm_clients.setup import workflow
from tests import fixtures

pytestmark = pytest.mark.usefixtures("site")

SEND, CONVERT, RETURN = workflow.SEND, workflow.CONVERT, workflow.RETURN


def act(site, user, client, action):
	site.set_user(user)
	return apply_workflow(site.get_doc("Client", client.name).as_dict(), action)


def state_of(site, client):
	return site.db.get_value("Client", client.name, ["workflow_state", "status", "customer"])


def open_workflow_actions(site, client) -> set[str]:
	actions = site.get_all(
		"Workflow Action",
		filters={"reference_doctype": "Client", "reference_name": client.name, "status": "Open"},
		pluck="name",
	)
	roles = set()
	for name in actions:
		roles |= {row.role for row in site.get_doc("Workflow Action", name).permitted_roles}
	return roles


def test_the_workflow_is_installed_as_the_contract_says(site):
	doc = site.get_doc("Workflow", workflow.WORKFLOW_NAME)
	assert doc.document_type == "Client" and doc.is_active
	states = {(row.state, row.allow_edit, row.update_value) for row in doc.states}
	assert states == {
		("Draft", "Sales User", "Open"),
		("Draft", "Sales Manager", "Open"),
		("Pending Conversion", "Sales Master Manager", "Pending Conversion"),
		("Converted", "Sales Master Manager", "Converted"),
	}
	transitions = {(row.state, row.action, row.next_state, row.allowed) for row in doc.transitions}
	assert transitions == {
		("Draft", SEND, "Pending Conversion", "Sales User"),
		("Draft", SEND, "Pending Conversion", "Sales Manager"),
		("Pending Conversion", CONVERT, "Converted", "Sales Master Manager"),
		("Pending Conversion", RETURN, "Draft", "Sales Master Manager"),
	}


@pytest.mark.parametrize("sender", [fixtures.SALES_USER, fixtures.SALES_MANAGER])
def test_send_for_conversion_puts_the_client_before_those_who_convert(site, sender):
	site.set_user(sender)
	client = fixtures.make_client()
	act(site, sender, client, SEND)
	assert state_of(site, client) == ("Pending Conversion", "Pending Conversion", None)
	assert open_workflow_actions(site, client) == {"Sales Master Manager"}
	site.set_user(sender)
	colleagues = {user["name"] for user in get_users_who_can_convert(client.name)}
	assert fixtures.MASTER_MANAGER in colleagues
	assert fixtures.SALES_MANAGER not in colleagues
	assert sender not in colleagues


def test_master_manager_converts_on_the_route_in_the_same_transaction(site):
	anna = fixtures.make_contact("Anna")
	client = fixtures.make_client(contacts=[anna.name], tax_id=None)
	act(site, fixtures.SALES_MANAGER, client, SEND)
	act(site, fixtures.MASTER_MANAGER, client, CONVERT)
	state, status, customer = state_of(site, client)
	assert (state, status) == ("Converted", "Converted")
	assert site.db.get_value("Customer", customer, "client") == client.name
	assert customer in [link.link_name for link in site.get_doc("Contact", anna.name).links]
	assert open_workflow_actions(site, client) == set()


def test_master_manager_returns_the_client(site):
	client = fixtures.make_client()
	act(site, fixtures.SALES_USER, client, SEND)
	act(site, fixtures.MASTER_MANAGER, client, RETURN)
	assert state_of(site, client) == ("Draft", "Open", None)


@pytest.mark.parametrize("user", [fixtures.SALES_USER, fixtures.SALES_MANAGER])
def test_senders_cannot_take_the_conversion_step_of_the_route(site, user):
	client = fixtures.make_client()
	act(site, fixtures.SALES_USER, client, SEND)
	with pytest.raises(WorkflowTransitionError):
		act(site, user, client, CONVERT)
	with pytest.raises(WorkflowTransitionError):
		act(site, user, client, RETURN)
	site.set_user("Administrator")
	assert state_of(site, client) == ("Pending Conversion", "Pending Conversion", None)


@pytest.mark.parametrize("user", [fixtures.MASTER_MANAGER, fixtures.NO_CRM_ROLE, fixtures.NO_ROLES, "Guest"])
def test_others_cannot_send_for_conversion(site, user):
	client = fixtures.make_client()
	with pytest.raises((WorkflowTransitionError, site.PermissionError)):
		act(site, user, client, SEND)
	site.set_user("Administrator")
	assert state_of(site, client) == ("Draft", "Open", None)


@pytest.mark.parametrize(
	"doctype, fieldname",
	[
		("Customer", "website"),  # fails while the Customer is made
		("Contact", "designation"),  # fails after it is made, while ERPNext links the Lead's Contact to it
	],
)
def test_failing_conversion_on_the_route_leaves_no_trace(site, doctype, fieldname):
	client = fixtures.make_client_from_lead_with_contact()
	act(site, fixtures.SALES_USER, client, SEND)
	fixtures.make_field_mandatory(doctype, fieldname)
	customers = site.db.count("Customer")
	with pytest.raises(site.MandatoryError):
		act(site, fixtures.MASTER_MANAGER, client, CONVERT)
	site.set_user("Administrator")
	assert site.db.count("Customer") == customers
	assert state_of(site, client) == ("Pending Conversion", "Pending Conversion", None)


@pytest.mark.parametrize("start", ["Draft", "Pending Conversion"])
def test_direct_conversion_moves_the_route_to_converted(site, start):
	client = fixtures.make_client()
	if start == "Pending Conversion":
		act(site, fixtures.SALES_USER, client, SEND)
	site.set_user(fixtures.SALES_USER)
	customer = convert_to_customer(client.name)
	assert state_of(site, client) == ("Converted", "Converted", customer)


def test_migrate_keeps_an_admins_edits_to_the_workflow(site):
	doc = site.get_doc("Workflow", workflow.WORKFLOW_NAME)
	doc.transitions = [row for row in doc.transitions if row.allowed != "Sales Manager"]
	doc.append(
		"transitions",
		{
			"state": "Draft",
			"action": SEND,
			"next_state": "Pending Conversion",
			"allowed": "Sales Master Manager",
		},
	)
	doc.save()

	workflow.ensure()  # what migrate runs for the workflow (custom fields are DDL and would commit)

	roles = {row.allowed for row in site.get_doc("Workflow", workflow.WORKFLOW_NAME).transitions}
	assert "Sales Manager" not in roles
	assert "Sales Master Manager" in roles


def test_migrate_recreates_a_missing_workflow(site):
	site.delete_doc("Workflow", workflow.WORKFLOW_NAME)
	workflow.ensure()  # what migrate runs for the workflow (custom fields are DDL and would commit)
	assert site.db.exists("Workflow", workflow.WORKFLOW_NAME)


def test_an_admins_own_active_workflow_stays_in_charge(site):
	site.delete_doc("Workflow", workflow.WORKFLOW_NAME)
	own = site.get_doc(workflow.get_workflow_definition())
	own.workflow_name = "Our own route"
	own.insert()
	workflow.ensure()  # what migrate runs for the workflow (custom fields are DDL and would commit)
	assert site.db.get_value("Workflow", workflow.WORKFLOW_NAME, "is_active") == 0
	assert site.db.get_value("Workflow", "Our own route", "is_active") == 1


def test_assignment_to_a_colleague_is_closed_once_the_client_is_converted(site):
	client = fixtures.make_client()
	act(site, fixtures.SALES_USER, client, SEND)
	site.set_user("Administrator")
	# what the form's «assign to a colleague who converts Clients» does (the route's assignment)
	conversion.assign_for_conversion(client, fixtures.MASTER_MANAGER, "Convert")
	todo = {
		"reference_type": "Client",
		"reference_name": client.name,
		"allocated_to": fixtures.MASTER_MANAGER,
	}
	assert site.db.get_value("ToDo", todo, "status") == "Open"

	act(site, fixtures.MASTER_MANAGER, client, CONVERT)

	assert site.db.get_value("ToDo", todo, "status") == "Closed"


@pytest.mark.parametrize("user", [fixtures.SALES_USER, fixtures.SALES_MANAGER, fixtures.MASTER_MANAGER])
def test_the_routes_roles_may_run_its_actions_from_the_desk(site, user):
	"""Frappe 16's desk reads the Workflow (its «Enable Action Confirmation») with the user's rights before it runs
	any workflow action: each role of the route may read it there, a Stock User still may not; Frappe 15's desk
	asks nothing, and nobody is given anything."""
	from frappe.client import get_value

	if workflow.desk_reads_workflow_before_actions():
		site.set_user(user)
		asked = get_value(
			"Workflow", "enable_action_confirmation", {"document_type": "Client", "is_active": 1}
		)
		assert asked == {"enable_action_confirmation": 0}
		site.set_user(fixtures.NO_CRM_ROLE)
		with pytest.raises(site.PermissionError):
			get_value("Workflow", "name", {"document_type": "Client"})
	else:
		assert not site.has_permission("Workflow", "read", user=user)
	site.set_user("Administrator")
