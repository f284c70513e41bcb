"""Test data made on the real site: users with the roles the contract names, Clients, Contacts, Leads."""

import frappe
from frappe.utils import random_string

from crm_clients.contacts import insert_contact

# user → roles; committed once per session (idempotent)
TEST_USERS = {
	"crm-sales-user@example.com": ["Sales User"],
	"crm-sales-manager@example.com": ["Sales Manager"],
	"crm-master-manager@example.com": ["Sales Master Manager"],
	"crm-no-crm-role@example.com": ["Stock User"],
	"crm-no-roles@example.com": [],
}
SALES_USER = "crm-sales-user@example.com"
SALES_MANAGER = "crm-sales-manager@example.com"
MASTER_MANAGER = "crm-master-manager@example.com"
NO_CRM_ROLE = "crm-no-crm-role@example.com"
NO_ROLES = "crm-no-roles@example.com"


def make_test_users() -> None:
	for email, roles in TEST_USERS.items():
		if frappe.db.exists("User", email):
			user = frappe.get_doc("User", email)
		else:
			user = frappe.get_doc(
				{
					"doctype": "User",
					"email": email,
					"first_name": email.split("@")[0],
					"send_welcome_email": 0,
					"user_type": "System User",
				}
			).insert(ignore_permissions=True)
		current = {row.role for row in user.roles}
		if current != set(roles):
			user.set("roles", [])
			user.add_roles(*roles) if roles else user.save(ignore_permissions=True)


# Frappe e-mails an assignee through the default outgoing account; with e-mails muted (the tests) and no account,
# Frappe's stand-in account has no address and the assignment fails: the test site gets a real one (never used
# to send: e-mails stay muted and queued in the rolled-back transaction)
OUTGOING_EMAIL_ACCOUNT = "CRM Clients Tests"


def make_outgoing_email_account() -> None:
	if frappe.db.exists("Email Account", {"default_outgoing": 1}):
		return
	frappe.get_doc(
		{
			"doctype": "Email Account",
			"email_account_name": OUTGOING_EMAIL_ACCOUNT,
			"email_id": "crm-clients-tests@example.com",
			"enable_outgoing": 1,
			"default_outgoing": 1,
			"smtp_server": "localhost",
			"no_smtp_authentication": 1,
		}
	).insert(ignore_permissions=True)


def make_contact(first_name: str | None = None, email: str | None = None, phone: str | None = None):
	first_name = first_name or "Contact " + random_string(6)
	contact = frappe.new_doc("Contact")
	contact.first_name = first_name
	contact.last_name = "Testov"
	if email:
		contact.append("email_ids", {"email_id": email, "is_primary": 1})
	contact.flags.ignore_permissions = True
	phones = [{"phone": phone, "is_primary_phone": 1}] if phone else []
	return insert_contact(contact, phones)


def make_client(**values):
	client = frappe.new_doc("Client")
	client.client_name = values.pop("client_name", "Client " + random_string(6))
	contacts = values.pop("contacts", [])
	client.update(values)
	for contact in contacts:
		client.append("contacts", {"contact": contact})
	return client.insert()


def make_lead(**values):
	lead = frappe.new_doc("Lead")
	if not values.get("company_name") and not values.get("first_name"):
		values["first_name"] = "Lead " + random_string(6)
	lead.update(values)
	return lead.insert(ignore_permissions=True)


def make_industry(name: str | None = None, **values):
	return frappe.get_doc(
		{"doctype": "Industry", "industry_name": name or "Industry " + random_string(6), **values}
	).insert()


def make_region(name: str | None = None, **values):
	return frappe.get_doc(
		{"doctype": "Business Region", "region_name": name or "Region " + random_string(6), **values}
	).insert()


def api_credentials(user: str) -> tuple[str, str]:
	"""API key and secret of a test user (made once, committed by the caller's fixture)."""
	from frappe.utils.password import get_decrypted_password

	doc = frappe.get_doc("User", user)
	if not doc.api_key:
		api_key, api_secret = frappe.generate_hash(length=15), frappe.generate_hash(length=15)
		doc.api_key, doc.api_secret = api_key, api_secret
		# saving replaces a Password field's value on the document by asterisks: return the generated one
		doc.save(ignore_permissions=True)
		return api_key, api_secret
	return doc.api_key, get_decrypted_password("User", user, "api_secret")


def make_field_mandatory(doctype: str, fieldname: str) -> None:
	"""Customise the site like an admin would (a Property Setter, rolled back with the test)."""
	from frappe.custom.doctype.property_setter.property_setter import make_property_setter

	make_property_setter(doctype, fieldname, "reqd", 1, "Check", validate_fields_for_doctype=False)
	frappe.clear_cache(doctype=doctype)


def make_client_from_lead_with_contact():
	"""A Client made from a Lead: the Lead's person is a Contact linked to the Lead and on the Client."""
	from crm_clients.leads import make_client as map_lead_to_client

	lead = make_lead(
		company_name="Lead Co " + random_string(6),
		first_name="Anna",
		email_id=f"{random_string(8)}@example.com",
	)
	return map_lead_to_client(lead.name).insert()
