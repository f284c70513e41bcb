// Copyright (c) 2026, crm_clients developers and contributors
// For license information, please see license.txt

frappe.listview_settings["Client"] = {
	add_fields: ["status", "customer", "client_type"],
	has_indicator_for_draft: 1,
	get_indicator(doc) {
		const colors = { Open: "blue", "Pending Conversion": "orange", Converted: "green" };
		return [__(doc.status), colors[doc.status] || "gray", "status,=," + doc.status];
	},
};
