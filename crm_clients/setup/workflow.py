"""The «Маршрут»: Frappe Workflow "Client Conversion", created only when missing.

Admins may edit it (or its permissions) freely: install and migrate never overwrite an existing workflow.
"""

import frappe

# Not the real translation function: it marks the names for `bench generate-pot-file` and returns them as
# they are. The records are made in English; the desk translates workflow names, states and actions.
from frappe.desk.page.setup_wizard.install_fixtures import _
from frappe.permissions import add_permission

from crm_clients import status

WORKFLOW_NAME = _("Client Conversion")
DOCTYPE = "Client"

DRAFT = _("Draft")
PENDING = _("Pending Conversion")
CONVERTED = _("Converted")

SEND = _("Send for Conversion")
CONVERT = _("Convert to Customer")
RETURN = _("Return")

# (state, style) for Workflow State masters
WORKFLOW_STATES = ((DRAFT, ""), (PENDING, "Warning"), (CONVERTED, "Success"))
WORKFLOW_ACTIONS = (SEND, CONVERT, RETURN)


def get_workflow_definition() -> dict:
	return {
		"doctype": "Workflow",
		"workflow_name": WORKFLOW_NAME,
		"document_type": DOCTYPE,
		"workflow_state_field": "workflow_state",
		"is_active": 1,
		"override_status": 1,
		"send_email_alert": 0,
		"states": [
			_state(DRAFT, "Sales User", status.OPEN),
			_state(DRAFT, "Sales Manager", status.OPEN),
			_state(PENDING, "Sales Master Manager", status.PENDING),
			_state(CONVERTED, "Sales Master Manager", status.CONVERTED),
		],
		"transitions": [
			_transition(DRAFT, SEND, PENDING, "Sales User"),
			_transition(DRAFT, SEND, PENDING, "Sales Manager"),
			_transition(PENDING, CONVERT, CONVERTED, "Sales Master Manager"),
			_transition(PENDING, RETURN, DRAFT, "Sales Master Manager"),
		],
	}


def _state(state: str, role: str, status: str) -> dict:
	return {
		"state": state,
		"doc_status": "0",
		"allow_edit": role,
		"update_field": "status",
		"update_value": status,
	}


def _transition(state: str, action: str, next_state: str, role: str) -> dict:
	return {
		"state": state,
		"action": action,
		"next_state": next_state,
		"allowed": role,
		"allow_self_approval": 1,
	}


def ensure() -> None:
	"""Create the workflow (and its states and actions) unless it exists; never touch an existing one."""
	ensure_masters()
	if not frappe.db.exists("Workflow", WORKFLOW_NAME):
		workflow = frappe.get_doc(get_workflow_definition())
		if other_active_workflow():
			# an admin's own workflow for Client stays in charge
			workflow.is_active = 0
		workflow.insert(ignore_permissions=True)
	let_its_roles_run_actions()


def ensure_masters() -> None:
	for state, style in WORKFLOW_STATES:
		if not frappe.db.exists("Workflow State", state):
			frappe.get_doc(
				{"doctype": "Workflow State", "workflow_state_name": state, "style": style}
			).insert(ignore_permissions=True)
	for action in WORKFLOW_ACTIONS:
		if not frappe.db.exists("Workflow Action Master", action):
			frappe.get_doc({"doctype": "Workflow Action Master", "workflow_action_name": action}).insert(
				ignore_permissions=True
			)


def let_its_roles_run_actions() -> None:
	"""Frappe 16's desk reads the Workflow (its «Enable Action Confirmation») before it runs any workflow action,
	through `frappe.client.get_value`, which needs read on Workflow: only a System Manager has it, so a Sales
	Manager's «Отправить на перевод в контрагенты» ends with «Нет разрешения на Рабочий процесс» (Frappe's own
	bug, frappe/frappe#34991). There, the roles that run the route's actions read Workflow (a Custom DocPerm,
	read only, as the Role Permission Manager adds it); Frappe 15 does not ask, and gets nothing."""
	if not desk_reads_workflow_before_actions():
		return
	for role in route_roles():
		if not frappe.db.exists("Custom DocPerm", {"parent": "Workflow", "role": role, "permlevel": 0}):
			add_permission("Workflow", role, 0, "read")


def desk_reads_workflow_before_actions() -> bool:
	return int(frappe.__version__.split(".")[0]) >= 16


def route_roles() -> list[str]:
	"""The roles allowed an action of the route (as an admin has set them)."""
	return frappe.get_all(
		"Workflow Transition", filters={"parent": WORKFLOW_NAME}, pluck="allowed", distinct=True
	)


def other_active_workflow() -> str | None:
	return frappe.db.get_value(
		"Workflow", {"document_type": DOCTYPE, "is_active": 1, "name": ("!=", WORKFLOW_NAME)}
	)


def remove() -> None:
	"""Remove the workflow, the Workflow Actions pending on Clients and its roles' read on Workflow (uninstall)."""
	frappe.db.delete("Workflow Action", {"reference_doctype": DOCTYPE})
	if desk_reads_workflow_before_actions():
		for role in route_roles():  # the read on Workflow given to them, nothing more
			frappe.db.delete(
				"Custom DocPerm",
				{"parent": "Workflow", "role": role, "permlevel": 0, "read": 1, "write": 0, "create": 0},
			)
		frappe.clear_cache(doctype="Workflow")
	if frappe.db.exists("Workflow", WORKFLOW_NAME):
		frappe.delete_doc("Workflow", WORKFLOW_NAME, ignore_permissions=True, force=True)
	# Frappe caches the active workflow of each doctype in the "workflow" hash
	frappe.cache.hdel("workflow", DOCTYPE)
