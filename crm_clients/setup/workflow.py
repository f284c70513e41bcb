"""The «Маршрут»: Frappe Workflow "Client Conversion", created only when missing.

Admins may edit it (or its permissions) freely: install and migrate never overwrite an existing workflow.
"""

import frappe

# Not the real translation function: it marks the names for `bench generate-pot-file` and returns them as
# they are. The records are made in English; the desk translates workflow names, states and actions.
from frappe.desk.page.setup_wizard.install_fixtures import _

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
	if frappe.db.exists("Workflow", WORKFLOW_NAME):
		return
	workflow = frappe.get_doc(get_workflow_definition())
	if other_active_workflow():
		# an admin's own workflow for Client stays in charge
		workflow.is_active = 0
	workflow.insert(ignore_permissions=True)


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


def other_active_workflow() -> str | None:
	return frappe.db.get_value(
		"Workflow", {"document_type": DOCTYPE, "is_active": 1, "name": ("!=", WORKFLOW_NAME)}
	)


def remove() -> None:
	"""Remove the workflow and the Workflow Actions pending on Clients (uninstall)."""
	frappe.db.delete("Workflow Action", {"reference_doctype": DOCTYPE})
	if frappe.db.exists("Workflow", WORKFLOW_NAME):
		frappe.delete_doc("Workflow", WORKFLOW_NAME, ignore_permissions=True, force=True)
	# Frappe caches the active workflow of each doctype in the "workflow" hash
	frappe.cache.hdel("workflow", DOCTYPE)
