// Copyright (c) 2026, crm_clients developers and contributors
// For license information, please see license.txt

// (Frappe evaluates a doctype's list settings with its meta: what is defined here serves the form too)
frappe.provide("crm_clients.client");

Object.assign(crm_clients.client, {
	// the next interaction: date and time (a task: its day), red when overdue, with its kind in the list
	format_next_interaction(value, doc, with_kind) {
		if (!value) return "";
		const task = doc.next_interaction_type === "Task";
		const when = task
			? frappe.format(value.slice(0, 10), { fieldtype: "Date" })
			: frappe.format(value, { fieldtype: "Datetime" });
		const overdue =
			doc.interaction_status === "Overdue" ||
			(task
				? value.slice(0, 10) < frappe.datetime.get_today()
				: value < frappe.datetime.now_datetime());
		const kind = doc.next_interaction_type ? __(doc.next_interaction_type, null, "Client") : "";
		const text = with_kind && kind ? `${when} · ${kind}` : when;
		const title = overdue ? __("Overdue", null, "Client") : kind;
		return `<span class="${overdue ? "text-danger" : ""}" title="${frappe.utils.escape_html(
			title
		)}">${frappe.utils.escape_html(text)}</span>`;
	},
});

// Select values are shown in the app's own words: ru.po translates them in the "Client" context
// (Company → Юридическое лицо, Converted → Переведен в контрагенты), as the Client form's dropdowns do.
frappe.listview_settings["Client"] = {
	add_fields: ["status", "customer", "client_type", "next_interaction_type", "interaction_status"],
	has_indicator_for_draft: 1,

	onload(listview) {
		// the standard filters' dropdowns
		for (const fieldname of ["client_type", "status", "interaction_status"]) {
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
		// when, and what: red when overdue (planned in the past and still open)
		next_interaction(value, df, doc) {
			return crm_clients.client.format_next_interaction(value, doc, true);
		},
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
