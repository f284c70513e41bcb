// Lead list: create Clients from the selected Leads (crm_clients).
// ERPNext's own Lead list settings (lead_list.js) load first: extend them, keep their onload.

frappe.provide("crm_clients.lead_list");

crm_clients.extend_list("Lead", "lead_list", (listview) =>
	crm_clients.lead_list.setup(listview)
);

Object.assign(crm_clients.lead_list, {
	setup(listview) {
		if (!frappe.model.can_create("Client")) return;
		listview.page.add_actions_menu_item(__("Create Clients"), () =>
			crm_clients.lead_list.create_clients(listview)
		);
		crm_clients.intake_runs.listen();
	},

	create_clients(listview) {
		const leads = listview.get_checked_items(true);
		if (!leads.length) {
			frappe.msgprint(__("Select the Leads to create Clients from."));
			return;
		}
		frappe.confirm(__("Create Clients from {0} selected Leads?", [leads.length]), () =>
			frappe.call({
				method: "crm_clients.api.make_clients_from_leads",
				args: { leads },
				freeze: true,
				freeze_message: __("Creating Clients..."),
				callback(r) {
					crm_clients.intake_runs.show_result(r.message);
					listview.clear_checked_items();
					listview.refresh();
				},
			})
		);
	},
});
