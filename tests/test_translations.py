"""Russian translation of the app (crm_clients/locale/ru.po) and the «Маркетинг» workspace.

The completeness tests need no site and no third-party package: the app's messages are collected from
its files the way Frappe's extractors do (DocType and Workspace JSON, _() in Python, __() in JS), plus
the strings extraction cannot see (crm_clients/locale/extra_messages.py), and ru.po is parsed here.
The site tests check, as a user whose language is ru, what the desk really shows.
"""

import ast
import json
import re
import runpy
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
APP = REPO / "crm_clients"
LOCALE = APP / "locale"
PO = LOCALE / "ru.po"
POT = LOCALE / "main.pot"
WORKSPACE = APP / "crm_clients" / "workspace" / "marketing" / "marketing.json"

# The seed's vocabulary (the app's Russian words): it wins over ERPNext's.
VOCABULARY = {
	"Client": "Клиент",
	"Clients": "Клиенты",
	"Customer": "Контрагент",
	"Customers": "Контрагенты",
	"Convert to Customer": "Перевести в контрагенты",
	"Industry": "Отрасль",
	"Business Region": "Бизнес-регион",
	"Contact Persons": "Контактные лица",
	"Additional": "Дополнительно",
	"Marketing": "Маркетинг",
}

EXCLUDED_SELECT_FIELDS = {"naming_series"}
NAMING_SERIES = re.compile(r"[A-Z0-9.#-]+-?")  # e.g. CL-.YYYY.-, not a message


# --- reading .po files without babel ------------------------------------------------------------------


def _unquote(text: str) -> str:
	return ast.literal_eval(text) if text.startswith('"') else text


def parse_po(path: Path) -> dict[tuple[str, str | None], dict]:
	"""{(msgid, msgctxt): {"msgstr": str, "fuzzy": bool}} of a .po/.pot file; obsolete entries skipped."""
	entries = {}
	entry: dict = {}
	key = None

	def flush():
		nonlocal entry
		if "msgid" in entry:
			entries[(entry["msgid"], entry.get("msgctxt"))] = {
				"msgstr": entry.get("msgstr", ""),
				"fuzzy": entry.get("fuzzy", False),
			}
		entry = {}

	for line in path.read_text(encoding="utf-8").splitlines():
		line = line.strip()
		if not line:
			flush()
			key = None
		elif line.startswith("#~"):
			continue
		elif line.startswith("#,"):
			if "msgid" in entry:
				flush()
			entry["fuzzy"] = "fuzzy" in line
		elif line.startswith("#"):
			if "msgid" in entry:
				flush()
		elif line.startswith('"') and key:
			entry[key] += _unquote(line)
		else:
			keyword, _, value = line.partition(" ")
			if keyword in ("msgctxt", "msgid") and "msgstr" in entry:
				flush()
			key = keyword
			entry[key] = _unquote(value)
	flush()
	entries.pop(("", None), None)  # the header
	return entries


# --- collecting the app's messages the way Frappe's extractors do ---------------------------------------


def _doctype_messages(data: dict) -> list[str]:
	messages = [data.get("name"), data.get("description")]
	for field in data.get("fields", []):
		messages += [field.get("label"), field.get("description")]
		if field.get("fieldtype") == "Select" and field.get("fieldname") not in EXCLUDED_SELECT_FIELDS:
			options = [option for option in (field.get("options") or "").split("\n") if not option.isdigit()]
			messages += options
	for link in data.get("links", []):
		messages += [link.get("group"), link.get("link_doctype")]
	messages += [perm.get("role") for perm in data.get("permissions", [])]
	return messages


def _workspace_messages(data: dict) -> list[str]:
	messages = [data.get("label")]
	messages += [chart.get("label") for chart in data.get("charts", [])]
	messages += [card.get("label") for card in data.get("number_cards", [])]
	for link in data.get("links", []):
		messages += [link.get("label"), link.get("description")]
	for shortcut in data.get("shortcuts", []):
		messages += [shortcut.get("label"), shortcut.get("format")]
	for block in json.loads(data.get("content") or "[]"):
		if block.get("type") in ("header", "paragraph"):
			messages.append(block.get("data", {}).get("text"))
	return messages


def _python_messages(path: Path) -> list[str]:
	messages = []
	for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
		if (
			isinstance(node, ast.Call)
			and isinstance(node.func, ast.Name)
			and node.func.id in ("_", "_lt")
			and node.args
			and isinstance(node.args[0], ast.Constant)
			and isinstance(node.args[0].value, str)
		):
			messages.append(node.args[0].value)
	return messages


_JS_CALL = re.compile(r"""\b__\(\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|`([^`$]*)`)""")


def _js_messages(path: Path) -> list[str]:
	messages = []
	for match in _JS_CALL.finditer(path.read_text(encoding="utf-8")):
		text = next(group for group in match.groups() if group is not None)
		messages.append(text.encode("utf-8").decode("unicode_escape") if "\\" in text else text)
	return messages


def collect_app_messages() -> set[str]:
	messages: list[str | None] = []
	for path in sorted(APP.rglob("*.json")):
		if "node_modules" in path.parts:
			continue
		data = json.loads(path.read_text(encoding="utf-8"))
		if not isinstance(data, dict):
			continue
		if path.parent.parent.name == "doctype" and data.get("doctype") == "DocType":
			messages += _doctype_messages(data)
		elif path.parent.parent.name == "workspace" and data.get("doctype") == "Workspace":
			messages += _workspace_messages(data)
	for path in sorted(APP.rglob("*.py")):
		messages += _python_messages(path)
	for path in sorted(APP.rglob("*.js")):
		if "dist" not in path.parts and "node_modules" not in path.parts:
			messages += _js_messages(path)
	messages += [msgid for msgid, _comment in extra_messages()["get_extra_messages"]()]
	return {message.strip() for message in messages if message and message.strip()}


def extra_messages() -> dict:
	return runpy.run_path(str(LOCALE / "extra_messages.py"))


def _translated(entries, msgid, context=None) -> str:
	entry = entries.get((msgid, context))
	return entry["msgstr"] if entry and not entry["fuzzy"] else ""


# --- completeness, without a site -----------------------------------------------------------------------


def test_every_message_of_the_app_has_a_ru_translation():
	entries = parse_po(PO)
	missing = sorted(msgid for msgid in collect_app_messages() if not _translated(entries, msgid).strip())
	assert not missing, (
		f"{len(missing)} messages of the app have no ru translation: run scripts/update-translations, "
		f"then translate them in crm_clients/locale/{PO.name}: {missing}"
	)


def test_the_template_and_ru_po_agree_and_every_entry_is_translated():
	template = parse_po(POT)
	entries = parse_po(PO)
	assert template, f"{POT} is empty"
	not_in_po = sorted(key for key in template if key not in entries)
	assert not not_in_po, f"run scripts/update-translations: {not_in_po}"
	untranslated = sorted(key for key in entries if not _translated(entries, *key).strip())
	assert not untranslated, f"untranslated or fuzzy entries in ru.po: {untranslated}"


def test_workflow_names_are_translated():
	entries = parse_po(PO)
	workflow = [
		"Client Conversion",
		"Draft",
		"Pending Conversion",
		"Converted",
		"Send for Conversion",
		"Convert to Customer",
		"Return",
	]
	assert not [msgid for msgid in workflow if not _translated(entries, msgid)]


def test_every_tax_id_problem_has_a_russian_message(site):
	"""tax_ids returns problem codes; data_quality says each one with a literal _() (found by the extractor)."""
	from crm_clients import data_quality, tax_ids

	codes = [
		value
		for name, value in vars(tax_ids).items()
		if name.isupper()
		and not name.startswith("_")
		and isinstance(value, str)
		and name not in ("COMPANY", "INDIVIDUAL")
	]
	site.local.lang = "ru"
	try:
		messages = {code: data_quality.problem_message(code) for code in codes}
	finally:
		site.local.lang = "en"
	assert messages[tax_ids.CHECK_DIGIT_WRONG] == "неверное контрольное число"
	assert all(any("а" <= char <= "я" for char in message) for message in messages.values()), messages


def test_the_seed_vocabulary_wins():
	entries = parse_po(PO)
	for msgid, expected in VOCABULARY.items():
		assert _translated(entries, msgid) == expected, msgid
	# no ru string of the app calls an ERPNext Customer a «Клиент»
	for (msgid, _context), entry in entries.items():
		if "Customer" in msgid and "Client" not in msgid:
			assert "клиент" not in entry["msgstr"].lower(), msgid


def test_placeholders_are_kept():
	placeholder = re.compile(r"\{\d*\}")
	for (msgid, context), entry in parse_po(PO).items():
		if entry["msgstr"]:
			assert sorted(placeholder.findall(entry["msgstr"])) == sorted(placeholder.findall(msgid)), (
				msgid,
				context,
			)


def test_marketing_workspace_file():
	data = json.loads(WORKSPACE.read_text(encoding="utf-8"))
	assert (data["doctype"], data["name"], data["label"], data["title"]) == (
		"Workspace",
		"Marketing",
		"Marketing",
		"Marketing",
	)
	assert data["module"] == "CRM Clients" and data["public"] == 1 and not data.get("is_hidden")
	shortcuts = {shortcut["label"]: shortcut for shortcut in data["shortcuts"]}
	assert shortcuts["Clients"]["link_to"] == "Client"
	assert json.loads(shortcuts["Clients"]["stats_filter"]) == {"status": "Open"}
	links = {link["link_to"] for link in data["links"] if link["type"] == "Link"}
	assert {"Client", "Lead", "Industry", "Business Region"} <= links
	# every block of the page refers to a shortcut, card, chart or number card of the workspace
	names = {
		"shortcut": set(shortcuts),
		"card": {link["label"] for link in data["links"] if link["type"] == "Card Break"},
		"chart": {chart["chart_name"] for chart in data["charts"]},
		"number_card": {card["number_card_name"] for card in data["number_cards"]},
	}
	keys = {
		"shortcut": "shortcut_name",
		"card": "card_name",
		"chart": "chart_name",
		"number_card": "number_card_name",
	}
	for block in json.loads(data["content"]):
		if block["type"] in keys:
			assert block["data"][keys[block["type"]]] in names[block["type"]], block
	for chart in data["charts"]:
		folder = chart["chart_name"].lower().replace(" ", "_")
		assert (APP / "crm_clients" / "dashboard_chart" / folder / f"{folder}.json").exists()
	for card in data["number_cards"]:
		folder = card["number_card_name"].lower().replace(" ", "_")
		assert (APP / "crm_clients" / "number_card" / folder / f"{folder}.json").exists()


# --- on the real site, as a user whose language is ru ---------------------------------------------------

RU_USER = "crm-ru-translations@example.com"


@pytest.fixture
def ru_user(site):
	frappe = site
	from frappe.translate import clear_cache, get_user_lang

	if not frappe.db.exists("User", RU_USER):
		frappe.get_doc(
			{
				"doctype": "User",
				"email": RU_USER,
				"first_name": "Ru",
				"language": "ru",
				"send_welcome_email": 0,
				"roles": [{"role": "Sales User"}, {"role": "Sales Master Manager"}],
			}
		).insert(ignore_permissions=True)
	clear_cache()
	previous_lang = getattr(frappe.local, "lang", "en")
	frappe.set_user(RU_USER)
	frappe.local.lang = get_user_lang(RU_USER)
	yield frappe
	frappe.local.lang = previous_lang
	frappe.set_user("Administrator")


@pytest.mark.usefixtures("site")
def test_ru_user_sees_the_seed_vocabulary(ru_user):
	frappe = ru_user
	assert frappe.local.lang == "ru"
	_ = frappe._
	assert _("Client") == "Клиент"
	assert _("Customer") == "Контрагент"
	assert _("Convert to Customer") == "Перевести в контрагенты"
	assert _("Industry") == "Отрасль"
	assert _("Business Region") == "Бизнес-регион"
	for msgid, expected in VOCABULARY.items():
		assert _(msgid) == expected, msgid
	assert _("Company", context="Client") == "Юридическое лицо"
	assert _("Company") != "Юридическое лицо"  # ERPNext's Company keeps its own word


@pytest.mark.usefixtures("site")
def test_every_app_message_is_shown_in_ru_as_in_our_po(ru_user):
	"""Our translation wins over ERPNext's and Frappe's for every msgid of the app (crm_clients loads last)."""
	frappe = ru_user
	from frappe.translate import get_messages_for_app

	entries = parse_po(PO)
	wrong = {
		msgid: (frappe._(msgid), entry["msgstr"])
		for (msgid, context), entry in entries.items()
		# _() strips HTML before the look-up: workspace headers are checked through their plain text
		if context is None and "<" not in msgid and frappe._(msgid) != entry["msgstr"]
	}
	assert not wrong, "compile the po (bench compile-po-to-mo --app crm_clients --force) and clear the cache"

	# Frappe's own (v14-style) message collection for the app finds nothing we did not translate
	# (the Navbar Items it adds are Frappe's, not the app's)
	untranslated = sorted(
		{message[1] for message in get_messages_for_app("crm_clients") if message[0] != "Navbar:"}
		- {msgid for msgid, _context in entries}
	)
	untranslated = [
		msgid
		for msgid in untranslated
		if msgid and not NAMING_SERIES.fullmatch(msgid) and frappe._(msgid) == msgid
	]
	assert not untranslated


@pytest.mark.usefixtures("site")
def test_ru_boot_translates_the_clients_registry(ru_user):
	"""The desk's search bar matches DocType names through the boot translations (search_utils.js)."""
	frappe = ru_user
	from frappe.translate import get_messages_for_boot

	messages = get_messages_for_boot()
	assert messages["Client"] == "Клиент"
	assert messages["Clients"] == "Клиенты"
	assert messages["Marketing"] == "Маркетинг"
	assert frappe.has_permission("Client", "read")


@pytest.mark.usefixtures("site")
def test_marketing_workspace_is_installed(site):
	frappe = site
	workspace = frappe.get_doc("Workspace", "Marketing")
	assert (workspace.title, workspace.module, workspace.public) == ("Marketing", "CRM Clients", 1)
	links = {link.link_to for link in workspace.links if link.type == "Link"}
	assert {"Client", "Lead", "Industry", "Business Region"} <= links
	clients = next(shortcut for shortcut in workspace.shortcuts if shortcut.link_to == "Client")
	assert json.loads(clients.stats_filter) == {"status": "Open"}
	chart = frappe.get_doc("Dashboard Chart", "Clients by Status")
	# a custom source, so that the statuses are shown translated
	assert (chart.chart_type, chart.source) == ("Custom", "Clients by Status")
	card = frappe.get_doc("Number Card", "Open Clients")
	assert (card.document_type, card.function) == ("Client", "Count")
	assert json.loads(card.filters_json) == [["Client", "status", "=", "Open", False]]
	assert {row.chart_name for row in workspace.charts} >= {"Clients by Status"}
	assert {row.number_card_name for row in workspace.number_cards} == {
		"Open Clients",
		"Overdue Interactions",
	}


@pytest.mark.usefixtures("site")
def test_clients_by_status_chart_speaks_russian(ru_user):
	from crm_clients.crm_clients.dashboard_chart_source.clients_by_status.clients_by_status import get
	from tests import fixtures

	frappe = ru_user
	frappe.set_user("Administrator")
	before = {status: frappe.db.count("Client", {"status": status}) for status in ("Open", "Converted")}
	fixtures.make_client()
	frappe.set_user(RU_USER)

	data = get(no_cache=1)

	assert "Открыт" in data["labels"]
	assert "Open" not in data["labels"]
	values = dict(zip(data["labels"], data["datasets"][0]["values"], strict=True))
	assert values["Открыт"] == before["Open"] + 1
