from frappe import _


def get_data():
	return {
		"fieldname": "industry",
		"transactions": [{"label": _("Clients"), "items": ["Client"]}],
	}
