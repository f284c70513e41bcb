"""What the register's status means for a Client: a liquidated company is converted into a Customer only after
a Sales Master Manager confirms it (the confirmation is kept on the Client: who confirmed)."""

import frappe
from frappe import _
from frappe.utils import formatdate

from crm_clients.requisites import LIQUIDATED

CONFIRMING_ROLE = "Sales Master Manager"


def check_can_convert(client) -> None:
	"""Refuse converting a liquidated company that no Sales Master Manager confirmed."""
	if client.get("register_status") != LIQUIDATED or client.get("liquidated_conversion_confirmed_by"):
		return
	date = (
		formatdate(client.register_status_date) if client.get("register_status_date") else _("unknown date")
	)
	frappe.throw(
		_(
			"{0} was liquidated on {1}, as the register says: it can be converted into a Customer only after a Sales Master Manager confirms it («Confirm Conversion of a Liquidated Company»)."
		).format(frappe.bold(client.client_name), date),
		frappe.ValidationError,
		title=_("Liquidated Company"),
	)


def confirm_liquidated_conversion(client) -> None:
	"""A Sales Master Manager confirms that this liquidated company may be converted (kept with their name)."""
	if CONFIRMING_ROLE not in frappe.get_roles():
		raise frappe.PermissionError(
			_("Only a Sales Master Manager may confirm converting a liquidated company.")
		)
	client.check_permission("read")
	if client.register_status != LIQUIDATED:
		frappe.throw(_("Client {0} is not liquidated.").format(frappe.bold(client.name)))
	client.db_set("liquidated_conversion_confirmed_by", frappe.session.user, notify=True)
	client.add_comment("Info", _("Converting the liquidated company into a Customer is confirmed."))
