"""A Client filled from the register: the mapping of an `Organisation` to the Client's fields.

- Empty fields are filled; a filled field that differs from the register is never overwritten silently: it is
  returned side by side (`differing`) for the user to accept (`accept`) or keep.
- The register's status and its date are the register's (read-only on the Client); where the values came from
  and when is kept (`requisites_source`, `requisites_fetched_on`).
- The legal address becomes an ERPNext Address linked to the Client (carried to the Customer on conversion),
  the director a contact person (`contacts.make_contact`) with their position.
- ОКВЭД → Industry and region → Business Region through the settings' tables; ОКВЭД without a row of the
  table falls back to the default by ОКВЭД section (an Industry of the section's name, when there is one).
"""

import frappe
from frappe import _
from frappe.utils import now_datetime

from crm_clients import contacts
from crm_clients.persons import Person
from crm_clients.requisites import provider
from crm_clients.requisites.provider import Organisation, RequisitesError
from crm_clients.vocabulary import RUSSIA

# the Client's fields an organisation fills, in the form's order
FIELDS = (
	"client_name",
	"legal_name",
	"client_type",
	"tax_id",
	"kpp",
	"ogrn",
	"ogrn_date",
	"okved",
	"industry",
	"business_region",
)
# the register's own, always as it says
REGISTER_FIELDS = ("register_status", "register_status_date")
ADDRESS = "address"  # the legal address, in `changed` and `differing`
DIRECTOR = "contacts"  # the director's contact row, in `changed`
LEGAL_ADDRESS_TYPE = "Billing"
CACHE_TTL = 300  # seconds an organisation is kept between the form's comparison and its fill

# ОКВЭД 2 sections: the classes (first two digits) of each, and the default Industry's name
SECTIONS = (
	("A", 1, 3, "Сельское, лесное хозяйство, рыболовство"),
	("B", 5, 9, "Добыча полезных ископаемых"),
	("C", 10, 33, "Обрабатывающие производства"),
	("D", 35, 35, "Энергетика"),
	("E", 36, 39, "Водоснабжение, отходы"),
	("F", 41, 43, "Строительство"),
	("G", 45, 47, "Торговля"),
	("H", 49, 53, "Транспорт и хранение"),
	("I", 55, 56, "Гостиницы и общепит"),
	("J", 58, 63, "Информация и связь"),
	("K", 64, 66, "Финансы и страхование"),
	("L", 68, 68, "Недвижимость"),
	("M", 69, 75, "Профессиональная и научная деятельность"),
	("N", 77, 82, "Административные услуги"),
	("O", 84, 84, "Госуправление"),
	("P", 85, 85, "Образование"),
	("Q", 86, 88, "Здравоохранение"),
	("R", 90, 93, "Культура и спорт"),
	("S", 94, 96, "Прочие услуги"),
	("T", 97, 98, "Домашние хозяйства"),
	("U", 99, 99, "Экстерриториальные организации"),
)


class NotFound(RequisitesError):
	"""The register has no organisation of the Client's ИНН."""


# The organisation of a Client


def organisation_of(client) -> Organisation:
	"""The register's organisation of the Client's ИНН (and КПП), kept a few minutes for the fill that follows
	the form's comparison."""
	if not client.tax_id:
		frappe.throw(_("Client {0} has no ИНН to look up.").format(frappe.bold(client.name)), RequisitesError)
	key = f"crm_clients_requisites:{client.tax_id}:{client.kpp or ''}"
	cached = frappe.cache.get_value(key)
	if cached:
		return Organisation(**cached)
	found = provider.find_one(client.tax_id, client.kpp)
	if not found:
		raise NotFound(
			_("The register has no organisation with ИНН {0}: nothing was changed.").format(
				frappe.bold(client.tax_id)
			)
		)
	frappe.cache.set_value(key, found.as_dict(), expires_in_sec=CACHE_TTL)
	return found


def compare(client) -> dict:
	"""The organisation and the Client's fields that differ from it (the form shows them side by side)."""
	org = organisation_of(client)
	plan = plan_changes(client, org)
	return {"organisation": org.as_dict(), "differing": plan["differing"], "empty": plan["empty"]}


def fill(client, accept: list[str] | tuple = ()) -> list[str]:
	"""Fill the saved Client from the register; the changed fieldnames (`address` for its legal address,
	`contacts` for the director's row). Fields that differ are changed only when named in `accept`."""
	org = organisation_of(client)
	plan = plan_changes(client, org)
	changed = []
	for fieldname, value in plan["empty"].items():
		client.set(fieldname, value)
		changed.append(fieldname)
	for row in plan["differing"]:
		if row["fieldname"] in accept and row["fieldname"] != ADDRESS:
			client.set(row["fieldname"], row["register"])
			changed.append(row["fieldname"])
	for fieldname in REGISTER_FIELDS:
		value = getattr(org, fieldname) or None
		if (client.get(fieldname) or None) != value and str(client.get(fieldname) or "") != str(value or ""):
			client.set(fieldname, value)
			changed.append(fieldname)
	if add_director(client, org):
		changed.append(DIRECTOR)
	client.requisites_fetched_on = now_datetime()
	client.requisites_source = org.source
	client.save()
	address = legal_address(client)
	if not address:
		if make_legal_address(client, org):
			changed.append(ADDRESS)
	elif ADDRESS in accept and address_differs(address, org):
		update_legal_address(address, org)
		changed.append(ADDRESS)
	return changed


def plan_changes(client, org: Organisation) -> dict:
	"""`empty`: fieldname → the register's value for the Client's empty fields; `differing`: the filled fields
	whose value differs (with the legal address)."""
	values = client_values(org)
	empty, differing = {}, []
	meta = frappe.get_meta("Client")
	for fieldname in FIELDS:
		value = values.get(fieldname)
		if not value:
			continue
		current = client.get(fieldname)
		if not current:
			empty[fieldname] = value
		elif str(current).strip() != str(value):
			differing.append(
				{
					"fieldname": fieldname,
					"label": _(meta.get_label(fieldname)),
					"current": str(current),
					"register": str(value),
				}
			)
	if not client.get("country"):
		empty["country"] = RUSSIA
	address = legal_address(client) if not client.is_new() else None
	if address and address_differs(address, org):
		differing.append(
			{
				"fieldname": ADDRESS,
				"label": _("Legal Address"),
				"current": address_line(frappe.get_doc("Address", address)),
				"register": org.address or "",
			}
		)
	return {"empty": empty, "differing": differing}


def client_values(org: Organisation) -> dict:
	"""The Client's fields from an organisation."""
	return {
		"client_name": org.client_name,
		"legal_name": org.legal_name,
		"client_type": org.client_type,
		"tax_id": org.tax_id,
		"kpp": org.kpp,
		"ogrn": org.ogrn,
		"ogrn_date": org.ogrn_date,
		"okved": org.okved,
		"industry": industry_of(org.okved),
		"business_region": business_region_of(org.address_parts),
		"register_status": org.register_status,
		"register_status_date": org.register_status_date,
	}


# Mappings


def settings():
	return frappe.get_cached_doc(provider.SETTINGS)


def section_of(okved: str | None) -> tuple | None:
	try:
		number = int((okved or "").split(".")[0])
	except ValueError:
		return None
	return next((section for section in SECTIONS if section[1] <= number <= section[2]), None)


def industry_of(okved: str | None) -> str | None:
	"""The Industry of an ОКВЭД code: the table's longest matching code, else its section's row; without a row,
	the default Industry of the section's name when it exists."""
	if not okved:
		return None
	section = section_of(okved)
	best, best_length = None, -1
	for row in settings().okved_industries:
		key = (row.okved or "").strip().upper()
		if not key:
			continue
		if key.isalpha():
			matches, length = bool(section and section[0] == key), 0
		else:
			matches, length = okved == key or okved.startswith(key + "."), len(key)
		if matches and length > best_length:
			best, best_length = row.industry, length
	if best:
		return best
	if section:
		return frappe.db.get_value("Industry", section[3], "name")
	return None


def business_region_of(parts: dict) -> str | None:
	"""The Business Region of the address's region: the table's row (the register's spelling, «г Москва» or
	«Москва»), else a Business Region of that name."""
	names = [name for name in (parts.get("region"), parts.get("region_name")) if name]
	if not names:
		return None
	lowered = {name.lower() for name in names}
	for row in settings().region_business_regions:
		if (row.region or "").strip().lower() in lowered:
			return row.business_region
	for name in names:
		found = frappe.db.get_value("Business Region", name, "name")
		if found:
			return found
	return None


def load_default_mappings() -> int:
	"""The default ОКВЭД table: a row per section with an Industry of the section's name (made when missing).
	Rows already there are kept; the number of rows added."""
	doc = frappe.get_doc(provider.SETTINGS)
	present = {(row.okved or "").strip().upper() for row in doc.okved_industries}
	added = 0
	for letter, _first, _last, name in SECTIONS:
		if letter in present:
			continue
		if not frappe.db.exists("Industry", name):
			frappe.get_doc({"doctype": "Industry", "industry_name": name}).insert()
		doc.append("okved_industries", {"okved": letter, "industry": name})
		added += 1
	doc.save()
	return added


# The director


def add_director(client, org: Organisation) -> bool:
	"""The director as a contact person of a company (with their position), unless one of that name is there."""
	if not org.director or org.client_type != "Company":
		return False
	name = " ".join(org.director.split()).lower()
	if any(" ".join((row.full_name or "").split()).lower() == name for row in client.contacts):
		return False
	for row in client.contacts:  # names kept in another order («Иван Иванов» for «Иванов Иван»)
		if set((row.full_name or "").lower().split()) == set(name.split()):
			return False
	contact = contacts.make_contact(director_person(org), company_name=client.client_name)
	client.append("contacts", {"contact": contact})
	return True


def director_person(org: Organisation) -> Person:
	"""The register writes a name surname first: «Иванов Иван Иванович»."""
	parts = org.director.split()
	last, first, middle = ([*parts, "", "", ""])[:3] if len(parts) > 1 else ("", parts[0], "")
	return Person(
		first_name=first,
		middle_name=" ".join([middle, *parts[3:]]).strip(),
		last_name=last,
		designation=(org.director_position or "").capitalize()[:140],
	)


# The legal address


def legal_address(client) -> str | None:
	addresses = contacts.linked_to("Address", "Client", client.name)
	if not addresses:
		return None
	legal = frappe.get_all(
		"Address",
		filters={"name": ("in", addresses), "address_type": LEGAL_ADDRESS_TYPE},
		pluck="name",
		order_by="creation asc",
		limit=1,
	)
	return legal[0] if legal else None


def address_values(org: Organisation) -> dict:
	parts = org.address_parts
	return {
		"address_line1": (parts.get("street") or org.address or "")[:240],
		"city": parts.get("city") or parts.get("region") or "",
		"state": parts.get("region") or None,
		"pincode": parts.get("postcode") or None,
		"country": RUSSIA,
	}


def address_line(address) -> str:
	return ", ".join(
		part for part in (address.pincode, address.state, address.city, address.address_line1) if part
	)


def address_differs(address: str, org: Organisation) -> bool:
	if not org.address:
		return False
	doc = frappe.get_doc("Address", address)
	wanted = address_values(org)
	return any((doc.get(key) or "") != (wanted[key] or "") for key in ("address_line1", "city", "pincode"))


def make_legal_address(client, org: Organisation) -> str | None:
	"""The legal address as an Address linked to the Client (when the register gives one and the user may)."""
	values = address_values(org)
	if not values["address_line1"] or not values["city"]:
		return None
	if not frappe.has_permission("Address", "create"):
		return None
	doc = frappe.new_doc("Address")
	doc.update({"address_title": client.client_name, "address_type": LEGAL_ADDRESS_TYPE, **values})
	doc.append(
		"links", {"link_doctype": "Client", "link_name": client.name, "link_title": client.client_name}
	)
	return doc.insert().name


def update_legal_address(address: str, org: Organisation) -> None:
	doc = frappe.get_doc("Address", address)
	doc.update(address_values(org))
	doc.save()


# The intake


def name_from_register(tax_id: str | None, kpp: str | None = None) -> tuple[str, str] | None:
	"""(name, type) of the organisation of an ИНН, for an incoming record that has no name; None when the
	provider is not set up, the ИНН is not valid or not found, or the register cannot be asked now."""
	from crm_clients import tax_ids

	inn = tax_ids.normalize(tax_id)
	if not inn or tax_ids.inn_problem(inn) or not provider.is_configured():
		return None
	try:
		org = provider.find_one(inn, tax_ids.normalize(kpp) or None)
	except RequisitesError:
		return None
	return (org.client_name, org.client_type) if org and org.client_name else None
