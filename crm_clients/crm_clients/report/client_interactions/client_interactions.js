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
			options: [
				"",
				{ value: "Call", label: __("Call", null, "Client") },
				{ value: "Meeting", label: __("Meeting", null, "Client") },
				{ value: "Email", label: __("Email", null, "Client") },
				{ value: "Other", label: __("Other", null, "Client") },
				{ value: "Task", label: __("Task", null, "Client") },
			],
		},
		{ fieldname: "responsible", label: __("Responsible"), fieldtype: "Link", options: "User" },
		{ fieldname: "mine", label: __("My Interactions"), fieldtype: "Check" },
		{
			fieldname: "status",
			label: __("Status"),
			fieldtype: "Select",
			options: [
				"",
				{ value: "Planned", label: __("Planned", null, "Client") },
				{ value: "Overdue", label: __("Overdue", null, "Client") },
				{ value: "Done", label: __("Done", null, "Client") },
				{ value: "Cancelled", label: __("Cancelled", null, "Client") },
			],
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
