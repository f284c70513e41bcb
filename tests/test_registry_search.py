"""The search bar's «Клиенты» opens the Client list (flow 1 of tests/e2e drives it in the browser).

Frappe's search bar matches a DocType by its singular name («Клиент»); the app adds the registry under its
plural (crm_clients/public/js/desk.js, loaded on every desk page), and the Client report is called
*Client Overview* («Обзор клиентов»), so that nothing else is offered before the list.
"""

import ast
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parent.parent / "crm_clients"


def test_the_desk_script_adds_the_registry_to_the_search_bar():
	hooks = ast.parse((APP / "hooks.py").read_text())
	include = ast.literal_eval(
		next(
			node.value
			for node in hooks.body
			if isinstance(node, ast.Assign) and node.targets[0].id == "app_include_js"
		)
	)
	assert "/assets/crm_clients/js/desk.js" in ([include] if isinstance(include, str) else include)
	script = (APP / "public" / "js" / "desk.js").read_text()
	assert "make_function_searchable" in script and '__("Clients")' in script
	assert 'frappe.set_route("List", "Client")' in script
	assert "crm_clients.search.search_bar_clients" in script


@pytest.mark.usefixtures("site")
def test_the_client_report_is_no_longer_called_clients(site):
	frappe = site
	assert frappe.db.get_value("Report", "Client Overview", ["ref_doctype", "is_standard"]) == (
		"Client",
		"Yes",
	)
	assert not frappe.db.exists("Report", "Clients")


@pytest.mark.usefixtures("site")
def test_migrating_removes_the_old_clients_report_only(site):
	frappe = site
	from crm_clients.patches import rename_clients_report

	old = frappe.copy_doc(frappe.get_doc("Report", "Client Overview"))
	old.name = old.report_name = "Clients"
	old.flags.ignore_permissions = True
	old.db_insert()  # as an older version of the app installed it
	frappe.flags.in_patch = True  # as `bench migrate` runs it
	try:
		rename_clients_report.execute()
	finally:
		frappe.flags.in_patch = False
	assert not frappe.db.exists("Report", "Clients")

	# a report of an admin's own named "Clients" stays
	mine = frappe.copy_doc(frappe.get_doc("Report", "Client Overview"))
	mine.update({"name": "Clients", "report_name": "Clients", "is_standard": "No", "module": None})
	mine.db_insert()
	rename_clients_report.execute()
	assert frappe.db.exists("Report", "Clients")


# --- the search bar's Clients beside Frappe's global search (public/js/desk.js, run by Node) ---------------

# A desk page reduced to what desk.js touches: Frappe's two search functions (answering as Frappe would), the
# app's method (answering as the server would), and a second app that wraps the same function after ours.
DESK_PAGE = r"""
const vm = require("vm");
const fs = require("fs");
const calls = [];
const frappes_sets = [
	{ title: "Client", fetch_type: "Global", results: [{ label: "CL-1", value: "CL-1" }] },
	{ title: "Lead", fetch_type: "Global", results: [{ label: "CRM-LEAD-1", value: "CRM-LEAD-1" }] },
];
const page = {
	__: (text) => text,
	console,
	Promise,
	frappe: {
		model: { can_read: (doctype) => page.readable.includes(doctype) },
		utils: { escape_html: (text) => String(text).replace(/</g, "&lt;").replace(/>/g, "&gt;") },
		xcall: (method, args) => {
			calls.push(["app", method, args]);
			return Promise.resolve([
				{ doctype: "Client", name: "CL-2", title: "<b>Ромашка</b>", tax_id: "7707083893", client_type: "Company" },
			]);
		},
		search: {
			utils: {
				get_global_results: (keywords, start, limit, doctype = "") => {
					calls.push(["frappe", keywords, start, limit, doctype]);
					return Promise.resolve(frappes_sets.filter((set) => !doctype || set.title === doctype));
				},
				get_search_in_list: (keywords) => [
					{ route: ["List", "Client"], route_options: { name: ["like", "%x%"] } },
					{ route: ["List", "Lead"], route_options: { name: ["like", "%x%"] } },
				],
				make_function_searchable: () => {},
			},
		},
	},
	$: () => ({ on: (event, handler) => page.startup.push(handler) }),
	document: {},
	startup: [],
	readable: ["Client", "Lead"],
};
page.frappe.provide = (name) => {
	let object = page;
	for (const part of name.split(".")) object = object[part] = object[part] || {};
};
vm.createContext(page);
vm.runInContext(fs.readFileSync(process.argv[1], "utf8"), page);
page.startup.forEach((handler) => handler());
// another app extends the same results after this app did
const ours = page.frappe.search.utils.get_global_results;
page.frappe.search.utils.get_global_results = function (...args) {
	return ours.apply(this, args).then((sets) => [...sets, { title: "Other App", results: [{ value: "X" }] }]);
};
const search = (...args) => {
	calls.length = 0;
	return page.frappe.search.utils.get_global_results(...args).then((sets) => ({ sets, calls: [...calls] }));
};
(async () => {
	const out = {
		all: await search("ром", 0, 100),
		client_more: await search("ром", 20, 20, "Client"),
		lead_more: await search("ром", 20, 20, "Lead"),
		in_list: page.frappe.search.utils.get_search_in_list("ромашка in client"),
		filters: ["7707 08", "CL-2026-00001", "ромашка"].map(page.crm_clients.search_bar.list_filters),
	};
	page.readable = ["Lead"];
	out.stock_user = await search("ром", 0, 100);
	console.log(JSON.stringify(out));
})();
"""


def run_desk_page() -> dict:
	import json
	import shutil
	import subprocess

	if not shutil.which("node"):
		pytest.skip("Node.js is not installed")
	script = APP / "public" / "js" / "desk.js"
	result = subprocess.run(
		["node", "-e", DESK_PAGE, str(script)], capture_output=True, text=True, timeout=60, check=True
	)
	return json.loads(result.stdout)


def test_the_search_dialog_lists_the_apps_clients_first_beside_frappes_answer():
	page = run_desk_page()
	frappe_call = ["frappe", "ром", 0, 100, ""]
	app_call = ["app", "crm_clients.search.search_bar_clients", {"text": "ром", "start": 0, "limit": 100}]

	# all doctypes: Frappe asked once, as before; its Client set replaced by the app's, first
	assert sorted(page["all"]["calls"], key=str) == sorted([frappe_call, app_call], key=str)
	assert [s["title"] for s in page["all"]["sets"]] == ["Client", "Lead", "Other App"]
	(client,) = page["all"]["sets"][0]["results"]
	assert client["label"] == "&lt;b&gt;Ромашка&lt;/b&gt;"
	assert client["route"] == ["Form", "Client", "CL-2"]
	assert "7707083893" in client["description"] and "CL-2" in client["description"]
	assert page["all"]["sets"][1]["results"] == [{"label": "CRM-LEAD-1", "value": "CRM-LEAD-1"}]

	# «More» of the Client set: the app's next page only; of another doctype's: Frappe's alone
	assert page["client_more"]["calls"] == [
		["app", "crm_clients.search.search_bar_clients", {"text": "ром", "start": 20, "limit": 20}]
	]
	assert page["lead_more"]["calls"] == [["frappe", "ром", 20, 20, "Lead"]]
	assert [s["title"] for s in page["lead_more"]["sets"]] == ["Lead", "Other App"]

	# a user who may not read Clients: Frappe's answer as it is
	assert page["stock_user"]["calls"] == [frappe_call]
	assert [s["title"] for s in page["stock_user"]["sets"]] == ["Client", "Lead", "Other App"]


def test_find_in_client_filters_the_client_list_by_name_or_inn():
	page = run_desk_page()
	client, lead = page["in_list"]
	assert client["route_options"] == {"client_name": ["like", "%ромашка%"]}
	assert lead["route_options"] == {"name": ["like", "%x%"]}
	assert page["filters"] == [
		{"tax_id": ["like", "770708%"]},
		{"name": ["like", "%CL-2026-00001%"]},
		{"client_name": ["like", "%ромашка%"]},
	]
