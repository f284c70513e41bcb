"""Who may see a Client's interactions, whatever the order in which Frappe asks the apps' permission hooks; the
Activities tab without replacing ERPNext's method; the overdue count.

Frappe 15 asks the `has_permission` hooks of a doctype from the end of `frappe.get_hooks`' list (the last
installed app first) and takes the first answer that is not None; Frappe's own Event and ToDo hooks always
answer. The tests put the app's hook first in the list — Frappe's own is then asked first and its answer
stands — and check that what the app promises still holds.
"""

from contextlib import contextmanager

import pytest

from tests.conftest import skip_module_without_frappe

skip_module_without_frappe()

import frappe
from frappe.utils import add_days, add_to_date, get_datetime, now_datetime, nowdate

from crm_clients import api
from crm_clients.crm_clients.report.client_interactions import client_interactions as report
from crm_clients.interactions import access
from tests import fixtures

pytestmark = pytest.mark.usefixtures("site")

APP = "crm_clients."
# Frappe 16 refuses when any hook refuses (its own Event rule: the owner and participants only)
FRAPPE_ASKS_EVERY_HOOK = int(frappe.__version__.split(".")[0]) >= 16


@contextmanager
def permission_hooks(order: str):
	"""The Event and ToDo `has_permission` hooks as the site lists them ("installed": Frappe's first, the app's
	last, so Frappe 15 asks the app's first), or with the app's first in the list ("app first": Frappe 15 asks
	Frappe's own first). The list is the one `frappe.get_hooks` keeps for the request; restored afterwards."""
	hooks = frappe.get_hooks("has_permission")
	saved = {doctype: list(hooks[doctype]) for doctype in ("Event", "ToDo")}
	if order == "app first":
		for doctype, methods in saved.items():
			hooks[doctype][:] = sorted(methods, key=lambda method: not method.startswith(APP))
	for doctype in saved:
		methods = frappe.get_hooks("has_permission")[doctype]
		assert len(methods) >= 2 and methods[0].startswith("frappe.") != (order == "app first"), methods
	try:
		yield
	finally:
		for doctype, methods in saved.items():
			hooks[doctype][:] = methods


def event(subject: str, client=None, **values):
	participants = [{"reference_doctype": "Client", "reference_docname": client.name}] if client else []
	return frappe.get_doc(
		{
			"doctype": "Event",
			"subject": subject,
			"starts_on": add_to_date(now_datetime(), hours=2),
			"event_participants": participants,
			**values,
		}
	)


def can(user: str, ptype: str, doc) -> bool:
	return frappe.has_permission(doc.doctype, ptype, doc=doc.name, user=user)


ORDERS = ["installed", "app first"]


@pytest.mark.parametrize("order", ORDERS)
def test_own_events_and_todos_without_a_client_keep_frappes_rules(order):
	"""Frappe 16 refuses when a hook answers None: the app answers Frappe's own rule for them."""
	with permission_hooks(order):
		for user in (fixtures.SALES_USER, fixtures.NO_CRM_ROLE):
			frappe.set_user(user)
			own = event("Dentist").insert()
			todo = frappe.get_doc(
				{"doctype": "ToDo", "description": "Call home", "allocated_to": user}
			).insert()
			own.description = "moved"
			own.save()
			assert can(user, "read", own) and can(user, "write", own)
			assert can(user, "read", todo) and can(user, "write", todo)
			frappe.set_user("Administrator")
			other = fixtures.SALES_MANAGER if user == fixtures.SALES_USER else fixtures.SALES_USER
			assert not can(other, "read", own)  # a private Event is its owner's
			assert not can(other, "read", todo)


@pytest.mark.parametrize("order", ORDERS)
def test_a_clients_interaction_is_its_teams_and_its_responsibles_in_either_order(order):
	client = fixtures.make_client()
	frappe.share.add_docshare(
		"Client", client.name, fixtures.NO_CRM_ROLE, read=1, flags={"ignore_share_permission": 1}
	)
	frappe.set_user(fixtures.SALES_USER)
	planned = api.plan_interaction(
		client.name, "Call", str(add_to_date(now_datetime(), hours=3)), responsible=fixtures.NO_CRM_ROLE
	)
	frappe.set_user("Administrator")
	planned = frappe.get_doc("Event", planned)
	task = frappe.get_doc(
		{
			"doctype": "ToDo",
			"description": "Send the offer",
			"reference_type": "Client",
			"reference_name": client.name,
			"date": add_days(nowdate(), 2),
			"allocated_to": fixtures.SALES_USER,
		}
	).insert()

	with permission_hooks(order):
		# the planner, and the responsible colleague who may only read the Client (the assignment's share)
		assert can(fixtures.SALES_USER, "write", planned)
		assert can(fixtures.NO_CRM_ROLE, "read", planned) and can(fixtures.NO_CRM_ROLE, "write", planned)
		assert can(fixtures.SALES_USER, "write", task)
		# whoever may not read the Client
		assert not can(fixtures.NO_ROLES, "read", planned)
		assert not can(fixtures.NO_ROLES, "read", task)

		# putting a Client on an Event takes the right to edit the Client, whoever's hook is asked
		frappe.set_user(fixtures.NO_CRM_ROLE)
		with pytest.raises(frappe.PermissionError):
			event("Visit", client).insert()
		frappe.set_user(fixtures.SALES_USER)
		# and a Client's Event is never public (the calendar shows public events to every user)
		with pytest.raises(frappe.ValidationError, match="public"):
			event("Visit", client, event_type="Public").insert()
		frappe.set_user("Administrator")

	if order == "installed":
		# a colleague who may read the Client, though neither planner nor responsible: the app's hook answers
		# on Frappe 15; Frappe 16 asks Frappe's own Event rule too, and the team sees it on the Client's tab
		assert can(fixtures.SALES_MANAGER, "read", planned) != FRAPPE_ASKS_EVERY_HOOK


def test_lists_of_users_who_never_see_a_client_get_nothing_from_the_app():
	client = fixtures.make_client()
	assert access.event_query_conditions(fixtures.NO_CRM_ROLE) == ""
	assert access.todo_query_conditions(fixtures.NO_CRM_ROLE) == ""
	# the query's text (Frappe 16 gives a query builder)
	assert "hidden_client" not in str(frappe.get_list("Event", user=fixtures.NO_CRM_ROLE, run=0))
	# nor of those who may read every Client
	assert access.event_query_conditions(fixtures.SALES_MANAGER) == ""
	# those who may read some Clients only: their lists leave the others' interactions out
	frappe.get_doc(
		{
			"doctype": "User Permission",
			"user": fixtures.SALES_USER,
			"allow": "Client",
			"for_value": client.name,
		}
	).insert(ignore_permissions=True)
	frappe.clear_cache(user=fixtures.SALES_USER)
	assert "hidden_client" in access.event_query_conditions(fixtures.SALES_USER)
	assert "hidden_client" in access.todo_query_conditions(fixtures.SALES_USER)


def test_the_activities_of_a_lead_are_erpnexts_own():
	from erpnext.crm.utils import get_open_activities

	method = "erpnext.crm.utils.get_open_activities"
	lead = fixtures.make_lead()
	frappe.get_doc(
		{"doctype": "ToDo", "description": "Call", "reference_type": "Lead", "reference_name": lead.name}
	).insert()

	# what the desk's call runs (Frappe resolves a whitelisted method's overrides first): ERPNext's own
	assert method not in frappe.get_hooks("override_whitelisted_methods")
	run = frappe.get_attr(frappe.override_whitelisted_method(method))
	assert run is get_open_activities
	answer = frappe.call(run, ref_doctype="Lead", ref_docname=lead.name)
	assert answer == get_open_activities("Lead", lead.name)
	assert [row.description for row in answer["tasks"]] == ["Call"]


def test_the_clients_activities_need_the_right_to_read_it():
	client = fixtures.make_client()
	frappe.set_user(fixtures.NO_CRM_ROLE)
	with pytest.raises(frappe.PermissionError):
		api.get_client_activities(client.name)
	frappe.set_user("Administrator")
	frappe.share.add_docshare(
		"Client", client.name, fixtures.NO_CRM_ROLE, read=1, flags={"ignore_share_permission": 1}
	)
	frappe.set_user(fixtures.NO_CRM_ROLE)
	activities = api.get_client_activities(client.name)
	assert activities["tasks"] == [] and activities["events"] == []


def test_the_overdue_count_is_the_reports_for_each_user():
	"""The number card counts in the database what the report lists as overdue, of the Clients one may read."""
	mine = fixtures.make_client()
	hidden = fixtures.make_client()
	for client in (mine, hidden):
		late = api.plan_interaction(client.name, "Call", str(add_to_date(now_datetime(), hours=1)))
		frappe.db.set_value("Event", late, "starts_on", add_to_date(now_datetime(), hours=-2))
		api.plan_interaction(client.name, "Meeting", str(add_to_date(now_datetime(), days=1)))
		frappe.get_doc(
			{
				"doctype": "ToDo",
				"description": "Send the offer",
				"reference_type": "Client",
				"reference_name": client.name,
				"date": add_days(nowdate(), 1),
			}
		).insert()
		frappe.db.set_value(
			"ToDo",
			{"reference_type": "Client", "reference_name": client.name},
			"date",
			add_days(nowdate(), -1),
		)
		# an all-day event of today is not overdue before tomorrow
		event("Fair", client, all_day=1, starts_on=get_datetime(nowdate())).insert()

	def overdue_in_report():
		return len(report.get_interactions(frappe._dict(status="Overdue")))

	assert report.count_overdue() == overdue_in_report() >= 4
	frappe.get_doc(
		{"doctype": "User Permission", "user": fixtures.SALES_USER, "allow": "Client", "for_value": mine.name}
	).insert(ignore_permissions=True)
	frappe.clear_cache(user=fixtures.SALES_USER)
	frappe.set_user(fixtures.SALES_USER)
	assert report.count_overdue() == overdue_in_report() == 2
	assert api.get_overdue_interactions()["value"] == 2
	frappe.set_user(fixtures.NO_CRM_ROLE)
	assert report.count_overdue() == 0
