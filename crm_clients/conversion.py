"""Conversion of a Client into an ERPNext Customer («Перевести в контрагенты»): the business logic.

`Client.convert()` is the one way in — the button and `crm_clients.api.convert_to_customer`, and the route's
transition into its converted state. It checks the right, locks, and calls `make_customer` here inside one
savepoint, then records the result on the Client.
"""

import frappe
from frappe import _
from frappe.utils import get_link_to_form

from crm_clients import contacts, history, masters, naming
from crm_clients.requisites import register

CONVERSION_SAVEPOINT = "crm_clients_conversion"


def can_convert(client) -> bool:
	"""The right to convert is ERPNext's own: create a Customer, and edit this Client."""
	return bool(
		frappe.has_permission("Customer", "create") and frappe.has_permission("Client", "write", doc=client)
	)


def check_can_convert(client) -> None:
	register.check_can_convert(client)  # a liquidated company: only after a Sales Master Manager confirms
	if not can_convert(client):
		raise frappe.PermissionError(
			_(
				"You are not permitted to convert Client {0} into a Customer: it takes the right to create Customers and to edit the Client. Send it for conversion instead."
			).format(frappe.bold(client.name))
		)


def has_live_customer(client, for_update: bool = False) -> bool:
	"""Whether the Client's Customer exists; `for_update` reads past this transaction's snapshot."""
	if not client.customer:
		return False
	return bool(frappe.db.get_value("Customer", client.customer, "name", for_update=for_update))


def make_customer(client) -> str:
	"""Create (or reuse, by tax ID) the Customer for `client` and link its people and Leads; return its name."""
	customer = find_customer_by_tax_id(client)
	if customer:
		check_can_link(customer)
		link_existing_customer(customer, client)
	else:
		try:
			customer = create_customer(client)
		except frappe.PermissionError:
			check_can_edit_lead_contacts(client)
			raise
	link_contacts(client, customer)
	link_leads(client, customer)
	# notes, comments, e-mails, open events and tasks go with it, as ERPNext carries a Lead's
	history.carry_to_customer(client, customer)
	return customer.name


def check_can_link(customer) -> None:
	"""Linking the Client to a Customer with the same tax ID edits that Customer, which on ERPNext v16 re-saves
	its primary Contact. Say before starting if the user may not edit one of them, rather than failing half-way
	with Frappe's bare "No permission". (The app's own links from the contact persons to the Customer are link
	rows: they need no right on the Contacts.)"""
	if not frappe.has_permission("Customer", "write", doc=customer):
		raise frappe.PermissionError(
			_(
				"Customer {0} has the same tax ID and would be linked to this Client, which takes the right to edit it: you may not. Ask a colleague who may, or send the Client for conversion."
			).format(frappe.bold(customer.name))
		)
	if customer.customer_primary_contact:
		check_can_edit_contacts([customer.customer_primary_contact])


def check_can_edit_lead_contacts(client) -> None:
	"""A new Customer made from the Client's Lead was refused: ERPNext links the Lead's Contacts to it by saving
	them. Say which the user may not edit (checked only then: each check costs Frappe a query of every
	permission rule of the user's roles)."""
	if client.lead:
		check_can_edit_contacts(contacts.linked_contacts("Lead", client.lead))


def check_can_edit_contacts(people: list[str]) -> None:
	refused = [
		name for name in dict.fromkeys(people) if not frappe.has_permission("Contact", "write", doc=name)
	]
	if refused:
		raise frappe.PermissionError(
			_(
				"Converting links the contact persons to the Customer, which takes the right to edit them: you may not edit {0}. Ask a colleague who may, or send the Client for conversion."
			).format(", ".join(frappe.bold(name) for name in refused))
		)


def assign_for_conversion(client, user: str, description: str | None = None) -> None:
	"""Assign the Client to a colleague to convert it (Frappe's assignment: a ToDo, a notification), marked as
	the route's: conversion closes it, while the Client's other open ToDos — interactions — go to the Customer."""
	from frappe.desk.form.assign_to import add

	filters = {
		"reference_type": "Client",
		"reference_name": client.name,
		"allocated_to": user,
		"status": "Open",
	}
	existing = set(frappe.get_all("ToDo", filters=filters, pluck="name"))
	args = {"assign_to": [user], "doctype": "Client", "name": client.name}
	if description:
		args["description"] = description
	add(args)
	for todo in set(frappe.get_all("ToDo", filters=filters, pluck="name")) - existing:
		frappe.db.set_value("ToDo", todo, "client_conversion", 1, update_modified=False)


def close_assignments(client) -> None:
	"""The colleagues' ToDos to convert this Client are done, whoever converted it (the Client's other open
	ToDos went to the Customer with its history, `history.move_open_tasks`)."""
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
			"industry": masters.industry_type_of(client.industry),
			"lead_name": client.lead if client.lead and frappe.db.exists("Lead", client.lead) else None,
			"customer_primary_contact": contacts.get_primary_contact(client),
			"client": client.name,
		}
	)
	customer.insert(set_name=naming.customer_name(client))
	customer.add_comment("Info", _("Created from Client {0}").format(get_link_to_form("Client", client.name)))
	return customer


def get_customer_group() -> str:
	"""Selling Settings' default Customer Group, else the first one that is not a group."""
	group = frappe.db.get_single_value("Selling Settings", "customer_group")
	if not group:
		group = frappe.db.get_value("Customer Group", {"is_group": 0}, "name", order_by="lft asc")
		if not group:
			frappe.throw(
				_("There is no Customer Group for the new Customer: set a default one in Selling Settings."),
				title=_("Cannot convert"),
			)
		return group
	check_usable_master("Customer Group", group, _("Customer Group"))
	return group


def get_territory(business_region: str | None) -> str | None:
	"""The region's Territory, else Selling Settings' default, else the root Territory."""
	territory = (
		masters.territory_of(business_region)
		or frappe.db.get_single_value("Selling Settings", "territory")
		or frappe.db.get_value("Territory", {"is_group": 1, "parent_territory": ("is", "not set")}, "name")
	)
	if territory:
		check_usable_master("Territory", territory, _("Territory"))
	return territory


def check_usable_master(doctype: str, name: str, label: str) -> None:
	"""Say clearly when the new Customer's default master is gone or disabled (rather than Frappe's bare link
	error half-way through). A group Customer Group is what ERPNext's own defaults use, and it accepts it."""
	fields = ["name", "disabled"] if frappe.get_meta(doctype).has_field("disabled") else ["name"]
	values = frappe.db.get_value(doctype, name, fields, as_dict=True)
	if not values:
		frappe.throw(
			_("{0} {1} set in Selling Settings does not exist: choose another one.").format(label, name),
			frappe.LinkValidationError,
			title=_("Cannot convert"),
		)
	if values.get("disabled"):
		frappe.throw(
			_("{0} {1} is disabled: enable it or choose another default in Selling Settings.").format(
				label, frappe.bold(name)
			),
			title=_("Cannot convert"),
		)


def link_contacts(client, customer) -> None:
	contacts.link_to(
		"Contact", [row.contact for row in client.contacts], "Customer", customer.name, customer.customer_name
	)
	# the Client's own Addresses (its legal address from the register) go with its people
	contacts.link_to(
		"Address",
		contacts.linked_to("Address", "Client", client.name),
		"Customer",
		customer.name,
		customer.customer_name,
	)
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
		for doctype in ("Contact", "Address"):
			contacts.link_to(
				doctype,
				contacts.linked_to(doctype, "Lead", lead),
				"Customer",
				customer.name,
				customer.customer_name,
			)


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
