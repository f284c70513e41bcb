"""Clients by status, with the statuses in the user's language (a Group By chart would show raw values)."""

import frappe
from frappe import _
from frappe.utils.dashboard import cache_source

STATUSES = ("Open", "Pending Conversion", "Converted")


@frappe.whitelist()
@cache_source
def get(
	chart_name=None,
	chart=None,
	no_cache=None,
	filters=None,
	from_date=None,
	to_date=None,
	timespan=None,
	time_interval=None,
	heatmap_year=None,
) -> dict:
	frappe.has_permission("Client", "read", throw=True)
	counts = {status: frappe.db.count("Client", {"status": status}) for status in STATUSES}
	shown = [status for status in STATUSES if counts[status]]  # a donut has no use for empty slices
	return {
		"labels": [_(status, context="Client") for status in shown],
		"datasets": [{"name": _("Clients"), "values": [counts[status] for status in shown]}],
	}
