"""Fill the benchmark site: masters and the user through Frappe, the bulk through `frappe.db.bulk_insert`.

Organisation i becomes, in one chunk (committed as a whole, so a stopped fill resumes at the next chunk):
- Client i with 2 contact persons (Contact + Contact Email + Contact Phone + Dynamic Link to the Client,
  and the Client Contact rows); every 4th one converted (status Converted, a Customer linked both ways,
  its Contacts linked to the Customer too);
- Customer i, the same name (the converted Client's Customer, with its ИНН; else its own ИНН and 2 Contacts);
- Lead i, with a Contact as ERPNext makes one; odd Leads belong to Client i (`Lead.client`,
  `Client.lead`), even Leads are free (another company) and feed the Lead → Client / Customer measures;
- the `__global_search` rows of the Client and the Customer, as `frappe.utils.global_search` writes them.

Names are made as Frappe makes them (naming series, with `tabSeries` moved on; Contacts "Full Name-Link";
Customers by the Selling Settings' naming), and the derived fields as the app's controller sets them
(`tax_key`, `normalized_name` through `crm_clients.data_quality`).
"""

import random
import time
from datetime import datetime, timedelta

import frappe
from frappe.contacts.doctype.contact.contact import get_full_name
from frappe.utils import now_datetime

from crm_clients import route, status
from crm_clients.data_quality import normalize_name, tax_key
from crm_clients.phones import normalize as normalize_phone

from . import data

FILL_OWNER = "Administrator"  # everything the fill makes; what the measured app code makes is the user's
USER = "bench.user@example.com"
USER_ROLES = ("Sales User", "Sales Manager", "Sales Master Manager")
CHUNK = 1000
CUSTOMER_SERIAL = 2_500_000  # ИНН serials of the Customers that are no Client's (data.INTAKE_SERIAL_START above)  # organisations per chunk (one commit)


# --- masters and the user


def ensure_masters() -> dict:
	"""Industries, Business Regions and their ERPNext twins (Industry Type, Territory, Customer Group)."""
	frappe.set_user("Administrator")
	for name in data.INDUSTRIES:
		insert_missing("Industry Type", name, {"industry": name})
		insert_missing("Industry", name, {"industry_name": name, "industry_type": name})
		insert_missing(
			"Customer Group",
			name,
			{"customer_group_name": name, "parent_customer_group": root("Customer Group")},
		)
	for name in data.REGIONS:
		insert_missing("Territory", name, {"territory_name": name, "parent_territory": root("Territory")})
		insert_missing("Business Region", name, {"region_name": name, "territory": name})
	ensure_user()
	frappe.db.commit()


def root(doctype: str) -> str:
	return frappe.db.get_value(doctype, {"is_group": 1, f"parent_{frappe.scrub(doctype)}": ("is", "not set")})


def insert_missing(doctype: str, name: str, values: dict) -> None:
	if not frappe.db.exists(doctype, name):
		frappe.get_doc({"doctype": doctype, **values}).insert(ignore_permissions=True)


def ensure_user() -> None:
	"""A sales user with full Client / Customer / Lead rights, not a System Manager."""
	if not frappe.db.exists("User", USER):
		user = frappe.get_doc(
			{
				"doctype": "User",
				"email": USER,
				"first_name": "Bench",
				"last_name": "User",
				"send_welcome_email": 0,
				"language": "ru",
			}
		)
		user.insert(ignore_permissions=True)
	user = frappe.get_doc("User", USER)
	missing = [role for role in USER_ROLES if role not in {row.role for row in user.roles}]
	if missing:
		user.add_roles(*missing)


# --- the bulk


class Tables:
	"""Rows waiting for one chunk's insert, per DocType, each with the DocType's defaults."""

	def __init__(self):
		self.rows: dict[str, list[dict]] = {}
		self.templates: dict[str, dict] = {}

	def template(self, doctype: str) -> dict:
		if doctype not in self.templates:
			columns = frappe.db.get_table_columns(doctype)
			doc = frappe.new_doc(doctype, as_dict=True)
			# the defaults a new document has; NULL columns are left to the database (NOT NULL ones have defaults)
			self.templates[doctype] = {c: doc.get(c) for c in columns if doc.get(c) is not None}
		return self.templates[doctype]

	def add(self, doctype: str, values: dict) -> dict:
		row = {**self.template(doctype), **values}
		self.rows.setdefault(doctype, []).append(row)
		return row

	def insert(self) -> int:
		count = 0
		for doctype, rows in self.rows.items():
			fields = list(dict.fromkeys(field for row in rows for field in row))
			frappe.db.bulk_insert(doctype, fields, [[row.get(field) for field in fields] for row in rows])
			count += len(rows)
		self.rows = {}
		return count


class Series:
	"""Names from a naming series, as Frappe makes them (`PREFIX-.YYYY.-` + 5 digits), `tabSeries` kept."""

	def __init__(self, naming_series: str):
		self.prefix = naming_series.replace(".YYYY.", str(now_datetime().year)).replace(".", "")
		self.current = frappe.db.sql("select current from tabSeries where name=%s", self.prefix)
		self.current = self.current[0][0] if self.current else 0

	def next(self) -> str:
		self.current += 1
		return f"{self.prefix}{self.current:05d}"

	def save(self) -> None:
		frappe.db.sql(
			"""insert into tabSeries (name, current) values (%s, %s)
			on duplicate key update current = greatest(current, values(current))""",
			(self.prefix, self.current),
		)


def filled_count() -> int:
	"""Organisations filled so far: the fill's Clients (the app's own Clients are the user's)."""
	return frappe.db.count("Client", {"owner": FILL_OWNER})


def fill(n: int, say=print) -> dict:
	"""Fill up to n organisations; returns what was done and how long it took."""
	started = time.monotonic()
	ensure_masters()
	done = filled_count()
	if done >= n:
		say(f"fill: {done} Clients, Customers and Leads already there (N={n}): nothing to fill")
		return {"filled": 0, "seconds": 0.0, "existing": done}
	say(f"fill: {done} of {n} organisations there, filling {n - done} (chunks of {CHUNK})")
	filler = Filler()
	rows = 0
	for start in range(done, n, CHUNK):
		chunk_started = time.monotonic()
		end = min(start + CHUNK, n)
		for index in range(start, end):
			filler.organisation(index)
		rows += filler.flush()
		frappe.db.commit()
		rate = (end - start) / max(time.monotonic() - chunk_started, 1e-6)
		elapsed = time.monotonic() - started
		say(f"  {end}/{n} organisations, {rows} rows, {elapsed:.0f} s ({rate:.0f} organisations/s)")
	seconds = time.monotonic() - started
	say(f"fill: {n - done} organisations ({rows} rows) in {seconds:.1f} s")
	return {"filled": n - done, "rows": rows, "seconds": seconds, "existing": done}


class Filler:
	def __init__(self):
		self.tables = Tables()
		self.now = now_datetime()
		self.series = {
			doctype: Series(frappe.get_meta(doctype).get_field("naming_series").default or "")
			for doctype in ("Client", "Customer", "Lead")
		}
		self.customer_by_name = frappe.db.get_single_value("Selling Settings", "cust_master_name") != (
			"Naming Series"
		)
		workflow = route.get_workflow()
		self.state_field = workflow.workflow_state_field if workflow else None
		self.open_state = workflow and next(
			(row.state for row in workflow.states if row.update_value == status.OPEN),
			workflow.states[0].state,
		)
		self.converted_state = route.converted_state(workflow)
		self.search_fields = {
			doctype: frappe.get_meta(doctype).get_global_search_fields() for doctype in ("Client", "Customer")
		}
		self.customer_names = set()
		self.search_rows = []
		self.contact_names = set()

	def stamps(self, index: int, salt: str) -> dict:
		rng = random.Random(f"{salt}-{index}")
		created = self.now - timedelta(days=rng.uniform(1, 730))
		modified = min(created + timedelta(days=rng.uniform(0, 60)), self.now)
		return {
			"owner": FILL_OWNER,
			"modified_by": FILL_OWNER,
			"creation": created,
			"modified": modified,
			"docstatus": 0,
		}

	def child(self, parent: dict, parenttype: str, parentfield: str, idx: int) -> dict:
		return {
			"name": frappe.generate_hash(length=10),
			"parent": parent["name"],
			"parenttype": parenttype,
			"parentfield": parentfield,
			"idx": idx,
			"owner": FILL_OWNER,
			"modified_by": FILL_OWNER,
			"creation": parent["creation"],
			"modified": parent["modified"],
			"docstatus": 0,
		}

	def flush(self) -> int:
		rows = self.tables.insert()
		self.contact_names = set()
		if self.search_rows:
			table = frappe.qb.Table("__global_search")
			columns = ("doctype", "name", "content", "published", "title", "route")
			frappe.qb.into(table).columns(*columns).insert(*self.search_rows).ignore().run()
			rows += len(self.search_rows)
			self.search_rows = []
		for series in self.series.values():
			series.save()
		return rows

	# --- one organisation

	def organisation(self, index: int) -> None:
		org = data.organisation(index)
		industry = data.INDUSTRIES[org["industry"]]
		region = data.REGIONS[org["region"]]
		converted = index % 4 == 0

		client_name = self.series["Client"].next()
		customer = self.customer(index, org, industry, region, client_name if converted else None)
		client_values = {
			"name": client_name,
			**self.stamps(index, "client"),
			"client_name": org["client_name"],
			"client_type": org["client_type"],
			"country": org["country"],
			"tax_id": org["tax_id"],
			"kpp": org["kpp"],
			"industry": industry,
			"business_region": region,
			"tax_key": tax_key(org["country"], org["client_type"], org["tax_id"], org["kpp"]),
			"normalized_name": normalize_name(org["client_name"]),
			"status": status.CONVERTED if converted else status.OPEN,
			"customer": customer["name"] if converted else None,
		}
		if self.state_field:
			client_values[self.state_field] = self.converted_state if converted else self.open_state
		lead = None
		if index % 2 == 1:  # odd: the Client's own Lead, same company
			lead = self.lead(index, org, industry, region, client_name)
			client_values["lead"] = lead
		client = self.tables.add("Client", client_values)
		links = [("Client", client_name, org["client_name"])]
		if converted:
			links.append(("Customer", customer["name"], customer["customer_name"]))
		for number in range(2):
			person = data.contact_person(index, number, "c")
			contact = self.contact(person, links, org["client_name"], client)
			row = self.child(client, "Client", "contacts", number + 1)
			row.update(
				contact=contact["name"],
				full_name=contact["full_name"],
				phone=contact["phone"] or contact["mobile_no"],
				email=contact["email_id"],
				is_primary=1 if number == 0 else 0,
			)
			self.tables.add("Client Contact", row)
			if converted and number == 0:
				customer.update(
					customer_primary_contact=contact["name"],
					mobile_no=contact["mobile_no"],
					email_id=contact["email_id"],
				)
		if not converted:
			for number in range(2):
				person = data.contact_person(index, number, "u")
				links = [("Customer", customer["name"], customer["customer_name"])]
				contact = self.contact(person, links, customer["customer_name"], customer)
				if number == 0:
					customer.update(
						customer_primary_contact=contact["name"],
						mobile_no=contact["mobile_no"],
						email_id=contact["email_id"],
					)
		if index % 2 == 0:  # even: a free Lead of another company
			free = data.organisation(10_000_000 + index)
			self.lead(index, free, industry, region, None)
		self.global_search("Client", client)
		self.global_search("Customer", customer)

	def customer(self, index: int, org: dict, industry: str, region: str, client: str | None) -> dict:
		if self.customer_by_name:
			name = self.unique_customer_name(org["client_name"], index)
		else:
			name = self.series["Customer"].next()
		return self.tables.add(
			"Customer",
			{
				"name": name,
				**self.stamps(index, "customer"),
				"customer_name": org["client_name"],
				"customer_type": org["client_type"],
				"customer_group": industry,
				"territory": region,
				# a converted Client's Customer has its ИНН; any other Customer another one (same name, so a
				# fragment searched finds both sides alike), else converting an open Client would find it by ИНН
				"tax_id": org["tax_id"]
				if client
				else data.organisation(index, CUSTOMER_SERIAL + index)["tax_id"],
				"disabled": 0,
				"client": client,
			},
		)

	def unique_customer_name(self, name: str, index: int) -> str:
		"""ERPNext's "Customer Name" naming: a name already taken gets " - n"."""
		if name in self.customer_names or frappe.db.exists("Customer", name):
			name = f"{name} - {index}"
		self.customer_names.add(name)
		return name

	def lead(self, index: int, org: dict, industry: str, region: str, client: str | None, kind="l") -> str:
		person = data.contact_person(index, 0, kind)
		name = self.series["Lead"].next()
		full_name = get_full_name(person["first_name"], person["middle_name"], person["last_name"])
		lead = self.tables.add(
			"Lead",
			{
				"name": name,
				**self.stamps(index, "lead"),
				"first_name": person["first_name"],
				"middle_name": person["middle_name"],
				"last_name": person["last_name"],
				"lead_name": full_name,
				"title": org["client_name"],
				"company_name": org["client_name"],
				"email_id": person["email"],
				"phone": person["phone"],
				"job_title": person["designation"],
				"territory": region,
				"industry": industry,
				"country": org["country"],
				"status": "Lead",
				"client": client,
			},
		)
		self.contact(person, [("Lead", name, org["client_name"])], org["client_name"], lead)
		return name

	def contact(self, person: dict, links: list[tuple], company: str, owner_row: dict) -> dict:
		full_name = get_full_name(person["first_name"], person["middle_name"], person["last_name"])
		name = f"{full_name}-{links[0][1]}"
		if name in self.contact_names:  # two people of one name: Frappe's append_number_if_name_exists
			name += "-1"
		self.contact_names.add(name)
		contact = self.tables.add(
			"Contact",
			{
				"name": name,
				"owner": FILL_OWNER,
				"modified_by": FILL_OWNER,
				"creation": owner_row["creation"],
				"modified": owner_row["modified"],
				"docstatus": 0,
				"first_name": person["first_name"],
				"middle_name": person["middle_name"],
				"last_name": person["last_name"],
				"full_name": full_name,
				"email_id": person["email"],
				"mobile_no": person["phone"],
				"phone": None,
				"designation": person["designation"],
				"company_name": company,
				"status": "Passive",
			},
		)
		email = self.child(contact, "Contact", "email_ids", 1)
		self.tables.add("Contact Email", {**email, "email_id": person["email"], "is_primary": 1})
		phone = self.child(contact, "Contact", "phone_nos", 1)
		phone.update(phone=person["phone"], is_primary_mobile_no=1)
		# Contact.validate's indexed E.164 key (crm_clients.overrides.contact.validate)
		phone["phone_key"] = normalize_phone(person["phone"])
		self.tables.add("Contact Phone", phone)
		for idx, (doctype, name, title) in enumerate(links, start=1):
			link = self.child(contact, "Contact", "links", idx)
			self.tables.add(
				"Dynamic Link", {**link, "link_doctype": doctype, "link_name": name, "link_title": title}
			)
		return contact

	def global_search(self, doctype: str, row: dict) -> None:
		"""The row `frappe.utils.global_search.update_global_search` writes for the document."""
		from frappe.utils.global_search import get_formatted_value

		content = [
			get_formatted_value(row.get(field.fieldname), field)
			for field in self.search_fields[doctype]
			if row.get(field.fieldname)
		]
		title = row.get(frappe.get_meta(doctype).title_field) or row["name"]
		self.search_rows.append((doctype, row["name"], " ||| ".join(content), 0, title, None))
