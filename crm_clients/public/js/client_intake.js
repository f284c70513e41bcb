// Bringing in business cards and lists (crm_clients.intake): the Client list's «Import» menu (spreadsheets,
// vCard files, photos of business cards, the template) and the Client form's «Add Contact Person» menu.
// Loaded as the Client's form script and list script (hooks.py); the Client's own scripts load first.

frappe.provide("crm_clients.intake");

Object.assign(crm_clients.intake, {
	SHEETS_AND_CARDS: [".csv", ".xlsx", ".vcf"],
	PHOTOS: [".jpg", ".jpeg", ".png"],
	CARD_SCANNED_EVENT: "crm_clients_card_scanned",

	can_import() {
		return frappe.model.can_create("Client") && frappe.model.can_create("Contact");
	},

	// --- the Client list

	setup_list(listview) {
		if (!crm_clients.intake.can_import() || listview.crm_intake_ready) return;
		listview.crm_intake_ready = true;
		const group = __("Import");
		listview.page.add_inner_button(__("Import Clients"), () => crm_clients.intake.import_dialog(), group);
		listview.page.add_inner_button(
			__("Scan Business Card"),
			() => crm_clients.intake.upload_photo(null),
			group
		);
		listview.page.add_inner_button(
			__("Download Import Template"),
			() => crm_clients.intake.download_template(),
			group
		);
		crm_clients.intake_runs.listen();
	},

	download_template() {
		window.open(frappe.urllib.get_full_url("/api/method/crm_clients.api.download_import_template"));
	},

	import_dialog() {
		const dialog = new frappe.ui.Dialog({
			title: __("Import Clients"),
			fields: [
				{
					fieldtype: "HTML",
					options: `<p class="text-muted">${__(
						"A spreadsheet (.csv or .xlsx, one row per contact person: download the template) or a vCard file (.vcf) with one or many cards. Existing Clients and contact persons are matched, not duplicated. The file stays private."
					)}</p>`,
				},
				{
					fieldname: "file_url",
					fieldtype: "Attach",
					label: __("File"),
					reqd: 1,
					options: {
						restrictions: { allowed_file_types: crm_clients.intake.SHEETS_AND_CARDS },
						make_attachments_public: false,
						disable_file_browser: true,
					},
				},
				{
					fieldname: "create_missing_masters",
					fieldtype: "Check",
					label: __("Create missing industries and regions"),
				},
			],
			primary_action_label: __("Import"),
			primary_action(values) {
				if (dialog.crm_importing) return;
				dialog.crm_importing = true;
				frappe.call({
					method: "crm_clients.api.import_clients",
					args: values,
					freeze: true,
					freeze_message: __("Importing Clients..."),
					callback(r) {
						dialog.hide();
						crm_clients.intake_runs.show_result(r.message);
						if (r.message && !r.message.job && window.cur_list && cur_list.doctype === "Client") {
							cur_list.refresh();
						}
					},
					always() {
						dialog.crm_importing = false;
					},
				});
			},
		});
		dialog.show();
	},

	// --- photos of business cards

	upload_photo(frm) {
		new frappe.ui.FileUploader({
			dialog_title: __("Scan Business Card"),
			allow_multiple: false,
			make_attachments_public: false,
			disable_file_browser: true,
			doctype: frm ? frm.doctype : null,
			docname: frm ? frm.docname : null,
			restrictions: { allowed_file_types: crm_clients.intake.PHOTOS },
			upload_notes: __("A photo of the business card (JPEG or PNG). It stays private."),
			on_success(file) {
				frappe.call({
					method: "crm_clients.api.start_business_card_scan",
					args: { file_url: file.file_url },
					callback(r) {
						if (r.message) crm_clients.intake.await_card(r.message, frm);
					},
				});
			},
		});
	},

	// the background recognition: its progress (the job's realtime messages share this title), then the
	// review; the result is also asked for every few seconds, in case a realtime message is missed
	await_card(started, frm) {
		const title = __("Scan Business Card");
		const job = started.job;
		let ended = false;
		let timer = null;
		const stop = () => {
			ended = true;
			clearInterval(timer);
			frappe.realtime.off(crm_clients.intake.CARD_SCANNED_EVENT, on_event);
			frappe.hide_progress();
		};
		const end = (result) => {
			if (ended || !result || !["done", "failed"].includes(result.status)) return;
			stop();
			if (result.status === "done") crm_clients.intake.review_card(result.card, frm);
			else frappe.msgprint({ title, message: result.error, indicator: "red" });
		};
		const fetch = () => {
			if (ended) return;
			frappe.call({
				method: "crm_clients.api.get_business_card_scan",
				args: { job },
				callback: (r) => end(r.message),
				error: () => ended || stop(), // the server's message is shown; ask no more
			});
		};
		const on_event = (data) => {
			if (data && data.job === job) fetch();
		};
		frappe.realtime.on(crm_clients.intake.CARD_SCANNED_EVENT, on_event);
		frappe.show_progress(
			title,
			2,
			100,
			__("Waiting for a background worker (the recognition takes at most {0} seconds)...", [
				started.time_limit,
			])
		);
		timer = setInterval(fetch, 3000);
	},

	// the recognised card, for the user to check and correct before anything is saved
	review_card(card, frm) {
		const contact = card.contact || {};
		const lines = (rows, key) => (rows || []).map((row) => row[key]).join("\n");
		const mobiles = (contact.phone_nos || []).filter((row) => row.kind === "mobile");
		const others = (contact.phone_nos || []).filter((row) => row.kind !== "mobile");
		const for_client = !frm;
		const dialog = new frappe.ui.Dialog({
			title: __("Check the Business Card"),
			size: "extra-large",
			fields: [
				{ fieldname: "matches", fieldtype: "HTML" },
				{ fieldtype: "Section Break", label: __("Client"), hidden: !for_client },
				{ fieldname: "client_name", fieldtype: "Data", label: __("Client Name"), reqd: for_client },
				{
					fieldname: "client_type",
					fieldtype: "Select",
					label: __("Client Type"),
					options: [
						{ value: "Company", label: __("Company", null, "Client") },
						{ value: "Individual", label: __("Individual", null, "Client") },
					],
				},
				{ fieldname: "country", fieldtype: "Link", options: "Country", label: __("Country") },
				{ fieldtype: "Column Break" },
				{ fieldname: "tax_id", fieldtype: "Data", label: __("Tax ID") },
				{ fieldname: "kpp", fieldtype: "Data", label: __("KPP") },
				{ fieldtype: "Section Break", label: __("Contact Person") },
				{ fieldname: "first_name", fieldtype: "Data", label: __("First Name"), reqd: 1 },
				{ fieldname: "middle_name", fieldtype: "Data", label: __("Middle Name") },
				{ fieldname: "last_name", fieldtype: "Data", label: __("Last Name") },
				{ fieldname: "designation", fieldtype: "Data", label: __("Job Title") },
				{ fieldtype: "Column Break" },
				{ fieldname: "emails", fieldtype: "Small Text", label: __("E-mails (one per line)") },
				{ fieldname: "phones", fieldtype: "Small Text", label: __("Phones (one per line)") },
				{ fieldname: "mobiles", fieldtype: "Small Text", label: __("Mobile Phones (one per line)") },
				{ fieldtype: "Section Break" },
				{ fieldname: "website", fieldtype: "Data", label: __("Website") },
				{ fieldname: "address", fieldtype: "Small Text", label: __("Address") },
				{ fieldtype: "Column Break" },
				{ fieldname: "photo", fieldtype: "HTML" },
				{ fieldtype: "Section Break", label: __("Recognised Text"), collapsible: 1 },
				{ fieldname: "text", fieldtype: "Code", read_only: 1 },
			],
			primary_action_label: frm ? __("Add to the Client") : __("Save Client"),
			primary_action(values) {
				if (dialog.crm_saving) return;
				dialog.crm_saving = true;
				frappe.call({
					method: "crm_clients.api.save_business_card",
					args: {
						card: crm_clients.intake.card_from_values(values),
						file_url: card.file_url,
						client: frm ? frm.doc.name : null,
					},
					freeze: true,
					callback(r) {
						if (!r.message) return;
						dialog.hide();
						frappe.show_alert({
							message:
								r.message.outcome === "created"
									? __("Client {0} created", [frappe.utils.escape_html(r.message.client_name)])
									: __("Saved to Client {0}", [frappe.utils.escape_html(r.message.client_name)]),
							indicator: "green",
						});
						if (frm) frm.reload_doc();
						else frappe.set_route("Form", "Client", r.message.client);
					},
					always() {
						dialog.crm_saving = false;
					},
				});
			},
		});
		dialog.set_values({
			client_name: card.client_name,
			client_type: card.client_type,
			country: card.country,
			tax_id: card.tax_id,
			kpp: card.kpp,
			first_name: contact.first_name,
			middle_name: contact.middle_name,
			last_name: contact.last_name,
			designation: contact.designation,
			emails: lines(contact.email_ids, "email_id"),
			phones: lines(others, "phone"),
			mobiles: lines(mobiles, "phone"),
			website: card.website,
			address: card.address,
			text: card.text,
		});
		const photo = frappe.utils.escape_html(card.file_url || "");
		dialog.fields_dict.photo.$wrapper.html(
			photo ? `<img src="${photo}" style="max-width: 100%; max-height: 260px; border-radius: 6px;">` : ""
		);
		dialog.fields_dict.matches.$wrapper.html(crm_clients.intake.matches_html(card.matches || {}, frm));
		dialog.show();
	},

	matches_html(matches, frm) {
		const notes = [];
		if (matches.client && !frm) {
			notes.push(
				__("The card's organisation is already a Client: {0}. The contact person will be added to it.", [
					frappe.utils.get_form_link("Client", matches.client, true),
				])
			);
		}
		if (matches.contact) {
			notes.push(
				__("This person is already a Contact: {0}. It will be used, not duplicated.", [
					frappe.utils.get_form_link("Contact", matches.contact, true),
				])
			);
		}
		if (!notes.length) return "";
		return `<div class="alert alert-info">${notes.join("<br>")}</div>`;
	},

	card_from_values(values) {
		const split = (text) =>
			(text || "")
				.split(/[\n;,]+/)
				.map((line) => line.trim())
				.filter(Boolean);
		const phone_nos = split(values.phones)
			.map((phone) => ({ phone, kind: "work" }))
			.concat(split(values.mobiles).map((phone) => ({ phone, kind: "mobile" })));
		return {
			client_name: values.client_name,
			client_type: values.client_type,
			country: values.country,
			tax_id: values.tax_id,
			kpp: values.kpp,
			website: values.website,
			address: values.address,
			contact: {
				first_name: values.first_name,
				middle_name: values.middle_name,
				last_name: values.last_name,
				designation: values.designation,
				email_ids: split(values.emails).map((email_id) => ({ email_id })),
				phone_nos,
			},
		};
	},

	// --- the Client form

	setup_form(frm) {
		if (frm.is_new() || !frm.has_perm("write") || !frappe.model.can_create("Contact")) return;
		const group = __("Add Contact Person");
		frm.add_custom_button(__("From a Business Card Photo"), () => crm_clients.intake.upload_photo(frm), group);
		frm.add_custom_button(__("From a vCard File"), () => crm_clients.intake.upload_vcard(frm), group);
	},

	upload_vcard(frm) {
		if (frm.is_dirty()) {
			frappe.msgprint(__("Save the Client first."));
			return;
		}
		new frappe.ui.FileUploader({
			dialog_title: __("Add Contact Person from vCard"),
			allow_multiple: false,
			make_attachments_public: false,
			disable_file_browser: true,
			doctype: frm.doctype,
			docname: frm.docname,
			restrictions: { allowed_file_types: [".vcf"] },
			on_success(file) {
				frappe.call({
					method: "crm_clients.api.add_contacts_from_vcard",
					args: { client: frm.doc.name, file_url: file.file_url },
					freeze: true,
					callback(r) {
						if (!r.message) return;
						crm_clients.intake_runs.show_result(r.message);
						frm.reload_doc();
					},
				});
			},
		});
	},
});

crm_clients.form_on("Client", "intake", {
	refresh(frm) {
		crm_clients.intake.setup_form(frm);
	},
});

// the Client list: the «Import» menu
crm_clients.extend_list("Client", "intake", (listview) =>
	crm_clients.intake.setup_list(listview)
);
