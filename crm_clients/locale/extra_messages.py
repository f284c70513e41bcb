"""User-visible strings of crm_clients that Frappe's extraction (`bench generate-pot-file`) cannot see.

Used by `scripts/update-translations` (adds them to main.pot before `bench update-po-files`, which would
otherwise drop their translations from ru.po) and by tests/test_translations.py. Pure Python: the app's
source files are read with `ast`/`json`, nothing is imported, so it works without Frappe or a site.

* the app's title and module (hooks.py, modules.txt);
* the plain text of workspace headers (the desk translates the text inside the HTML);
* labels of the v16 Workspace Sidebar and Desktop Icon (folders v15's extraction does not read);
* ERPNext words that the seed's vocabulary overrides in ru: a Customer is a «Контрагент», because a
  «Клиент» is this app's Client. crm_clients is loaded after erpnext, so its translation wins.
"""

import ast
import json
import re
from pathlib import Path

APP = Path(__file__).resolve().parent.parent

# ERPNext/Frappe strings shown around the Client flow whose ru translation must follow the seed.
VOCABULARY = (
	"Customer",
	"Customers",
	"New Customer",
	"Customer Name",
	"Customer Type",
	"Customer Group",
	"Customer Details",
	"Customer Primary Contact",
	"Customer Primary Address",
	"Create Customer",
	# what a sales user meets of ERPNext's Customer (form, list, reports, Selling and CRM forms and
	# workspaces, the Customer's messages) and ERPNext's ru says «клиент»: tests/test_vocabulary.py finds them
	"A Customer Group exists with same name please change the Customer name or rename the Customer Group",
	"Account Manager",
	"Allow Multiple Sales Orders Against a Customer's Purchase Order",
	"Additional information regarding the customer.",
	"Could not auto create Customer due to the following missing mandatory field(s):",
	"Credit limit has been crossed for customer {0} ({1}/{2})",
	"Credit limit reached for customer {0}",
	"Customer / Lead Address",
	"Customer Acquisition and Loyalty",
	"Customer Address",
	"Customer Addresses And Contacts",
	"Customer Credit Balance",
	"Customer Credit Limit",
	"Customer POS Id",
	"Customer POS id",
	"Customer Warehouse (Optional)",
	"Customer's Item Code",
	"Customer's Purchase Order",
	"Customer's Purchase Order Date",
	"Customer {0} does not belong to project {1}",
	"Customer-wise Item Price",
	"Customer Naming By",
	"Customers Without Any Sales Transactions",
	"Default Customer Group",
	"From Customer",
	"Hide Customer's Tax ID from Sales Transactions",
	"Inactive Customers",
	"Is Internal Customer",
	"New credit limit is less than current outstanding amount for the customer. Credit limit has to be atleast {0}",
	"Notify customer and agent via email on the day of the appointment.",
	"Please create Customer from Lead {0}.",
	"Rate at which customer's currency is converted to company's base currency",
	"Select, to make the customer searchable with these fields",
	"Warning: Sales Order {0} already exists against Customer's Purchase Order {1}",
	"Client",
	"Clients",
	"New Client",
	"Contact Persons",
	"Contact Person",
	"Additional",
	"Industry",
	"Business Region",
	"Marketing",
	"Lead",
	"Leads",
	# Frappe's own words on the Client's pages, missing from Frappe's ru (or, "Report {0}", mistranslated)
	"Connections",
	"Report {0}",
	"Search for {0}",
	"This form is not editable due to a Workflow.",
	# ERPNext's Activities and Notes (erpnext/public/js/templates/crm_activities.html, crm_notes.html,
	# utils/crm_activities.js) on the Client's form, missing from ERPNext's ru
	"New Task",
	"New Event",
	"Open Tasks",
	"Open Events",
	"Open Task",
	"Open Event",
	"No open task",
	"No open event",
	"Allocated To:",
	"Mark As Closed",
	"New Note",
	"No Notes",
	"Add a Note",
	"Edit Note",
	# ERPNext 16's (its ru calls a Customer, a Prospect or an Opportunity «клиент»)
	"Customer Defaults",
	"Changed customer name to '{}' as '{}' already exists.",
	"Multiple Loyalty Programs found for Customer {}. Please select manually.",
	"Sales Order {0} already exists against Customer's Purchase Order {1}. To allow multiple Sales Orders, Enable {2} in {3}",
	"Supplier delivers to Customer",
	"Sales Order Schedule",
	"Lead -> Prospect",
	"'Allow Multiple Sales Orders Against a Customer's Purchase Order'",
	"Create Opportunity",
	"Auto close Opportunity Replied after the no. of days mentioned above",
	"Customer Portal Users",
	"Get Customer Group Details",
	"Create Prospect",
	# msgids the app uses only in the "Client" context (below): their plain entry keeps Frappe's word
	"Done",
	"Cancelled",
)


# Words whose ru translation depends on where they are shown: (msgid, msgctxt). The desk looks a Select
# option or a field label up with the DocType as context first, e.g. __("Company", null, "Client").
CONTEXTUAL = (
	("Company", "Client"),
	("Individual", "Client"),
	("Open", "Client"),
	("Converted", "Client"),
	# kinds and states of interactions (the Client's next_interaction_type and interaction_status, the report)
	("Call", "Client"),
	("Meeting", "Client"),
	("Email", "Client"),
	("Other", "Client"),
	("Task", "Client"),
	("Not Planned", "Client"),
	("Planned", "Client"),
	("Overdue", "Client"),
	("Done", "Client"),
	("Cancelled", "Client"),
	# the status pills of the Client list, short enough for their column at 1366 px
	("Open", "Client list"),
	("Pending Conversion", "Client list"),
	("Converted", "Client list"),
)


def _app_and_module_names() -> list[str]:
	"""The app's title (hooks.py) and its modules (modules.txt), shown in the desk."""
	names = []
	for node in ast.parse((APP / "hooks.py").read_text(encoding="utf-8")).body:
		if (
			isinstance(node, ast.Assign)
			and any(isinstance(target, ast.Name) and target.id == "app_title" for target in node.targets)
			and isinstance(node.value, ast.Constant)
		):
			names.append(node.value.value)
	modules = APP / "modules.txt"
	if modules.exists():
		names += [line.strip() for line in modules.read_text(encoding="utf-8").splitlines() if line.strip()]
	return names


def _workspace_header_texts() -> list[str]:
	texts = []
	for path in sorted((APP / "crm_clients" / "workspace").glob("*/*.json")):
		data = json.loads(path.read_text(encoding="utf-8"))
		for block in json.loads(data.get("content") or "[]"):
			if block.get("type") in ("header", "paragraph"):
				text = re.sub(r"<[^>]+>", "", block.get("data", {}).get("text") or "")
				text = text.replace("&amp;", "&").replace("&nbsp;", " ").strip()
				if text:
					texts.append(text)
	return texts


def _v16_sidebar_labels() -> list[str]:
	"""Labels of the v16 Workspace Sidebar and Desktop Icon (app-level folders v15 does not read)."""
	labels = []
	for folder in ("workspace_sidebar", "desktop_icon"):
		for path in sorted((APP / folder).glob("*.json")):
			data = json.loads(path.read_text(encoding="utf-8"))
			labels += [data.get("title"), data.get("label")]
			labels += [item.get("label") for item in data.get("items", [])]
	return [label for label in labels if label]


def get_extra_messages() -> list[tuple[str, str]]:
	"""(msgid, comment) pairs, in a stable order, without duplicates."""
	messages: dict[str, str] = {}

	def add(values, comment):
		for value in values:
			if value and value.strip():
				messages.setdefault(value, comment)

	add(_app_and_module_names(), "Title or module of the crm_clients app")
	add(_workspace_header_texts(), "Header text of a crm_clients Workspace")
	add(_v16_sidebar_labels(), "Label in the crm_clients Workspace Sidebar or Desktop Icon (Frappe v16)")
	add(VOCABULARY, "ERPNext vocabulary overridden by crm_clients in ru (seed: Customer = Контрагент)")
	return list(messages.items())


def get_contextual_messages() -> list[tuple[str, str, str]]:
	"""(msgid, msgctxt, comment) triples."""
	return [(msgid, context, f"{msgid!r} in the DocType {context}") for msgid, context in CONTEXTUAL]


if __name__ == "__main__":
	for msgid, _comment in get_extra_messages():
		print(msgid)
