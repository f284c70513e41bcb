// Lead form: create a Client from the Lead, or open the Lead's Client (crm_clients)

frappe.provide("crm_clients.lead");

frappe.ui.form.on("Lead", {
	onload(frm) {
		crm_clients.lead.fill_from_client(frm);
	},

	refresh(frm) {
		crm_clients.lead.add_create_button(frm);
		crm_clients.lead.render_client_button(frm);
	},

	client(frm) {
		crm_clients.lead.render_client_button(frm);
	},
});

Object.assign(crm_clients.lead, {
	can_create_client(frm) {
		return !frm.is_new() && frappe.model.can_create("Client");
	},

	add_create_button(frm) {
		if (frm.doc.client || !crm_clients.lead.can_create_client(frm)) return;
		frm.add_custom_button(__("Client"), () => crm_clients.lead.open_client(frm), __("Create"));
	},

	// a small button under the Client field: "Create Client", or "Open Client" once the Lead has one
	render_client_button(frm) {
		const field = frm.get_field("client");
		if (!field || !field.$wrapper) return;
		field.$wrapper.find(".crm-client-button").remove();

		let label;
		if (frm.doc.client) {
			label = __("Open Client");
		} else if (crm_clients.lead.can_create_client(frm)) {
			label = __("Create Client");
		} else {
			return;
		}
		const $button = $(
			'<button type="button" class="btn btn-xs btn-default crm-client-button"></button>'
		)
			.text(label)
			.css({ "margin-top": "var(--margin-xs, 4px)" })
			.on("click", () => crm_clients.lead.open_client(frm));
		const $help = field.$wrapper.find(".help-box");
		if ($help.length) {
			$button.insertBefore($help.first());
		} else {
			field.$wrapper.append($button);
		}
	},

	open_client(frm) {
		if (frm.doc.client) {
			frappe.set_route("Form", "Client", frm.doc.client);
			return;
		}
		frappe.model.open_mapped_doc({
			method: "crm_clients.api.make_client_from_lead",
			frm: frm,
		});
	},

	// a new Lead made from a Client's Connections tab: ERPNext's Industry Type and Territory from the Client
	fill_from_client(frm) {
		if (!frm.is_new() || !frm.doc.client) return;
		frappe
			.xcall("crm_clients.api.get_lead_values_from_client", { client: frm.doc.client })
			.then((values) => {
				const updates = { industry: values.industry || "" };
				for (const fieldname of ["company_name", "country"]) {
					if (values[fieldname] && !frm.doc[fieldname]) {
						updates[fieldname] = values[fieldname];
					}
				}
				if (values.territory) updates.territory = values.territory;
				return frm.set_value(updates);
			});
	},
});
