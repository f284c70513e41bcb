// Copyright (c) 2026, crm_clients developers and contributors
// For license information, please see license.txt

// Select values are shown in the app's own words: ru.po translates them in the "Client" context
// (Company → Юридическое лицо, Converted → Переведен в контрагенты), as the Client form's dropdowns do.
frappe.listview_settings["Client"] = {
	add_fields: ["status", "customer", "client_type"],
	has_indicator_for_draft: 1,

	onload(listview) {
		// the standard filters' dropdowns
		for (const fieldname of ["client_type", "status"]) {
			const field = listview.page.fields_dict[fieldname];
			if (!field || typeof field.df.options !== "string") continue;
			field.df.options = field.df.options.split("\n").map((value) => ({
				value: value,
				label: value ? __(value, null, "Client") : "",
			}));
			field.set_options();
		}
	},

	formatters: {
		client_type(value) {
			if (!value) return "";
			const label = frappe.utils.escape_html(__(value, null, "Client"));
			return `<span class="ellipsis" title="${label}">
				<span class="filterable indicator-pill ${frappe.utils.guess_colour(value)} ellipsis"
					data-filter="client_type,=,${frappe.utils.escape_html(value)}">
					<span class="ellipsis">${label}</span>
				</span>
			</span>`;
		},
	},

	get_indicator(doc) {
		const colors = { Open: "blue", "Pending Conversion": "orange", Converted: "green" };
		return [__(doc.status, null, "Client"), colors[doc.status] || "gray", "status,=," + doc.status];
	},
};
