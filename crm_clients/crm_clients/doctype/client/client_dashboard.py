from frappe import _


def get_data():
	return {
		"fieldname": "client",
		"transactions": [
			{"label": _("Leads"), "items": ["Lead"]},
			{"label": _("Customer"), "items": ["Customer"]},
		],
	}
