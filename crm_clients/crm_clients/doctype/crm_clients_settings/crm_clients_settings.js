// Copyright (c) 2026, crm_clients developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("CRM Clients Settings", {
	refresh(frm) {
		if (frm.doc.requisites_sample_data) {
			frm.dashboard.set_headline_alert(
				__("The provider is the local sample server: its companies are sample data, not the register."),
				"orange"
			);
		}
		frm.add_custom_button(__("Load Default ОКВЭД Mapping"), () =>
			frappe.call("crm_clients.api.load_default_okved_mapping").then((r) => {
				frappe.show_alert({ message: __("Rows added: {0}", [r.message || 0]), indicator: "green" });
				frm.reload_doc();
			})
		);
	},
});
