"""The route («Маршрут») at run time: the active Client workflow, what its states mean, who may edit in each.

The workflow (by default "Client Conversion", made by `setup/workflow.py`; admins may edit it or put their own
in charge) is the one place that says who may edit a Client in which state: each state's *allow edit* roles.
Frappe's form reads them to make the form read-only; Frappe's server does not check them, so the Client
controller applies the same rows (`may_edit`). Without an active workflow the Client's role permissions decide.
"""

import frappe
from frappe.model.workflow import get_workflow_name

from crm_clients import status

DOCTYPE = "Client"


def get_workflow():
	"""The active workflow of Client, or None."""
	name = get_workflow_name(DOCTYPE)
	return frappe.get_cached_doc("Workflow", name) if name else None


def state_of(client, workflow) -> str | None:
	return client.get(workflow.workflow_state_field) if workflow else None


def status_of_state(workflow, state: str | None) -> str | None:
	"""The `status` a state sets (its update field), or None."""
	if not workflow or not state:
		return None
	for row in workflow.states:
		if row.state == state and row.update_field == "status" and row.update_value:
			return row.update_value
	return None


def converted_state(workflow) -> str | None:
	"""The state that marks a Client converted (its update value is the status Converted)."""
	if not workflow:
		return None
	return next(
		(
			row.state
			for row in workflow.states
			if row.update_field == "status" and row.update_value == status.CONVERTED
		),
		None,
	)


def is_transition(before, client, workflow) -> bool:
	"""Whether this save moves the Client to another state (a transition, which Frappe checks itself)."""
	return bool(workflow and before and state_of(before, workflow) != state_of(client, workflow))


def reaches_converted_state(before, client, workflow) -> bool:
	"""Whether this save is the route's transition into its converted state."""
	target = converted_state(workflow)
	return bool(target and is_transition(before, client, workflow) and state_of(client, workflow) == target)


def editors(workflow, state: str | None) -> set[str]:
	"""The roles that may edit a Client in `state` (the state rows' *allow edit*)."""
	state = state or (workflow.states[0].state if workflow.states else None)
	return {row.allow_edit for row in workflow.states if row.state == state and row.allow_edit}


def may_edit(client, user: str | None = None) -> bool:
	"""Whether the user may edit the Client in its current state (as Frappe's form decides it)."""
	workflow = get_workflow()
	if not workflow:
		return True
	user = user or frappe.session.user
	if user == "Administrator":
		return True
	return bool(set(frappe.get_roles(user)) & editors(workflow, state_of(client, workflow)))
