"""ERPNext's Customer in the seed's words: in ru a sales user meets «Контрагент», and «Клиент» is this app's Client.

ERPNext's (and Frappe's) own ru translation calls a Customer «клиент». The app overrides, in its ru.po
(crm_clients/locale/extra_messages.py lists them), every such string a sales user meets:

* the forms and lists of the Customer, the Lead, the Contact and the Address, and of every Selling and CRM
  document a Sales User may open (their labels, descriptions, options, child tables, custom fields);
* the messages of the Customer and Lead forms and lists (their scripts and controllers, the quick entry);
* the Selling and CRM workspaces, and the reports and document types the sales roles find in the search bar.

What still says «клиент» is listed in tests/data/klient-remaining-erpnext-<major>.tsv (msgid, the ru shown):
a test compares it with the site, so a string that appears or goes away is noticed and sorted.
"""

import json
import os
from pathlib import Path

import pytest

from tests import fixtures
from tests.test_translations import (
	_doctype_messages,
	_js_messages,
	_python_messages,
	_workspace_messages,
)

pytestmark = pytest.mark.usefixtures("site")

DATA = Path(__file__).parent / "data"
SALES_USERS = (fixtures.SALES_USER, fixtures.SALES_MANAGER, fixtures.MASTER_MANAGER)
FORMS = ("Customer", "Lead", "Contact", "Address")
MODULES = ("Selling", "CRM")
SCRIPTS = (  # of ERPNext, relative to the erpnext package
	"selling/doctype/customer/customer.js",
	"selling/doctype/customer/customer_list.js",
	"selling/doctype/customer/customer.py",
	"selling/doctype/customer/customer_dashboard.py",
	"public/js/utils/customer_quick_entry.js",
	"public/js/utils/contact_address_quick_entry.js",
	"crm/doctype/lead/lead.js",
	"crm/doctype/lead/lead_list.js",
	"crm/doctype/lead/lead.py",
	"crm/doctype/lead/lead_dashboard.py",
	"public/js/utils/sales_common.js",
	"public/js/utils/party.js",
)
WORKSPACES = ("selling/workspace/selling/selling.json", "crm/workspace/crm/crm.json")


def says_klient(text: str | None) -> bool:
	return "клиент" in (text or "").lower()


def doctype_json(doctype: str) -> dict:
	import frappe

	meta = frappe.get_meta(doctype)
	folder = frappe.scrub(doctype)
	path = Path(frappe.get_module_path(meta.module)) / "doctype" / folder / f"{folder}.json"
	return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def form_messages(doctype: str) -> set[str]:
	"""Labels, descriptions and options of a form, of its child tables, and of its custom fields; the
	messages of its controller and its form and list scripts."""
	import frappe

	data = doctype_json(doctype)
	messages = set(_doctype_messages(data))
	folder = Path(frappe.get_module_path(frappe.get_meta(doctype).module)) / "doctype" / frappe.scrub(doctype)
	for name in (f"{folder.name}.py", f"{folder.name}.js", f"{folder.name}_list.js"):
		path = folder / name
		if path.exists():
			messages.update(_js_messages(path) if path.suffix == ".js" else _python_messages(path))
	for field in data.get("fields", []):
		if field.get("fieldtype") in ("Table", "Table MultiSelect"):
			messages.update(_doctype_messages(doctype_json(field["options"])))
	for field in frappe.get_all("Custom Field", filters={"dt": doctype}, fields=["label", "description"]):
		messages.update((field.label, field.description))
	return messages


def messages_a_sales_user_meets() -> set[str]:
	import frappe
	from frappe.boot import get_allowed_report_names
	from frappe.utils.user import UserPermissions

	erpnext = Path(frappe.get_app_path("erpnext"))
	messages = set()
	for doctype in FORMS:
		messages |= form_messages(doctype)
	for script in SCRIPTS:
		path = erpnext / script
		if path.exists():
			messages.update(_js_messages(path) if path.suffix == ".js" else _python_messages(path))
	for workspace in WORKSPACES:
		path = erpnext / workspace
		if path.exists():
			messages.update(_workspace_messages(json.loads(path.read_text(encoding="utf-8"))))
	for user in SALES_USERS:
		frappe.set_user(user)
		messages |= get_allowed_report_names()
		permissions = UserPermissions(user)
		permissions.build_permissions()
		for doctype in permissions.can_read:
			meta = frappe.get_meta(doctype)
			if meta.istable:
				continue
			messages.add(doctype)  # the search bar offers its list
			if meta.module in MODULES:
				messages |= form_messages(doctype)
	frappe.set_user("Administrator")
	return {message.strip() for message in messages if message and message.strip()}


@pytest.fixture(scope="module")
def translations(_connected_site):
	"""(ERPNext's and Frappe's own ru, the ru the site shows with this app's ru.po on top)."""
	from frappe.translate import get_translations_from_apps

	return get_translations_from_apps("ru", ["frappe", "erpnext"]), get_translations_from_apps("ru")


def is_about_our_client(msgid: str) -> bool:
	return "Client" in msgid  # the app's own word: «Клиент» is right there


def test_what_a_sales_user_meets_of_the_customer_says_kontragent(translations):
	theirs, shown = translations
	still_klient = {
		msgid: shown.get(msgid)
		for msgid in messages_a_sales_user_meets()
		if says_klient(theirs.get(msgid)) and not is_about_our_client(msgid) and says_klient(shown.get(msgid))
	}
	assert not still_klient, (
		"ERPNext strings a sales user meets still call a Customer «клиент»: add them to VOCABULARY in "
		"crm_clients/locale/extra_messages.py, run scripts/update-translations and translate them with "
		f"«контрагент»: {still_klient}"
	)


def test_the_remaining_klient_strings_are_listed(translations):
	"""Every ru string that still says «клиент» — outside what a sales user meets, or this app's Client —
	is in the list for this ERPNext version (UPDATE_KLIENT_LIST=1 rewrites it from the site)."""
	import erpnext

	theirs, shown = translations
	remaining = {
		msgid: shown[msgid]
		for msgid in theirs
		if says_klient(shown.get(msgid)) and not is_about_our_client(msgid)
	}
	listed_file = DATA / f"klient-remaining-erpnext-{erpnext.__version__.split('.')[0]}.tsv"
	if os.environ.get("UPDATE_KLIENT_LIST"):
		write_list(listed_file, remaining)
	if not listed_file.exists():
		print(
			f"no {listed_file.name}: the {len(remaining)} ru strings still saying «клиент»: {sorted(remaining)}"
		)
		return
	listed = read_list(listed_file)
	assert set(remaining) == set(listed), (
		f"the ru strings still saying «клиент» changed: check that a sales user does not meet the new ones, "
		f"then UPDATE_KLIENT_LIST=1 rewrites {listed_file.name}. New: {sorted(set(remaining) - set(listed))}; "
		f"gone: {sorted(set(listed) - set(remaining))}"
	)


def read_list(path: Path) -> dict[str, str]:
	"""msgid → ru, one JSON-quoted pair a line after the header."""
	rows = (line.split("\t") for line in path.read_text(encoding="utf-8").splitlines()[1:] if line)
	return {json.loads(msgid): json.loads(text) for msgid, text in rows}


def write_list(path: Path, remaining: dict[str, str]) -> None:
	path.parent.mkdir(exist_ok=True)
	lines = ["msgid\tru shown in the desk (JSON strings)"]
	lines += [
		f"{json.dumps(msgid, ensure_ascii=False)}\t{json.dumps(text, ensure_ascii=False)}"
		for msgid, text in sorted(remaining.items())
	]
	path.write_text("\n".join(lines) + "\n", encoding="utf-8")
