from frappe import _


def get_data():
	return {
		"fieldname": "client",
		# the Customer the Client was converted into (or linked to, by its tax ID), else one naming the Client
		"internal_links": {"Customer": "customer"},
		"transactions": [
			{"label": _("Leads"), "items": ["Lead"]},
			{"label": _("Customer"), "items": ["Customer"]},
		],
	}
