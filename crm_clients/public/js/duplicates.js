// Duplicate Clients (crm_clients/duplicates.py): the merge dialog, shared by the Client form («Объединить с…»),
// the Client list (bulk «Объединить») and the «Возможные дубли» report. Loaded desk-wide (hooks.py).

frappe.provide("crm_clients.duplicates");

Object.assign(crm_clients.duplicates, {
	// Merge two Clients: the user picks the Client that stays and, field by field, the value that wins
	// (only fields filled on both with different values are asked: an empty value never wins)
	merge_dialog(client, other, on_merged) {
		frappe
			.xcall("crm_clients.api.get_merge_preview", { client: client, other: other })
			.then((preview) => crm_clients.duplicates.show_merge_dialog(client, other, preview, on_merged));
	},

	client_label(name, preview) {
		const info = preview.clients[name];
		return `${name}: ${info.client_name}`;
	},

	show_merge_dialog(client, other, preview, on_merged) {
		const converted = [client, other].filter((name) => preview.clients[name].customer);
		const fields = [
			{
				fieldname: "survivor",
				fieldtype: "Select",
				label: __("Client that stays"),
				reqd: 1,
				options: [client, other].map((name) => ({
					value: name,
					label: crm_clients.duplicates.client_label(name, preview),
				})),
				default: converted.length === 1 ? converted[0] : client,
				read_only: converted.length === 1 ? 1 : 0,
				description:
					converted.length === 1
						? __("The Client converted into a Customer stays.")
						: __("The other Client is merged into it and deleted; its ID opens the Client that stays."),
			},
		];
		if (preview.fields.length) {
			fields.push({ fieldtype: "Section Break", label: __("Values that differ") });
		}
		for (const field of preview.fields) {
			fields.push({
				fieldname: field.fieldname,
				fieldtype: "Select",
				label: field.label,
				options: [client, other].map((name) => ({
					value: name,
					label: `${field.values[name]} (${name})`,
				})),
				default: converted.length === 1 ? converted[0] : client,
			});
		}
		const dialog = new frappe.ui.Dialog({
			title: __("Merge Clients"),
			fields: fields,
			primary_action_label: __("Merge"),
			primary_action(values) {
				const survivor = values.survivor;
				const merged = survivor === client ? other : client;
				const taken = preview.fields
					.filter((field) => values[field.fieldname] === merged)
					.map((field) => field.fieldname);
				// the confirmation instead of the dialog («Нет» brings the dialog back)
				dialog.hide();
				frappe.confirm(
					__(
						"Merge Client {0} into {1}? Its contact persons, Leads, interactions, notes, comments and attachments move to {1}, and {0} is deleted.",
						[merged, survivor]
					),
					() =>
						frappe
							.xcall("crm_clients.api.merge_clients", {
								survivor: survivor,
								other: merged,
								values: taken,
							})
							.then((name) => {
								frappe.show_alert({
									message: __("Clients merged into {0}", [name]),
									indicator: "green",
								});
								if (on_merged) on_merged(name);
							}),
					() => dialog.show()
				);
			},
		});
		dialog.show();
		return dialog;
	},

	// Several Clients into one (the registry's bulk action): two are merged with the field choice; more, after one
	// confirmation, on the server one by one (crm_clients/intake/merge_source.py: up to 5 in the request, more in
	// a background job with a progress bar and a summary); the Client that stays keeps its values and gets the
	// others' where its own are empty
	bulk_merge_dialog(names, on_merged) {
		if (names.length === 2) {
			crm_clients.duplicates.merge_dialog(names[0], names[1], on_merged);
			return;
		}
		frappe.db
			.get_list("Client", {
				filters: { name: ["in", names] },
				fields: ["name", "client_name", "customer"],
				limit: names.length,
			})
			.then((rows) => {
				const converted = rows.filter((row) => row.customer);
				const dialog = new frappe.ui.Dialog({
					title: __("Merge {0} Clients", [rows.length]),
					fields: [
						{
							fieldname: "survivor",
							fieldtype: "Select",
							label: __("Client that stays"),
							reqd: 1,
							options: rows.map((row) => ({
								value: row.name,
								label: `${row.name}: ${row.client_name}`,
							})),
							default: (converted[0] || rows[0]).name,
							description: __(
								"The others are merged into it one by one and deleted; its empty fields take their values."
							),
						},
					],
					primary_action_label: __("Merge"),
					primary_action(values) {
						const survivor = values.survivor;
						const others = rows.map((row) => row.name).filter((name) => name !== survivor);
						dialog.hide();
						frappe.confirm(
							__(
								"Merge {0} Clients into {1}? Their contact persons, Leads, interactions, notes, comments and attachments move to {1}, and they are deleted.",
								[others.length, survivor]
							),
							() =>
								crm_clients.duplicates
									.merge_into(survivor, others)
									.then((name) => name && on_merged && on_merged(name)),
							() => dialog.show()
						);
					},
				});
				dialog.show();
			});
	},

	// the merges on the server: the Client that stays once they are done in the request (its name), nothing
	// when they run in the background (the job's progress bar and summary follow)
	merge_into(survivor, others) {
		return frappe
			.xcall("crm_clients.api.merge_clients_into", { survivor: survivor, others: others })
			.then((result) => {
				if (result.job) {
					crm_clients.intake_runs.show_result(result);
					return null;
				}
				if (result.counts.failed) {
					frappe.msgprint({
						title: result.title,
						message: result.message,
						indicator: result.indicator,
					});
				} else {
					frappe.show_alert({
						message: __("Clients merged into {0}", [result.survivor]),
						indicator: "green",
					});
				}
				return result.survivor;
			});
	},
});

// A merged-away Client's ID opens the Client it was merged into (Frappe's own redirect lasts one browser session)
(() => {
	if (frappe.show_not_found && frappe.show_not_found.crm_clients_merged) return;
	const show_not_found = frappe.show_not_found;
	frappe.show_not_found = function () {
		const route = frappe.get_route() || [];
		const args = arguments;
		if (route[0] !== "Form" || route[1] !== "Client" || !route[2]) {
			return show_not_found.apply(this, args);
		}
		frappe
			.xcall("crm_clients.api.get_merged_into", { client: route.slice(2).join("/") })
			.then((survivor) => {
				if (!survivor) return show_not_found.apply(this, args);
				frappe.route_flags.replace_route = true;
				frappe.set_route("Form", "Client", survivor);
			})
			.catch(() => show_not_found.apply(this, args));
	};
	frappe.show_not_found.crm_clients_merged = true;
})();
