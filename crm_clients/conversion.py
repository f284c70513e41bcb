"""Conversion of a Client into an ERPNext Customer («Перевести в контрагенты»).

One code path serves the button/API (`convert_client`) and the route: reaching the workflow state whose
status is Converted makes `Client.validate` call `convert` in the same transaction.
"""

import frappe
from frappe import _
from frappe.utils import get_link_to_form

from crm_clients import contacts
from crm_clients.savepoints import all_or_nothing

STATUS_CONVERTED = "Converted"
CONVERSION_SAVEPOINT = "crm_clients_conversion"


def can_convert(client) -> bool:
	"""The right to convert is ERPNext's own: create a Customer, and edit this Client."""
	return bool(
		frappe.has_permission("Customer", "create") and frappe.has_permission("Client", "write", doc=client)
	)


def check_can_convert(client) -> None:
	if not can_convert(client):
		raise frappe.PermissionError(
			_(
				"You are not permitted to convert Client {0} into a Customer: it takes the right to create Customers and to edit the Client. Send it for conversion instead."
			).format(frappe.bold(client.name))
		)


def convert_client(client_name: str) -> str:
	"""Convert a saved Client, all or nothing; return the Customer (the same one on every call)."""
	if not frappe.db.exists("Client", client_name):
		frappe.throw(
			_("Client {0} does not exist.").format(frappe.bold(client_name)), frappe.DoesNotExistError
		)
	# The row lock serialises simultaneous conversions; reading under it sees the committed state.
	client = frappe.get_doc("Client", client_name, for_update=True)
	check_can_convert(client)
	if has_live_customer(client, for_update=True):
		return client.customer

	with all_or_nothing(CONVERSION_SAVEPOINT):
		convert(client)
		client.save()
		move_workflow_to_converted(client)
	return client.customer


def has_live_customer(client, for_update: bool = False) -> bool:
	"""Whether the Client's Customer exists; `for_update` reads past this transaction's snapshot."""
	if not client.customer:
		return False
	return bool(frappe.db.get_value("Customer", client.customer, "name", for_update=for_update))


def convert(client) -> None:
	"""Create (or reuse) the Customer for `client` and link everything; sets the Client's fields, does not save it."""
	check_can_convert(client)
	customer = find_customer_by_tax_id(client)
	if customer:
		link_existing_customer(customer, client)
	else:
		customer = create_customer(client)
	link_contacts(client, customer)
	link_leads(client, customer)
	client.customer = customer.name
	client.status = STATUS_CONVERTED
	close_assignments(client)
	client.add_comment(
		"Info", _("Converted into Customer {0}").format(get_link_to_form("Customer", customer.name))
	)


def close_assignments(client) -> None:
	"""The colleagues' ToDos to convert this Client are done, whoever converted it."""
	from frappe.desk.form.assign_to import close_all_assignments

	# housekeeping of the conversion, not a right of the caller: the ToDos may be assigned to others
	close_all_assignments("Client", client.name, ignore_permissions=True)


def find_customer_by_tax_id(client):
	if not client.tax_id:
		return None
	name = frappe.db.get_value("Customer", {"tax_id": client.tax_id}, "name")
	return frappe.get_doc("Customer", name) if name else None


def link_existing_customer(customer, client) -> None:
	if not customer.get("client"):
		customer.client = client.name
		customer.save()
	customer.add_comment(
		"Info",
		_("Client {0} has the same tax ID {1}: linked to this Customer instead of creating another.").format(
			get_link_to_form("Client", client.name), client.tax_id
		),
	)


def create_customer(client):
	customer = frappe.get_doc(
		{
			"doctype": "Customer",
			"customer_name": client.client_name,
			"customer_type": "Individual" if client.client_type == "Individual" else "Company",
			"tax_id": client.tax_id,
			"customer_group": get_customer_group(),
			"territory": get_territory(client.business_region),
			"industry": get_industry_type(client.industry),
			"lead_name": client.lead if client.lead and frappe.db.exists("Lead", client.lead) else None,
			"customer_primary_contact": contacts.get_primary_contact(client),
			"client": client.name,
		}
	)
	customer.insert()
	customer.add_comment("Info", _("Created from Client {0}").format(get_link_to_form("Client", client.name)))
	return customer


def get_customer_group() -> str | None:
	return frappe.db.get_single_value("Selling Settings", "customer_group") or frappe.db.get_value(
		"Customer Group", {"is_group": 0}, "name"
	)


def get_territory(business_region: str | None) -> str | None:
	"""The region's Territory, else Selling Settings' default, else the root Territory."""
	return (
		get_mapped_territory(business_region)
		or frappe.db.get_single_value("Selling Settings", "territory")
		or frappe.db.get_value("Territory", {"is_group": 1, "parent_territory": ("is", "not set")}, "name")
	)


def get_mapped_territory(business_region: str | None) -> str | None:
	"""The region's Territory, else a Territory of the same name, else none."""
	return erpnext_master_for("Business Region", "territory", "Territory", business_region)


def get_industry_type(industry: str | None) -> str | None:
	"""The industry's Industry Type, else an Industry Type of the same name, else none."""
	return erpnext_master_for("Industry", "industry_type", "Industry Type", industry)


def erpnext_master_for(
	doctype: str, mapping_field: str, erpnext_doctype: str, name: str | None
) -> str | None:
	"""The ERPNext master our master `name` maps to, else the ERPNext master of the same name, else none."""
	if not name:
		return None
	mapped = frappe.db.get_value(doctype, name, mapping_field)
	if mapped:
		return mapped
	return name if frappe.db.exists(erpnext_doctype, name) else None


def link_contacts(client, customer) -> None:
	contacts.link_contacts_to([row.contact for row in client.contacts], "Customer", customer.name)
	primary = contacts.get_primary_contact(client)
	if primary and not customer.customer_primary_contact:
		customer.db_set("customer_primary_contact", primary)


def link_leads(client, customer) -> None:
	"""Every Lead of the Client is Converted, and its Contacts and Addresses get linked to the Customer."""
	leads = frappe.get_all("Lead", filters={"client": client.name}, pluck="name")
	if client.lead and client.lead not in leads and frappe.db.exists("Lead", client.lead):
		leads.append(client.lead)
	for lead in leads:
		frappe.db.set_value("Lead", lead, "status", "Converted")
		for doctype, name in get_lead_contacts_and_addresses(lead):
			contacts.add_link(frappe.get_doc(doctype, name), "Customer", customer.name)


def get_lead_contacts_and_addresses(lead: str) -> list[tuple[str, str]]:
	rows = frappe.get_all(
		"Dynamic Link",
		filters={"parenttype": ("in", ["Contact", "Address"]), "link_doctype": "Lead", "link_name": lead},
		fields=["parenttype", "parent"],
	)
	return [(row.parenttype, row.parent) for row in rows]


def move_workflow_to_converted(client) -> None:
	"""Direct conversion moves the route to its Converted state too (no transition is needed for it)."""
	from crm_clients.setup.workflow import get_converted_state

	converted = get_converted_state()
	if converted:
		fieldname, state = converted
		if client.get(fieldname) != state:
			client.db_set(fieldname, state, update_modified=False)


def get_users_who_can_convert(client) -> list[dict]:
	users = frappe.get_all(
		"User", filters={"enabled": 1, "user_type": "System User"}, fields=["name", "full_name"]
	)
	return [
		user
		for user in users
		if user.name not in ("Administrator", frappe.session.user)
		and frappe.has_permission("Customer", "create", user=user.name)
		and frappe.has_permission("Client", "write", doc=client, user=user.name)
	]
