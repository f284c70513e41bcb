// Duplicate Clients on the Client form and list (the dialog: public/js/duplicates.js). Loaded as a Client form
// script and list script (hooks.py), after the Client's own scripts.

frappe.provide("crm_clients.duplicates");

Object.assign(crm_clients.duplicates, {
	can_merge() {
		return frappe.model.can_delete("Client");
	},

	// the form: an indicator of its possible duplicates, and «Объединить с…»
	setup_form(frm) {
		if (frm.is_new()) return;
		frappe
			.xcall("crm_clients.api.find_duplicates", { client: frm.doc.name, page_length: 20 })
			.then((pairs) => {
				// one headline, also when the form refreshed twice while the pairs were asked for
				frm.layout.message.find(".crm-possible-duplicates").closest(".form-message").remove();
				if (!pairs || !pairs.length || frm.doc.name !== pairs[0].client) return;
				const others = pairs
					.map((pair) => `<a href="${frappe.router.make_url(["client", pair.other])}">${pair.other}</a>`)
					.join(", ");
				// the desk's own addresses: /app/… on Frappe 15, /desk/… on Frappe 16
				const report = `${frappe.router.make_url([
					"query-report",
					"Possible Duplicates",
				])}?client=${encodeURIComponent(frm.doc.name)}`;
				frm.dashboard.add_comment(
					`<span class="crm-possible-duplicates">${__("Possible duplicates: {0}", [
						others,
					])} · <a href="${report}">${__("Show in the report")}</a></span>`,
					"orange",
					true
				);
			});
		if (!crm_clients.duplicates.can_merge()) return;
		// in the form's menu (⋯), beside Frappe's own «Rename» and «Duplicate»
		frm.page.add_menu_item(__("Merge with…"), () => crm_clients.duplicates.choose_other(frm));
	},

	choose_other(frm) {
		const dialog = new frappe.ui.Dialog({
			title: __("Merge with…"),
			fields: [
				{
					fieldname: "other",
					fieldtype: "Link",
					options: "Client",
					label: __("Client"),
					reqd: 1,
					get_query: () => ({ filters: { name: ["!=", frm.doc.name] } }),
				},
			],
			primary_action_label: __("Next"),
			primary_action(values) {
				dialog.hide();
				crm_clients.duplicates.merge_dialog(frm.doc.name, values.other, (survivor) => {
					if (survivor === frm.doc.name) frm.reload_doc();
					else frappe.set_route("Form", "Client", survivor);
				});
			},
		});
		dialog.show();
	},

	setup_list(listview) {
		if (!crm_clients.duplicates.can_merge() || listview.crm_duplicates_ready) return;
		listview.crm_duplicates_ready = true;
		listview.page.add_actions_menu_item(__("Merge"), () => {
			const names = listview.get_checked_items(true);
			if (names.length < 2) {
				frappe.msgprint(__("Select two Clients or more."));
				return;
			}
			crm_clients.duplicates.bulk_merge_dialog(names, (survivor) =>
				frappe.set_route("Form", "Client", survivor)
			);
		});
		listview.page.add_inner_button(__("Possible Duplicates"), () =>
			frappe.set_route("query-report", "Possible Duplicates")
		);
	},
});

frappe.ui.form.on("Client", {
	refresh(frm) {
		crm_clients.duplicates.setup_form(frm);
	},
});

// the Client list: the bulk «Merge»
crm_clients.extend_list("Client", "duplicates", (listview) =>
	crm_clients.duplicates.setup_list(listview)
);
