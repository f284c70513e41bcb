// Copyright (c) 2026, crm_clients developers and contributors
// For license information, please see license.txt

// «Возможные дубли»: tick a pair, then «Объединить…» (the merge dialog, public/js/duplicates.js) or «Не дубль»
frappe.query_reports["Possible Duplicates"] = {
	filters: [
		{ fieldname: "client", label: __("Client"), fieldtype: "Link", options: "Client" },
		{
			fieldname: "reason",
			label: __("Reason"),
			fieldtype: "Select",
			options: [
				"",
				{ value: "name", label: __("Same name") },
				{ value: "tax_id", label: __("Same INN") },
				{ value: "contact", label: __("Same contact person") },
				{ value: "email_domain", label: __("Same e-mail domain") },
			],
		},
	],

	get_datatable_options(options) {
		return Object.assign(options, { checkboxColumn: true });
	},

	onload(report) {
		const checked_pairs = () =>
			report.datatable.rowmanager
				.getCheckedRows()
				.map((index) => report.data[index])
				.filter((row) => row && row.client && row.other);
		const one_pair = () => {
			const pairs = checked_pairs();
			if (pairs.length !== 1) {
				frappe.msgprint(__("Tick one pair."));
				return null;
			}
			return pairs[0];
		};
		report.page.add_inner_button(__("Merge…"), () => {
			const pair = one_pair();
			if (!pair) return;
			crm_clients.duplicates.merge_dialog(pair.client, pair.other, (survivor) =>
				frappe.set_route("Form", "Client", survivor)
			);
		});
		report.page.add_inner_button(__("Not a Duplicate"), () => {
			const pairs = checked_pairs();
			if (!pairs.length) {
				frappe.msgprint(__("Tick one pair or more."));
				return;
			}
			Promise.all(
				pairs.map((pair) =>
					frappe.xcall("crm_clients.api.mark_not_duplicate", {
						client: pair.client,
						other: pair.other,
					})
				)
			).then(() => report.refresh());
		});

		// opened for one Client (the form's «Показать в отчёте», a bookmark: ?client=…): the Client filter
		// shows the Client's name, and Frappe's Link control holds its value only once that name is fetched —
		// the first run would go without it and list every pair. The run waits for it.
		const client = report.get_filter("client");
		if (client && client.value && !client.get_value() && client.set_link_title) {
			return client.set_link_title(client.value);
		}
	},
};
