// Copyright (c) 2026, crm_clients developers and contributors
// For license information, please see license.txt

// (Frappe evaluates a doctype's list settings with its meta: what is defined here serves the form too)
frappe.provide("crm_clients.client");

Object.assign(crm_clients.client, {
	// the next interaction: when (the day, without the year when it is this one, and the time; a task: its
	// day), red when overdue, and its kind
	format_next_interaction(value, doc) {
		if (!value) return "";
		const task = doc.next_interaction_type === "Task";
		// as the server says (the list's filter too); a planned one turns overdue within minutes of its time
		const overdue = doc.interaction_status === "Overdue";
		const when = crm_clients.client.short_when(value, task);
		// the kinds and states of interactions in the app's words (crm_clients/vocabulary.py, with the boot)
		const { kinds, interaction_statuses } = frappe.boot.crm_clients;
		const kind = kinds[doc.next_interaction_type];
		const full = task
			? frappe.datetime.str_to_user(value.slice(0, 10))
			: frappe.datetime.str_to_user(frappe.datetime.convert_to_user_tz(value));
		const title = [full, kind && kind.label, overdue ? interaction_statuses.Overdue.label : ""]
			.filter(Boolean)
			.join(" · ");
		// the kind is an icon (as in ERPNext's Activities), its name in the tooltip
		const icon = frappe.utils.icon(kind ? kind.icon : "calendar", "xs");
		return `<span class="${overdue ? "text-danger" : ""}" title="${frappe.utils.escape_html(
			title
		)}">${icon} ${frappe.utils.escape_html(when)}</span>`;
	},

	short_when(value, task) {
		const local = moment(task ? value.slice(0, 10) : frappe.datetime.convert_to_user_tz(value));
		const today = moment(frappe.datetime.get_today());
		const time = task ? "" : " " + local.format("HH:mm");
		let date_format = frappe.datetime.get_user_date_fmt().toUpperCase();
		if (local.year() === today.year()) {
			date_format = date_format.replace(/Y+/, "").replace(/^[^A-Z]+|[^A-Z]+$/g, "");
		}
		return local.format(date_format) + time;
	},
});

// Select values are shown in the app's own words: ru.po translates them in the "Client" context
// (Company → Юридическое лицо, Converted → Переведен в контрагенты), as the Client form's dropdowns do.
frappe.listview_settings["Client"] = {
	add_fields: ["status", "customer", "client_type", "next_interaction_type", "interaction_status"],
	has_indicator_for_draft: 1,
	// the name links to the Client (its ID shows on hover): the room goes to the next interaction
	hide_name_column: true,

	onload(listview) {
		// the registry, as the seed calls it («Клиенты»), not the DocType's singular name
		listview.page_title = __("Clients");
		listview.set_title();
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
		const interactions = listview.page.fields_dict.interaction_status;
		if (interactions) {
			const states = frappe.boot.crm_clients.interaction_statuses;
			interactions.df.options = [""].concat(
				Object.keys(states).map((value) => ({ value: value, label: states[value].label }))
			);
			interactions.set_options();
		}
	},

	formatters: {
		// when, and what: red when overdue (planned in the past and still open)
		next_interaction(value, df, doc) {
			return crm_clients.client.format_next_interaction(value, doc);
		},
		// the type in short words («Юр. лицо»: the "Client list" context), in full in the tooltip
		client_type(value) {
			if (!value) return "";
			const full = (frappe.boot.crm_clients.client_types || {})[value] || __(value, null, "Client");
			const label = frappe.utils.escape_html(__(value, null, "Client list"));
			const title = frappe.utils.escape_html(full);
			return `<span title="${title}">
				<span class="filterable indicator-pill ${frappe.utils.guess_colour(value)}"
					data-filter="client_type,=,${frappe.utils.escape_html(value)}" title="${title}">
					<span>${label}</span>
				</span>
			</span>`;
		},
	},

	get_indicator(doc) {
		const colors = { Open: "blue", "Pending Conversion": "orange", Converted: "green" };
		// the form says it in full («Переведен в контрагенты»); the list, whose column has no room for that,
		// in its short words (the "Client list" context)
		const in_list = frappe.get_route()[0] === "List";
		const labels = in_list
			? {
					Open: __("Open", null, "Client list"),
					"Pending Conversion": __("Pending Conversion", null, "Client list"),
					Converted: __("Converted", null, "Client list"),
			  }
			: {
					Open: __("Open", null, "Client"),
					"Pending Conversion": __("Pending Conversion", null, "Client"),
					Converted: __("Converted", null, "Client"),
			  };
		return [labels[doc.status] || doc.status, colors[doc.status] || "gray", "status,=," + doc.status];
	},
};
