// Copyright (c) 2026, crm_clients developers and contributors
// For license information, please see license.txt

frappe.query_reports["Client Interactions"] = {
	filters: [
		{ fieldname: "from_date", label: __("From Date"), fieldtype: "Date" },
		{ fieldname: "to_date", label: __("To Date"), fieldtype: "Date" },
		{ fieldname: "client", label: __("Client"), fieldtype: "Link", options: "Client" },
		{
			fieldname: "kind",
			label: __("Kind"),
			fieldtype: "Select",
			// the app's kinds, in its words (crm_clients/vocabulary.py, sent with the boot)
			options: [""].concat(
				Object.entries(frappe.boot.crm_clients.kinds).map(([value, kind]) => ({
					value: value,
					label: kind.label,
				}))
			),
		},
		{ fieldname: "responsible", label: __("Responsible"), fieldtype: "Link", options: "User" },
		{ fieldname: "mine", label: __("My Interactions"), fieldtype: "Check" },
		{
			fieldname: "status",
			label: __("Status"),
			fieldtype: "Select",
			// an interaction is planned or overdue (the app's words) while open, then done or cancelled
			options: [""]
				.concat(
					["Planned", "Overdue"].map((value) => ({
						value: value,
						label: frappe.boot.crm_clients.interaction_statuses[value].label,
					}))
				)
				.concat([
					{ value: "Done", label: __("Done", null, "Client") },
					{ value: "Cancelled", label: __("Cancelled", null, "Client") },
				]),
		},
		{
			fieldname: "group_by",
			label: __("Group By"),
			fieldtype: "Select",
			options: [
				"",
				{ value: "Client", label: __("Client") },
				{ value: "Kind", label: __("Kind") },
				{ value: "Responsible", label: __("Responsible") },
			],
		},
	],

	formatter(value, row, column, data, default_formatter) {
		value = default_formatter(value, row, column, data);
		if (data && column.fieldname === "status_label" && data.status === "Overdue") {
			value = `<span class="text-danger">${value}</span>`;
		}
		if (data && column.fieldname === "overdue" && data.overdue) {
			value = `<span class="text-danger">${value}</span>`;
		}
		return value;
	},
};
