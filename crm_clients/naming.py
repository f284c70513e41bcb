"""The names the app gives the documents it names after people and companies: Contacts (as Frappe's
`Contact.autoname`) and Customers (as ERPNext's `Customer.autoname` by Customer Name).

Frappe's `append_number_if_name_exists` — how a Contact named after a person ("Иван Петров-3") and ERPNext's
Customer named after the Client ("Ромашка - 2") get a name already taken — looks for the highest number with a
REGEXP over every name of the table: a scan that grows with the registry (100–400 ms at 100,000 Contacts or
Customers, for each common name). The same rule here, the highest number + 1, reads only the names that start
with "Name<separator>": a range of the primary key.
"""

import frappe
from frappe.contacts.doctype.contact.contact import get_full_name

CUSTOMER_NAME_LENGTH = 130  # room for ERPNext's " - N" within Frappe's 140 characters


def append_number_if_name_exists(doctype: str, value: str, separator: str = "-") -> str:
	if not frappe.db.exists(doctype, value):
		return value
	prefix = f"{value}{separator}"
	taken = frappe.db.sql_list(
		f"select name from `tab{doctype}` where name like %s",
		(escape_like(prefix) + "%",),
	)
	numbers = [int(name[len(prefix) :]) for name in taken if name[len(prefix) :].isdigit()]
	return f"{prefix}{max(numbers, default=0) + 1}"


def contact_name(contact) -> str:
	"""The name Frappe's Contact.autoname gives a new Contact — its full name, then its first link's document —
	made unique as above."""
	return append_number_if_name_exists("Contact", contact_base_name(contact))


def contact_base_name(contact) -> str:
	name = get_full_name(contact.first_name, contact.middle_name, contact.last_name, contact.company_name)
	for link in contact.links:
		name = f"{name}-{link.link_name.strip()}"
		break
	return name


def next_number(name: str, base: str, separator: str = "-") -> str:
	"""The name after `name` in the row `base`, `base-1`, `base-2`…"""
	suffix = name[len(base) + len(separator) :] if name.startswith(base + separator) else ""
	return f"{base}{separator}{int(suffix) + 1 if suffix.isdigit() else 1}"


def customer_name(client) -> str | None:
	"""The new Customer's name when ERPNext names Customers by their name (None: its naming series decides).

	Any saved Client converts: its name made acceptable to Frappe and ERPNext — no "<" or ">", not a Customer
	Group's name, not "Customer" or "New Customer…", room for a suffix — and unique the way ERPNext makes
	it (" - 1", " - 2"…). The Customer's `customer_name` keeps the Client's name as it is.
	"""
	if frappe.defaults.get_global_default("cust_master_name") != "Customer Name":
		return None
	name = " ".join(client.client_name.replace("<", "‹").replace(">", "›").split())[:CUSTOMER_NAME_LENGTH]
	if name == "Customer" or name.startswith("New Customer"):
		name = f"«{name}»"
	if frappe.db.exists("Customer Group", name):
		name = f"{name} ({client.name})"
	return append_number_if_name_exists("Customer", name, separator=" - ")


def escape_like(text: str) -> str:
	"""A text to match as it is in a LIKE pattern."""
	return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
