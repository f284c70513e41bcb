// Requisites by ИНН (crm_clients/requisites/): find an organisation in the register by its ИНН or name and fill
// the Client from it, «Обновить реквизиты» on a Client and for a selection, the register's status on the form,
// «Проверить в ЕГРЮЛ». Loaded as the Client's form script and list script (hooks.py).

frappe.provide("crm_clients.requisites");

Object.assign(crm_clients.requisites, {
	TROUBLED: ["LIQUIDATING", "LIQUIDATED", "BANKRUPT", "REORGANIZING"],
	EGRUL_URL: "https://egrul.nalog.ru/",

	status_label(status) {
		return (
			{
				LIQUIDATING: __("Liquidating"),
				LIQUIDATED: __("Liquidated"),
				BANKRUPT: __("Bankrupt"),
				REORGANIZING: __("Reorganizing"),
			}[status] || status
		);
	},

	// the provider set up, or its explanation how to set it up (DaData's free tier)
	// (`quiet`: an offer the user did not ask for says nothing when there is no provider)
	// (`otherwise`: called when there is none, or the question failed)
	with_setup(callback, quiet = false, otherwise = null) {
		frappe
			.call("crm_clients.api.get_requisites_setup")
			.then((r) => {
				const setup = r.message || {};
				crm_clients.requisites.setup = setup;
				if (!setup.configured) {
					if (!quiet) {
						frappe.msgprint({
							title: __("Requisites by ИНН"),
							message: setup.message,
							indicator: "orange",
						});
					}
					otherwise && otherwise();
					return;
				}
				callback(setup);
			})
			.catch(() => otherwise && otherwise());
	},

	// the dev server's sample provider (the settings' «Sample Data»): said wherever its organisations are shown
	sample_notice() {
		if (!(crm_clients.requisites.setup || {}).sample_data) return "";
		return `<div class="alert alert-warning small crm-requisites-sample" role="alert">${__(
			"Sample data: the provider is the local sample server, its organisations are made up — not the register."
		)}</div>`;
	},

	// an ИНН whose check digits are right (the register is asked only for those; the server checks them too,
	// and the Client's own validation says what is wrong with another)
	inn_is_valid(inn) {
		const digits = String(inn || "");
		if (!/^(\d{10}|\d{12})$/.test(digits)) return false;
		const check = (count, weights) =>
			(weights.reduce((sum, weight, i) => sum + weight * Number(digits[i]), 0) % 11) % 10 ===
			Number(digits[count]);
		if (digits.length === 10) return check(9, [2, 4, 10, 3, 5, 9, 4, 6, 8]);
		return (
			check(10, [7, 2, 4, 10, 3, 5, 9, 4, 6, 8]) && check(11, [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8])
		);
	},

	// --- the form

	setup_form(frm) {
		const doc = frm.doc;
		if (crm_clients.requisites.TROUBLED.includes(doc.register_status)) {
			const date = doc.register_status_date ? frappe.datetime.str_to_user(doc.register_status_date) : "";
			frm.dashboard.set_headline_alert(
				__("The register says: {0} {1}", [
					crm_clients.requisites.status_label(doc.register_status),
					date ? __("since {0}", [date]) : "",
				]),
				doc.register_status === "LIQUIDATED" ? "red" : "orange"
			);
		}
		if (!frm.perm[0] || !frm.perm[0].write || doc.customer) return;
		const group = __("Register");
		frm.add_custom_button(
			__("Find by ИНН or Name"),
			() => crm_clients.requisites.find_dialog(frm),
			group
		);
		if (!doc.__islocal && doc.tax_id) {
			frm.add_custom_button(__("Update Requisites"), () => crm_clients.requisites.update(frm), group);
		}
		if (doc.tax_id) {
			frm.add_custom_button(__("Check in ЕГРЮЛ"), () => crm_clients.requisites.open_egrul(doc.tax_id), group);
		}
		if (
			doc.register_status === "LIQUIDATED" &&
			!doc.liquidated_conversion_confirmed_by &&
			frappe.user.has_role("Sales Master Manager")
		) {
			frm.add_custom_button(__("Confirm Conversion of a Liquidated Company"), () =>
				frappe.confirm(
					__("{0} is liquidated. Confirm that it may be converted into a Customer?", [
						frappe.utils.escape_html(doc.client_name),
					]),
					() =>
						frappe
							.call("crm_clients.api.confirm_liquidated_conversion", { client: doc.name })
							.then(() => frm.reload_doc())
				)
			);
		}
	},

	// the Federal Tax Service's own search; the ИНН is copied to paste there
	open_egrul(tax_id) {
		frappe.utils.copy_to_clipboard(tax_id);
		window.open(crm_clients.requisites.EGRUL_URL, "_blank", "noopener");
	},

	find_dialog(frm, quiet = false) {
		// one at a time (the typed ИНН's change may come twice: as typed, and when the field is left)
		if (frm.crm_finding) return;
		frm.crm_finding = true;
		const finished = () => (frm.crm_finding = false);
		crm_clients.requisites.with_setup(
			() => crm_clients.requisites.show_find_dialog(frm, finished),
			quiet,
			finished
		);
	},

	show_find_dialog(frm, finished) {
		const dialog = new frappe.ui.Dialog({
			title: __("Find in the Register"),
			fields: [
				{
					fieldname: "sample_notice",
					fieldtype: "HTML",
					options: crm_clients.requisites.sample_notice(),
				},
				{
					fieldname: "query",
					fieldtype: "Data",
					label: __("ИНН, ОГРН or Name"),
					default: frm.doc.tax_id || "",
					change: frappe.utils.debounce(() => search(), 400),
				},
				{ fieldname: "results", fieldtype: "HTML" },
			],
		});
		dialog.onhide = finished;
		const results = dialog.get_field("results").$wrapper;
		const search = () => {
			const query = (dialog.get_value("query") || "").trim();
			if (query.length < 3) return;
			results.html(`<div class="text-muted">${__("Searching...")}</div>`);
			frappe
				.call({ method: "crm_clients.api.find_organisations", args: { query } })
				.then((r) => {
					const found = r.message || [];
					if (!found.length) {
						results.html(`<div class="text-muted">${__("Nothing found in the register.")}</div>`);
						return;
					}
					results.html(found.map((org, i) => crm_clients.requisites.org_html(org, i)).join(""));
					results.find("[data-index]").on("click", (event) => {
						const org = found[$(event.currentTarget).attr("data-index")];
						dialog.hide();
						crm_clients.requisites.choose(frm, org);
					});
				})
				.catch(() => results.html(""));
		};
		dialog.show();
		search();
	},

	org_html(org, index) {
		const esc = frappe.utils.escape_html;
		const branch = org.branch_type === "BRANCH" ? __("Branch") : __("Head Office");
		// the register writes the position in capitals: «ГЕНЕРАЛЬНЫЙ ДИРЕКТОР» → «Генеральный директор»
		const position = org.director_position
			? org.director_position.charAt(0).toUpperCase() + org.director_position.slice(1).toLowerCase()
			: __("Director");
		const director =
			org.director && org.client_type === "Company"
				? `<div class="text-muted small">${esc(position)}: ${esc(org.director)}</div>`
				: "";
		const status = crm_clients.requisites.TROUBLED.includes(org.register_status)
			? `<span class="indicator-pill red">${esc(crm_clients.requisites.status_label(org.register_status))}</span>`
			: "";
		return `<div class="crm-requisites-org" data-index="${index}" style="cursor:pointer; padding:8px; border-bottom:1px solid var(--border-color)">
			<div><b>${esc(org.client_name)}</b> ${status}</div>
			<div class="text-muted small">${__("ИНН")} ${esc(org.tax_id)}${org.kpp ? ", " + __("КПП") + " " + esc(org.kpp) : ""} · ${esc(branch)}</div>
			<div class="text-muted small">${esc(org.address || "")}</div>
			${director}
		</div>`;
	},

	// the chosen organisation: the empty fields filled, differing ones offered side by side
	choose(frm, org) {
		const fields = ["client_name", "legal_name", "client_type", "tax_id", "kpp", "ogrn", "okved"];
		const differing = [];
		fields.forEach((fieldname) => {
			const value = org[fieldname];
			if (!value) return;
			const current = frm.doc[fieldname];
			if (!current || (fieldname === "client_type" && frm.doc.__islocal && !frm.doc.tax_id)) {
				frm.set_value(fieldname, value);
			} else if (String(current) !== String(value)) {
				differing.push({ fieldname, current, register: value });
			}
		});
		// the register's organisations are Russian: a new Client's (default) country follows
		const country = (crm_clients.requisites.setup || {}).country;
		if (country && (frm.doc.__islocal || !frm.doc.country)) {
			frm.set_value("country", country);
		} else if (country && frm.doc.country !== country) {
			differing.push({ fieldname: "country", current: frm.doc.country, register: country });
		}
		// show what was filled: the register's section, collapsed on a new form
		const section = frm.get_field("register_section");
		if (section && section.collapse) section.collapse(false);
		const done = () => {
			if (frm.doc.__islocal) {
				frm.crm_fill_after_save = true;
				frappe.show_alert({
					message: __("Save the Client: its address, director and the rest are filled then."),
					indicator: "blue",
				});
			} else {
				frm.save().then(() => crm_clients.requisites.fill(frm, []));
			}
		};
		if (!differing.length) return done();
		crm_clients.requisites.differences_dialog(frm, differing, (accepted) => {
			accepted.forEach((row) => frm.set_value(row.fieldname, row.register));
			done();
		});
	},

	differences_dialog(frm, differing, callback) {
		const esc = frappe.utils.escape_html;
		const dialog = new frappe.ui.Dialog({
			title: __("The Register Says Otherwise"),
			fields: [
				{
					fieldtype: "HTML",
					options: `${crm_clients.requisites.sample_notice()}<p>${__(
						"Tick the values to take from the register; the others are kept."
					)}</p>`,
				},
				...differing.map((row, index) => ({
					fieldname: `accept_${index}`,
					fieldtype: "Check",
					label: `${esc(row.label || __(frappe.meta.get_label("Client", row.fieldname)))}: ${esc(
						row.current
					)} → ${esc(row.register)}`,
				})),
			],
			primary_action_label: __("Apply"),
			primary_action(values) {
				dialog.hide();
				callback(differing.filter((row, index) => values[`accept_${index}`]));
			},
		});
		dialog.show();
	},

	// «Обновить реквизиты» on a saved Client: what differs shown first, then the fill
	update(frm) {
		crm_clients.requisites.with_setup(() => {
			frappe
				.call({
					method: "crm_clients.api.compare_requisites",
					args: { client: frm.doc.name },
					freeze: true,
					freeze_message: __("Asking the register..."),
				})
				.then((r) => {
					const differing = (r.message && r.message.differing) || [];
					if (!differing.length) return crm_clients.requisites.fill(frm, []);
					crm_clients.requisites.differences_dialog(frm, differing, (accepted) =>
						crm_clients.requisites.fill(
							frm,
							accepted.map((row) => row.fieldname)
						)
					);
				});
		});
	},

	fill(frm, accept) {
		return frappe
			.call({
				method: "crm_clients.api.fill_requisites",
				args: { client: frm.doc.name, accept },
				freeze: true,
				freeze_message: __("Filling from the register..."),
			})
			.then((r) => {
				const changed = r.message || [];
				frappe.show_alert({
					message: changed.length
						? __("Filled from the register: {0}", [changed.length])
						: __("The Client already agrees with the register."),
					indicator: "green",
				});
				frm.reload_doc();
			});
	},

	// --- the list

	setup_list(listview) {
		if (listview.crm_requisites_ready || !frappe.model.can_write("Client")) return;
		listview.crm_requisites_ready = true;
		listview.page.add_actions_menu_item(__("Update Requisites"), () => {
			const clients = listview.get_checked_items(true);
			if (!clients.length) {
				frappe.msgprint(__("Select the Clients to update."));
				return;
			}
			crm_clients.requisites.with_setup(() =>
				frappe
					.call({
						method: "crm_clients.api.update_requisites",
						args: { clients },
						freeze: true,
						freeze_message: __("Updating requisites..."),
					})
					.then((r) => {
						crm_clients.intake_runs.show_result(r.message);
						listview.clear_checked_items();
						listview.refresh();
					})
			);
		});
		crm_clients.intake_runs.listen();
	},
});

crm_clients.form_on("Client", "requisites", {
	refresh(frm) {
		crm_clients.requisites.setup_form(frm);
	},
	after_save(frm) {
		if (!frm.crm_fill_after_save) return;
		frm.crm_fill_after_save = false;
		crm_clients.requisites.fill(frm, []);
	},
	tax_id(frm) {
		// a new Client's valid ИНН: offer the register's organisations (when a provider is set up)
		const tax_id = (frm.doc.tax_id || "").trim();
		if (frm.doc.__islocal && crm_clients.requisites.inn_is_valid(tax_id) && !frm.doc.legal_name) {
			crm_clients.requisites.find_dialog(frm, true);
		}
	},
});

// the Client list: «Обновить реквизиты» among the actions
crm_clients.extend_list("Client", "requisites", (listview) =>
	crm_clients.requisites.setup_list(listview)
);
