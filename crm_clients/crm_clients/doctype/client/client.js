// Copyright (c) 2026, crm_clients developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Client", {
	setup(frm) {
		// Any Contact may be a contact person: "unsubscribed" concerns newsletters, not the person (and
		// "Unsubscribed" is no Contact status, so the filter this form once had did nothing).
		// read-only Select values in the app's own words (translated in the "Client" context, as the form's dropdowns are)
		for (const fieldname of ["client_type", "status"]) {
			frappe.meta.get_docfield("Client", fieldname).formatter = (value) =>
				value ? frappe.utils.escape_html(__(value, null, "Client")) : "";
		}
		// the next interaction's kind and state in the app's words (crm_clients/vocabulary.py, with the boot)
		const { kinds, interaction_statuses } = frappe.boot.crm_clients;
		frappe.meta.get_docfield("Client", "next_interaction_type").formatter = (value) =>
			frappe.utils.escape_html((kinds[value] || {}).label || "");
		frappe.meta.get_docfield("Client", "interaction_status").formatter = (value) =>
			frappe.utils.escape_html((interaction_statuses[value] || {}).label || "");
	},

	refresh(frm) {
		// who may edit the Client in its state is the route's "allow edit" (Frappe makes the form read-only)
		crm_clients.client.add_new_contact_button(frm);
		crm_clients.client.add_save_and_close_button(frm);
		crm_clients.client.add_conversion_button(frm);
		crm_clients.client.show_customer_button(frm);
	},

	after_save(frm) {
		crm_clients.client.forget_cached_lead(frm);
	},

	after_workflow_action(frm) {
		if (frm.doc.status === "Pending Conversion") {
			crm_clients.client.offer_assignment(frm);
		}
	},
});

frappe.ui.form.on("Client Contact", {
	// the row shows the chosen Contact's name, phone (else mobile) and e-mail, as the server stores them
	contact(frm, cdt, cdn) {
		const row = locals[cdt][cdn];
		if (!row.contact) {
			frappe.model.set_value(cdt, cdn, { full_name: "", phone: "", email: "" });
			return;
		}
		frappe
			.xcall("crm_clients.api.get_contact_person", { contact: row.contact })
			.then((person) => {
				if (person && locals[cdt][cdn] && locals[cdt][cdn].contact === person.name) {
					frappe.model.set_value(cdt, cdn, {
						full_name: person.full_name || "",
						phone: person.phone || "",
						email: person.email || "",
					});
				}
			});
	},
});

frappe.provide("crm_clients.client");

Object.assign(crm_clients.client, {
	add_new_contact_button(frm) {
		const grid = frm.fields_dict.contacts.grid;
		if (grid.crm_new_contact_button || !frm.has_perm("write")) return;
		grid.crm_new_contact_button = grid.add_custom_button(__("New Contact Person"), () =>
			crm_clients.client.new_contact_dialog(frm)
		);
	},

	new_contact_dialog(frm) {
		const dialog = new frappe.ui.Dialog({
			title: __("New Contact Person"),
			fields: [
				{ fieldname: "first_name", fieldtype: "Data", label: __("First Name"), reqd: 1 },
				{ fieldname: "last_name", fieldtype: "Data", label: __("Last Name") },
				{ fieldname: "column_break", fieldtype: "Column Break" },
				{ fieldname: "email", fieldtype: "Data", options: "Email", label: __("Email") },
				{ fieldname: "phone", fieldtype: "Data", options: "Phone", label: __("Phone") },
			],
			primary_action_label: __("Save"),
			primary_action(values) {
				// one Contact per click: a second click while saving would create it twice
				if (dialog.crm_saving) return;
				dialog.crm_saving = true;
				frappe.call({
					method: "crm_clients.api.create_contact",
					args: values,
					freeze: true,
					callback(r) {
						const contact = r.message;
						if (!contact) return;
						const row = frm.add_child("contacts", { contact: contact.name });
						Object.assign(row, {
							full_name: contact.full_name,
							phone: contact.phone,
							email: contact.email,
						});
						frm.refresh_field("contacts");
						frm.dirty();
						dialog.hide();
					},
					always() {
						dialog.crm_saving = false;
					},
				});
			},
		});
		dialog.show();
	},

	// the seed's toolbar: «Сохранить» and «Сохранить и закрыть» (save, then back to the registry)
	add_save_and_close_button(frm) {
		if (frm.doc.docstatus !== 0 || !frm.perm[0]?.write || frm.save_disabled || frm.read_only) return;
		frm.add_custom_button(__("Save and Close"), () => crm_clients.client.save_and_close(frm));
	},

	save_and_close(frm) {
		const close = () => {
			// the registry lists what was just saved: Frappe skips a list reload asked for within 3 s of the
			// previous one, and the list was loaded just before this form was opened
			const list = Object.values(frappe.views.list_view || {}).find((view) => view.doctype === "Client");
			if (list && "last_args" in list) list.last_args = null;
			frappe.set_route("List", "Client");
		};
		if (!frm.is_new() && !frm.is_dirty()) return close();
		// frm.save() also resolves when the server refuses the document: close only once it is saved
		frm.save().then(() => !frm.is_new() && !frm.is_dirty() && close());
	},

	// saving (or converting) the Client changes its source Lead on the server: drop the Lead's cached copy,
	// so that its form shows the Client when the user goes back to it (as ERPNext's Task does for its Project)
	forget_cached_lead(frm) {
		const lead = frm.doc.lead && locals.Lead && locals.Lead[frm.doc.lead];
		if (lead && !lead.__unsaved) {
			frappe.model.remove_from_locals("Lead", frm.doc.lead);
		}
	},

	add_conversion_button(frm) {
		if (frm.is_new() || frm.doc.customer || !frm.doc.__onload?.can_convert) return;
		frm.add_custom_button(__("Convert to Customer"), () => crm_clients.client.convert(frm)).addClass(
			"btn-primary"
		);
	},

	show_customer_button(frm) {
		if (!frm.doc.customer) return;
		frm.add_custom_button(__("Customer"), () => frappe.set_route("Form", "Customer", frm.doc.customer));
	},

	convert(frm) {
		frappe.confirm(
			__("Convert Client {0} into a Customer?", [frappe.utils.escape_html(frm.doc.client_name).bold()]),
			() =>
				frappe.call({
					method: "crm_clients.api.convert_to_customer",
					args: { client: frm.doc.name },
					freeze: true,
					freeze_message: __("Converting into a Customer..."),
					callback(r) {
						if (!r.message) return;
						frappe.show_alert({
							message: __("Customer {0} is ready", [frappe.utils.escape_html(r.message)]),
							indicator: "green",
						});
						crm_clients.client.forget_cached_lead(frm);
						// the form's own debounced reload: the realtime "doc_update" of this conversion asks for
						// one too, and two reloads would let the second run after the user has moved on
						// (e.g. to the Customer), making this hidden form the current one again
						(frm.debounced_reload_doc || frm.reload_doc).call(frm);
					},
				})
		);
	},

	offer_assignment(frm) {
		frappe.call({
			method: "crm_clients.api.get_users_who_can_convert",
			args: { client: frm.doc.name },
			callback(r) {
				const users = r.message || [];
				if (!users.length) return;
				const dialog = new frappe.ui.Dialog({
					title: __("Assign to a colleague who converts Clients"),
					fields: [
						{
							fieldname: "user",
							fieldtype: "Select",
							label: __("Colleague"),
							options: [""].concat(users.map((u) => ({ value: u.name, label: u.full_name || u.name }))),
						},
						{ fieldname: "comment", fieldtype: "Small Text", label: __("Comment") },
					],
					primary_action_label: __("Assign"),
					primary_action(values) {
						if (!values.user) return dialog.hide();
						frappe
							.xcall("crm_clients.api.assign_for_conversion", {
								client: frm.doc.name,
								user: values.user,
								description:
									values.comment ||
									__("Convert Client {0} into a Customer", [
										frappe.utils.escape_html(frm.doc.client_name),
									]),
							})
							.then(() => {
								dialog.hide();
								frm.reload_doc();
							});
					},
				});
				dialog.show();
			},
		});
	},
});
