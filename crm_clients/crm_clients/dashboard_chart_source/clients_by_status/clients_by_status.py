"""Clients by status, with the statuses in the user's language (a Group By chart would show raw values).

The legend says them in the list's short words («Открыт», «На переводе», «Переведен»): the donut's legend
gives each label a fixed width, and the full words («Переведен в контрагенты») would be cut or run into the
next one.

Cached as Frappe's `cache_source` caches a chart (until the chart's *Refresh*, which also sets its «Last
synced»), but once per language: Frappe's cache is one for every user, so the first user's language would
label everyone's chart.
"""

import frappe
from frappe import _
from frappe.utils import cint, now

from crm_clients.vocabulary import STATUSES, status_label


@frappe.whitelist()
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
	refresh=None,
) -> dict:
	frappe.has_permission("Client", "read", throw=True)
	cache_key = f"crm_clients:clients_by_status:{frappe.local.lang}"
	if not no_cache and not cint(refresh):
		cached = frappe.cache.get_value(cache_key)
		if cached:
			return cached
	data = count_by_status()
	if not no_cache:
		frappe.cache.set_value(cache_key, data)
		if chart_name and not frappe.flags.read_only:
			frappe.db.set_value("Dashboard Chart", chart_name, "last_synced_on", now(), update_modified=False)
	return data


def count_by_status() -> dict:
	counts = {status: frappe.db.count("Client", {"status": status}) for status in STATUSES}
	shown = [status for status in STATUSES if counts[status]]  # a donut has no use for empty slices
	return {
		"labels": [status_label(status, short=True) for status in shown],
		"datasets": [{"name": _("Clients"), "values": [counts[status] for status in shown]}],
	}
