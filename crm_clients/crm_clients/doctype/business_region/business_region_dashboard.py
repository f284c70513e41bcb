from frappe import _


def get_data():
	return {
		"fieldname": "business_region",
		"transactions": [{"label": _("Clients"), "items": ["Client"]}],
	}
