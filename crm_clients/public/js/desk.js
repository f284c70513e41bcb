// Desk-wide (crm_clients): the search bar and the Clients registry.
//
// 1. Typing «Клиенты» offers the Client list first, as the seed says. Frappe matches a DocType by its singular
//    name only («Клиент»), so the registry is added under its plural, the way Frappe adds its own
//    "Background Jobs".
// 2. «Search for …» (Frappe's search dialog) lists Clients first, found the registry's way: every word from
//    its start in any order, an ИНН, an ID, a contact person, a fragment of a word; at once after a save;
//    only the Clients the user may read (crm_clients.search.search_bar_clients). Frappe's global search
//    matches the first word only, from an index its scheduler refreshes every 15 minutes, and lists every
//    Client to whoever may read Clients. `frappe.utils.global_search.search` is left to Frappe: the app
//    wraps the desk's `frappe.search.utils.get_global_results` (the same in Frappe v15 and v16), asks
//    Frappe as before and puts its own Client results in place of Frappe's, beside Frappe's answer for the
//    other doctypes. Another app may wrap the same function: each wrapper calls the one it found.
// 3. «Find … in Client» opens the Client list filtered by the name (or by the ИНН's start), not by the ID
//    alone as Frappe does for every doctype.

frappe.provide("crm_clients.search_bar");

crm_clients.search_bar.DOCTYPE = "Client";

// Frappe's result sets for the search dialog ({title, fetch_type, results}), with the Clients first:
// the Client set found by the app replaces Frappe's; every other set is Frappe's answer.
crm_clients.search_bar.wrap_global_results = function (utils) {
	const frappes = utils.get_global_results;
	if (!frappes || frappes.crm_clients) return;
	const DOCTYPE = crm_clients.search_bar.DOCTYPE;
	const extended = function (keywords, start, limit, doctype = "") {
		if (doctype && doctype !== DOCTYPE) return frappes.apply(this, arguments);
		if (!frappe.model.can_read(DOCTYPE)) return frappes.apply(this, arguments);
		const clients = crm_clients.search_bar.get_client_set(keywords, start, limit);
		if (doctype === DOCTYPE) return clients.then((set) => (set ? [set] : []));
		return Promise.all([clients, frappes.apply(this, arguments)]).then(([set, others]) => [
			...(set ? [set] : []),
			...(others || []).filter((other) => other.title !== DOCTYPE),
		]);
	};
	extended.crm_clients = true;
	utils.get_global_results = extended;
};

crm_clients.search_bar.get_client_set = function (keywords, start, limit) {
	return frappe
		.xcall("crm_clients.search.search_bar_clients", { text: keywords, start, limit })
		.then((rows) =>
			rows && rows.length
				? {
						title: crm_clients.search_bar.DOCTYPE,
						fetch_type: "Global",
						results: rows.map(crm_clients.search_bar.client_result),
				  }
				: null
		)
		.catch((error) => {
			console.error(error);
			return null;
		});
};

// A Client as Frappe's dialog shows a result: the name as the link, the ID, ИНН and type below it
crm_clients.search_bar.client_result = function (row) {
	const escape = frappe.utils.escape_html;
	const field = (label, value) =>
		`<span class="field-name text-muted">${escape(label)}: </span> ${escape(value)}`;
	const description = [field(__("ID"), row.name)];
	if (row.tax_id) description.push(field(__("Tax ID"), row.tax_id));
	if (row.client_type) description.push(escape(row.client_type));
	return {
		label: escape(row.title || row.name),
		value: row.name,
		description: description.join(", "),
		route: ["Form", row.doctype, row.name],
	};
};

// «Find … in Client»: Frappe filters every doctype's list by `name like %…%`; a Client's name is its ID
// («CL-2026-00001»), so the text filters the Client Name (an ИНН: the Tax ID from its start) unless it is an ID.
crm_clients.search_bar.wrap_search_in_list = function (utils) {
	const frappes = utils.get_search_in_list;
	if (!frappes || frappes.crm_clients) return;
	const extended = function (keywords) {
		const options = frappes.apply(this, arguments) || [];
		const text = (keywords || "").split(" in ")[0].trim();
		options.forEach((option) => {
			if (option.route?.[0] === "List" && option.route[1] === crm_clients.search_bar.DOCTYPE) {
				option.route_options = crm_clients.search_bar.list_filters(text);
			}
		});
		return options;
	};
	extended.crm_clients = true;
	utils.get_search_in_list = extended;
};

crm_clients.search_bar.list_filters = function (text) {
	if (/^[\d\s]+$/.test(text)) return { tax_id: ["like", text.replace(/\s/g, "") + "%"] };
	// an ID: letters, a dash, digits («CL-2026-…»)
	if (/^[^\s\d-]+-\d/.test(text)) return { name: ["like", "%" + text + "%"] };
	return { client_name: ["like", "%" + text + "%"] };
};

$(document).on("startup", () => {
	const utils = frappe.search?.utils;
	if (!utils) return;
	crm_clients.search_bar.wrap_global_results(utils);
	crm_clients.search_bar.wrap_search_in_list(utils);
	if (!utils.make_function_searchable || !frappe.model.can_read("Client")) return;
	utils.make_function_searchable(() => frappe.set_route("List", "Client"), __("Clients"));
});

// A form's handlers from a script that hooks.py loads as the doctype's form script and as its list script (the
// list's menus call the same functions): Frappe evaluates the list script whenever it loads the doctype (the form
// too), so its handlers would run twice on every refresh; they are registered once.
crm_clients.form_on = function (doctype, key, handlers) {
	const registered = (crm_clients.form_handlers = crm_clients.form_handlers || new Set());
	if (registered.has(`${doctype}:${key}`)) return;
	registered.add(`${doctype}:${key}`);
	frappe.ui.form.on(doctype, handlers);
};

// A list's settings extended by the app (the Lead's, kept from ERPNext; the Client's, kept from client_list.js and
// the app's other scripts): `setup(listview)` runs after the list's own onload, once per `key`.
crm_clients.extend_list = function (doctype, key, setup) {
	const settings = (frappe.listview_settings[doctype] = frappe.listview_settings[doctype] || {});
	const flag = `crm_clients_${key}_extended`;
	if (settings[flag]) return;
	settings[flag] = true;
	const own_onload = settings.onload;
	settings.onload = function (listview) {
		if (own_onload) own_onload.apply(this, arguments);
		setup(listview);
	};
};
