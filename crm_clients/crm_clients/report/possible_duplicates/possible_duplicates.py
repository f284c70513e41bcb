# Copyright (c) 2026, crm_clients developers and contributors
# For license information, please see license.txt

"""«Возможные дубли»: pairs of Clients likely to be one company, with their reasons and score
(crm_clients/duplicates.py finds them; the report's page merges them or marks them «не дубль»)."""

import frappe
from frappe import _

from crm_clients import duplicates


def reason_label(reason: str) -> str:
	labels = {
		duplicates.NAME: _("Same name"),
		duplicates.TAX_ID: _("Same INN"),
		duplicates.CONTACT: _("Same contact person"),
		duplicates.EMAIL_DOMAIN: _("Same e-mail domain"),
	}
	return labels.get(reason, reason)


def execute(filters=None):
	filters = frappe._dict(filters or {})
	pairs = duplicates.duplicates_of(filters.client or None, reason=filters.reason or None)
	names = {name for pair in pairs for name in (pair["client"], pair["other"])}
	titles = (
		dict(
			frappe.get_all(
				"Client", filters={"name": ("in", list(names))}, fields=["name", "client_name"], as_list=True
			)
		)
		if names
		else {}
	)
	rows = [
		{
			"client": pair["client"],
			"client_name": titles.get(pair["client"]),
			"other": pair["other"],
			"other_name": titles.get(pair["other"]),
			"reasons": ", ".join(reason_label(reason) for reason in pair["reasons"]),
			"reason_codes": ",".join(pair["reasons"]),
			"score": pair["score"],
		}
		for pair in pairs
	]
	return columns(), rows


def columns() -> list[dict]:
	return [
		{"fieldname": "client", "label": _("Client"), "fieldtype": "Link", "options": "Client", "width": 150},
		{"fieldname": "client_name", "label": _("Client Name"), "fieldtype": "Data", "width": 220},
		{
			"fieldname": "other",
			"label": _("Other Client"),
			"fieldtype": "Link",
			"options": "Client",
			"width": 150,
		},
		{"fieldname": "other_name", "label": _("Other Client Name"), "fieldtype": "Data", "width": 220},
		{"fieldname": "reasons", "label": _("Reasons"), "fieldtype": "Data", "width": 260},
		{"fieldname": "score", "label": _("Score"), "fieldtype": "Int", "width": 80},
		{"fieldname": "reason_codes", "label": _("Reason Codes"), "fieldtype": "Data", "hidden": 1},
	]
