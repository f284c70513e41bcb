// Copyright (c) 2026, crm_clients developers and contributors
// For license information, please see license.txt

// Interactions with a Client on its form (hooks.py doctype_js): ERPNext's Activities and Notes, as on a Lead or a
// Prospect, and the dialogs to plan an interaction and to record how it went. The rules are on the server
// (crm_clients/interactions/): these dialogs only ask.

frappe.provide("crm_clients.interactions");

frappe.ui.form.on("Client", {
	refresh(frm) {
		crm_clients.interactions.refresh(frm);
	},
});

Object.assign(crm_clients.interactions, {
	// the kinds one plans, in the app's words (crm_clients/vocabulary.py, sent with the boot)
	plannable_kinds() {
		const kinds = frappe.boot.crm_clients.kinds;
		return Object.keys(kinds)
			.filter((kind) => kinds[kind].plannable)
			.map((kind) => ({ value: kind, label: kinds[kind].label }));
	},

	refresh(frm) {
		if (frm.is_new()) return;
		new erpnext.utils.CRMNotes({
			frm: frm,
			notes_wrapper: $(frm.fields_dict.notes_html.wrapper),
		}).refresh();
		new crm_clients.interactions.ClientActivities({
			frm: frm,
			open_activities_wrapper: $(frm.fields_dict.open_activities_html.wrapper),
			all_activities_wrapper: $(frm.fields_dict.all_activities_html.wrapper),
			form_wrapper: $(frm.wrapper),
		}).refresh();
		if (frm.has_perm("write")) {
			frm.add_custom_button(__("Plan Interaction"), () => crm_clients.interactions.plan(frm));
		}
	},

	// the next full hour of the user's clock, in the system's time zone (as Datetime fields hold it; the field
	// shows it in the user's)
	next_hour() {
		const next = moment(frappe.datetime.now_datetime()).add(1, "hours").startOf("hour");
		return frappe.datetime.convert_to_system_tz(next.format("YYYY-MM-DD HH:mm:ss"));
	},

	plan(frm) {
		const contacts = (frm.doc.contacts || []).map((row) => ({
			value: row.contact,
			label: row.full_name || row.contact,
		}));
		const dialog = new frappe.ui.Dialog({
			title: __("Plan Interaction"),
			fields: [
				{
					fieldname: "kind",
					fieldtype: "Select",
					label: __("Kind"),
					reqd: 1,
					default: "Call",
					options: crm_clients.interactions.plannable_kinds(),
				},
				{
					fieldname: "starts_on",
					fieldtype: "Datetime",
					label: __("Starts On"),
					reqd: 1,
					default: crm_clients.interactions.next_hour(),
				},
				{ fieldname: "ends_on", fieldtype: "Datetime", label: __("Ends On") },
				{ fieldtype: "Column Break" },
				{
					fieldname: "responsible",
					fieldtype: "Link",
					options: "User",
					label: __("Responsible"),
					default: frappe.session.user,
					description: __("Gets a notification, and the interaction in their calendar"),
				},
				{
					fieldname: "contact",
					fieldtype: "Select",
					label: __("Contact Person"),
					options: [""].concat(contacts),
				},
				{ fieldtype: "Section Break" },
				{
					fieldname: "subject",
					fieldtype: "Data",
					label: __("Subject"),
					description: __("When empty: the kind and the Client's name"),
				},
				{ fieldname: "notes", fieldtype: "Small Text", label: __("Notes") },
				{ fieldtype: "Section Break" },
				{
					fieldname: "done",
					fieldtype: "Check",
					label: __("It has already happened: log it as done"),
				},
				{
					fieldname: "outcome",
					fieldtype: "Small Text",
					label: __("Outcome"),
					depends_on: "eval:doc.done",
					mandatory_depends_on: "eval:doc.done",
				},
			],
			primary_action_label: __("Save"),
			primary_action(values) {
				if (dialog.crm_saving) return;
				dialog.crm_saving = true;
				frappe.call({
					method: "crm_clients.api.plan_interaction",
					args: Object.assign({ client: frm.doc.name }, values),
					freeze: true,
					callback(r) {
						if (r.exc) return;
						dialog.hide();
						frappe.show_alert({
							message: values.done
								? __("The interaction is logged as done")
								: __("The interaction is planned"),
							indicator: "green",
						});
						frm.reload_doc();
					},
					always() {
						dialog.crm_saving = false;
					},
				});
			},
		});
		dialog.show();
	},

	// marking an interaction done asks for its outcome; the same dialog cancels it
	complete(frm, doctype, name, on_done) {
		let finished = false;
		const dialog = new frappe.ui.Dialog({
			title: __("How did it go?"),
			fields: [
				{
					fieldname: "outcome",
					fieldtype: "Small Text",
					label: __("Outcome"),
					reqd: 1,
					description: __("It goes to the Client's timeline"),
				},
			],
			primary_action_label: __("Mark as Done"),
			primary_action(values) {
				frappe
					.xcall("crm_clients.api.complete_interaction", {
						doctype: doctype,
						name: name,
						outcome: values.outcome,
					})
					.then(() => {
						finished = true;
						dialog.hide();
						frm.reload_doc();
					});
			},
			secondary_action_label: __("Cancel the Interaction"),
			secondary_action() {
				frappe
					.xcall("crm_clients.api.cancel_interaction", {
						doctype: doctype,
						name: name,
						reason: dialog.get_value("outcome"),
					})
					.then(() => {
						finished = true;
						dialog.hide();
						frm.reload_doc();
					});
			},
		});
		dialog.onhide = () => on_done(finished);
		dialog.show();
	},
});

// ERPNext's Activities (erpnext/public/js/utils/crm_activities.js), reused for its list of open tasks and
// events and its New Task button. Three of its parts do not fit a Client: it asks ERPNext's
// get_open_activities, which answers for any document without asking who may read it (the Client's data comes
// from the app's own method, which does, and gives the events' times on the user's clock); its New Event opens
// Frappe's generic composer (no end time, no contact person, no "already happened"); and its completion
// checkbox closes the Event or ToDo at once without asking how it went.
crm_clients.interactions.ClientActivities = class ClientActivities extends erpnext.utils.CRMActivities {
	// ERPNext's refresh (the same steps), with the Client's data from the app
	refresh() {
		$(this.open_activities_wrapper).empty();
		const form_footer = this.form_wrapper.find(".form-footer");
		// all activities: the form's timeline, moved into the tab once
		if (!$(this.all_activities_wrapper).find(".form-footer").length) {
			this.all_activities_wrapper.empty();
			$(form_footer).appendTo(this.all_activities_wrapper);
			$(this.all_activities_wrapper).removeClass("frappe-control");
			$(".timeline-actions").find(".btn-default").hide();
			$(".comment-box").hide();
			$($(".timeline-content").find(".nav-link")[0]).tab("show");
		}
		frappe
			.xcall("crm_clients.api.get_client_activities", { client: this.frm.doc.name })
			.then((activities) => {
				// ERPNext's template: open tasks and events (and, on v16, the closed ones)
				$(frappe.render_template("crm_activities", activities)).appendTo(
					this.open_activities_wrapper
				);
				const me = this;
				$(".open-tasks")
					.find(".completion-checkbox")
					.on("click", function () {
						me.update_status(this, "ToDo");
					});
				$(".open-events")
					.find(".completion-checkbox")
					.on("click", function () {
						me.update_status(this, "Event");
					});
				this.create_task();
				this.create_event();
			});
	}

	create_event() {
		$(this.open_activities_wrapper)
			.find(".new-event-btn")
			.off("click")
			.on("click", () => crm_clients.interactions.plan(this.frm));
	}

	update_status(input_field, doctype) {
		if (!$(input_field).prop("checked")) return;
		crm_clients.interactions.complete(this.frm, doctype, $(input_field).attr("name"), (done) => {
			if (!done) $(input_field).prop("checked", false);
		});
	}
};
