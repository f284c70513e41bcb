"""Committed test data for the browser flows, and its clean-up.

A browser sees only what is committed, so the e2e harness commits what the flows start from: one
Russian-speaking user per role (with a password, to log in as a person does), an Industry and a Business
Region, Contacts, Leads and Clients. Names carry the run's token, so they never meet another run's.

Everything the run adds — also what the users create through the browser (Clients, Contacts, Customers,
Leads, Events of interactions, uploaded Files) — is deleted at the end: the names present before the run are
remembered and every other record of the watched doctypes is removed, with the ToDos, Workflow Actions,
comments, shares and versions of the run. The users' saved list settings (filters) are reset at the start, so
that a flow stopped half-way leaves no filter for the next run.
"""

import random
from dataclasses import dataclass, field

import frappe
from frappe.utils import add_to_date, now_datetime, random_string
from frappe.utils.password import update_password

# role → (login, first name, last name, roles); users are kept between runs (like tests/fixtures.py's)
USERS = {
	"sales_user": ("e2e-sales-user@example.com", "Ольга", "Смирнова", ["Sales User"]),
	"sales_manager": ("e2e-sales-manager@example.com", "Игорь", "Петров", ["Sales Manager"]),
	"master_manager": ("e2e-master-manager@example.com", "Анна", "Кузнецова", ["Sales Master Manager"]),
	"system_manager": ("e2e-system-manager@example.com", "Сергей", "Иванов", ["System Manager"]),
}

# what the run may create, deleted at its end in this order: Events first (a Client with an open interaction
# may not be deleted), then Contacts and Addresses (deleting a Lead or a Customer re-saves the Contacts linked
# to it, which would then find their other links gone), masters, and last the uploaded Files still left (those
# attached to a deleted record go with it)
CLEANED_DOCTYPES = (
	"Event",
	"Contact",
	"Address",
	"Lead",
	"Customer",
	"Client",
	"Industry",
	"Business Region",
	"File",
)
# records about those documents, made by the desk on the way (assignments, workflow actions, timelines)
REFERENCES = {
	"ToDo": "reference_type",
	"Workflow Action": "reference_doctype",
	"Comment": "reference_doctype",
	"Communication": "reference_doctype",
	"Version": "ref_doctype",
	"Notification Log": "document_type",
	"Email Queue": "reference_doctype",
	"Activity Log": "reference_doctype",
	"DocShare": "share_doctype",
}

BULK_LEADS = 25
USER_TIME_ZONE = "Europe/Moscow"  # the users' (the site's own may differ: the desk converts)


@dataclass
class User:
	key: str
	email: str
	full_name: str
	password: str


@dataclass
class Data:
	token: str
	users: dict[str, User]
	industry: str
	region: str
	contact: str  # an existing Contact, chosen in a contact row
	contact_name: str
	contact_phone: str
	contact_email: str
	lead: str  # a Lead the Sales User makes a Client from
	lead_company: str
	bulk_leads: list[str]
	bulk_prefix: str
	client_to_convert: str  # Draft Clients: converted directly (flow 5) and along the route (flow 6)
	client_to_convert_name: str
	client_on_route: str
	client_on_route_name: str
	client_to_plan: str  # flow 7: interactions planned with it, and one overdue with another
	client_to_plan_name: str
	overdue_client: str
	overdue_client_name: str
	vcard_client_name: str  # flow 7: an existing Client a card of the imported vCard file is matched to
	card_number: str  # flow 7: digits that make the run's business card its own
	long_client: str  # flow 9: a converted Client with a long name (more than 40 characters)
	long_client_name: str
	pending_client: str  # flow 9: a Client sent for conversion (its status is the longest)
	started: object = None
	existing: dict[str, set[str]] = field(default_factory=dict)


def make() -> Data:
	frappe.set_user("Administrator")
	frappe.db.rollback()
	started = now_datetime()
	existing = {doctype: set(frappe.get_all(doctype, pluck="name")) for doctype in CLEANED_DOCTYPES}
	token = random_string(4).upper()
	users = {key: make_user(key, *values) for key, values in USERS.items()}

	industry = insert({"doctype": "Industry", "industry_name": f"Металлургия {token}"}).name
	region = insert({"doctype": "Business Region", "region_name": f"Урал {token}"}).name
	contact_name = f"Пётр Сидоров {token}"
	contact_email = f"petr.sidorov.{token.lower()}@example.com"
	contact_phone = "+7 912 345-67-89"
	contact = insert(
		{
			"doctype": "Contact",
			"first_name": "Пётр",
			"last_name": f"Сидоров {token}",
			"email_ids": [{"email_id": contact_email, "is_primary": 1}],
			"phone_nos": [{"phone": contact_phone, "is_primary_phone": 1}],
		}
	).name

	lead_company = f"ООО Ромашка {token}"
	lead = insert(
		{
			"doctype": "Lead",
			"first_name": "Мария",
			"last_name": f"Волкова {token}",
			"company_name": lead_company,
			"email_id": f"maria.volkova.{token.lower()}@example.com",
		}
	).name

	bulk_prefix = f"Пакет {token}"
	bulk_leads = [
		insert(
			{
				"doctype": "Lead",
				"first_name": f"Лид {number:02d}",
				"last_name": bulk_prefix,
				"company_name": f"{bulk_prefix} Компания {number:02d}",
			}
		).name
		for number in range(1, BULK_LEADS + 1)
	]

	client_to_convert_name = f"ООО Вектор {token}"
	client_on_route_name = f"АО Маршрут {token}"
	client_to_convert, client_on_route = (
		insert(
			{
				"doctype": "Client",
				"client_name": name,
				"client_type": "Company",
				"industry": industry,
				"business_region": region,
				"contacts": [{"contact": contact}],
			}
		).name
		for name in (client_to_convert_name, client_on_route_name)
	)

	client_to_plan_name = f"ООО Планета {token}"
	overdue_client_name = f"АО Планета-Сервис {token}"  # the registry finds both by «Планета»
	client_to_plan, overdue_client = (
		insert(
			{
				"doctype": "Client",
				"client_name": name,
				"client_type": "Company",
				"industry": industry,
				"business_region": region,
				"contacts": [{"contact": contact}],
			}
		).name
		for name in (client_to_plan_name, overdue_client_name)
	)
	make_overdue_interaction(overdue_client)
	vcard_client_name = f"АО Берёза {token}"
	insert({"doctype": "Client", "client_name": vcard_client_name, "client_type": "Company"})
	long_client_name = f"ООО «Банковские технологии и цифровые решения» {token}"
	long_client = insert(
		{
			"doctype": "Client",
			"client_name": long_client_name,
			"client_type": "Company",
			"industry": industry,
			"business_region": region,
		}
	)
	long_client.convert()
	# and one sent for conversion: the workspace's chart then has all three statuses in its legend
	from frappe.model.workflow import apply_workflow

	pending = insert({"doctype": "Client", "client_name": f"ООО Ожидание {token}", "client_type": "Company"})
	apply_workflow(pending, "Send for Conversion")

	reset_list_settings(users.values())
	forget_chart_data()
	frappe.db.commit()
	return Data(
		token=token,
		users=users,
		industry=industry,
		region=region,
		contact=contact,
		contact_name=contact_name,
		contact_phone=contact_phone,
		contact_email=contact_email,
		lead=lead,
		lead_company=lead_company,
		bulk_leads=bulk_leads,
		bulk_prefix=bulk_prefix,
		client_to_convert=client_to_convert,
		client_to_convert_name=client_to_convert_name,
		client_on_route=client_on_route,
		client_on_route_name=client_on_route_name,
		client_to_plan=client_to_plan,
		client_to_plan_name=client_to_plan_name,
		overdue_client=overdue_client,
		overdue_client_name=overdue_client_name,
		vcard_client_name=vcard_client_name,
		card_number=str(random.randint(1000, 9999)),
		long_client=long_client.name,
		long_client_name=long_client_name,
		pending_client=pending.name,
		started=started,
		existing=existing,
	)


def insert(values: dict):
	return frappe.get_doc(values).insert()


def make_overdue_interaction(client: str) -> None:
	"""A call planned with the Client for an hour ago and still open, as time would have made it: an open
	interaction cannot be planned in the past, so it is planned an hour ahead, its time is moved back, and the
	Client's next interaction is derived again (as the app's scheduled job does when the time has passed).

	Administrator is responsible for it: a notification to a Russian-speaking user, sent from here (in English),
	would fill Frappe's cache of Russian translations with English country names (`get_translated_countries`
	reads the language of the request, not the one asked for) — «Россия» would be «Russia» for the run."""
	from crm_clients.interactions import next_interaction, planning
	from crm_clients.vocabulary import CALL

	event = planning.plan_interaction(client, CALL, str(add_to_date(now_datetime(), hours=1)))
	frappe.db.set_value("Event", event, "starts_on", add_to_date(now_datetime(), hours=-1))
	next_interaction.update_next_interaction(client)


def forget_chart_data() -> None:
	"""The workspace's charts are cached until their *Refresh*: drawn from the run's data, not an earlier one."""
	frappe.cache.delete_keys("chart-data:")
	frappe.cache.delete_keys("crm_clients:clients_by_status:")


def reset_list_settings(users) -> None:
	"""Forget the filters and views the users' lists remember (saved by the desk, cached in Redis)."""
	emails = [user.email for user in users]
	frappe.db.delete("__UserSettings", {"user": ("in", emails)})
	for key in frappe.cache.hkeys("_user_settings"):
		key = frappe.safe_decode(key)
		if key.split("::")[-1] in emails:
			frappe.cache.hdel("_user_settings", key)


def make_user(key: str, email: str, first_name: str, last_name: str, roles: list[str]) -> User:
	if frappe.db.exists("User", email):
		user = frappe.get_doc("User", email)
	else:
		user = frappe.new_doc("User")
		user.email = email
		user.send_welcome_email = 0
	user.update(
		{
			"first_name": first_name,
			"last_name": last_name,
			"language": "ru",
			"time_zone": USER_TIME_ZONE,
			"user_type": "System User",
			"enabled": 1,
		}
	)
	user.set("roles", [{"role": role} for role in roles])
	user.flags.no_welcome_mail = True
	user.save(ignore_permissions=True)
	password = f"E2e-{random_string(12)}!"
	update_password(email, password)
	return User(key=key, email=email, full_name=f"{first_name} {last_name}", password=password)


def clean(data: Data) -> dict[str, int]:
	"""Delete what the run added (see the module's docstring); returns how many of each were deleted."""
	frappe.set_user("Administrator")
	frappe.db.rollback()
	deleted = {}
	# first what refers to the run's records (a Client with an open ToDo or Event may not be deleted)
	delete_references(data)
	for doctype in CLEANED_DOCTYPES:
		names = [name for name in frappe.get_all(doctype, pluck="name") if name not in data.existing[doctype]]
		for name in names:
			frappe.delete_doc(
				doctype,
				name,
				force=True,
				ignore_permissions=True,
				ignore_missing=True,
				delete_permanently=True,
			)
		deleted[doctype] = len(names)
	delete_references(data)  # and the feed Frappe writes of each deletion («Deleted» comments)
	frappe.db.commit()
	return deleted


def delete_references(data: Data) -> None:
	for doctype, field_name in REFERENCES.items():
		frappe.db.delete(doctype, {"creation": (">=", data.started), field_name: ("in", CLEANED_DOCTYPES)})
