"""The «Маршрут»: Frappe Workflow "Client Conversion", created only when missing.

Admins may edit it (or its permissions) freely: install and migrate never overwrite an existing workflow.
"""

import frappe

WORKFLOW_NAME = "Client Conversion"
DOCTYPE = "Client"

DRAFT = "Draft"
PENDING = "Pending Conversion"
CONVERTED = "Converted"

SEND = "Send for Conversion"
CONVERT = "Convert to Customer"
RETURN = "Return"

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
			_state(DRAFT, "Sales User", "Open"),
			_state(DRAFT, "Sales Manager", "Open"),
			_state(PENDING, "Sales Master Manager", "Pending Conversion"),
			_state(CONVERTED, "Sales Master Manager", "Converted"),
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
	frappe.cache.delete_value("workflow_" + DOCTYPE)


def get_converted_state(workflow_name: str | None = None) -> tuple[str, str] | None:
	"""(workflow_state_field, state) of the active Client workflow's state that marks a Client converted."""
	from frappe.model.workflow import get_workflow_name

	workflow_name = workflow_name or get_workflow_name(DOCTYPE)
	if not workflow_name:
		return None
	workflow = frappe.get_cached_doc("Workflow", workflow_name)
	for row in workflow.states:
		if row.update_field == "status" and row.update_value == "Converted":
			return workflow.workflow_state_field, row.state
	return None
