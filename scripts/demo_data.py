"""Demo data of scripts/dev-server — not part of the app: it lives beside the scripts, so that no site can load it
through the app (`bench execute`, a hook, a patch). scripts/dev-server runs it with the bench's Python:

    cd $FRAPPE_BENCH_PATH/sites && ../env/bin/python path/to/scripts/demo_data.py SITE

- one user per role, in Russian: Sales User, Sales Manager, Sales Master Manager, System Manager, with a password
  made for the site on its first run and kept in the site's config (`crm_clients_demo_password`), which
  scripts/dev-server prints; Administrator gets it too (no fixed password on the demo site);
- Industries and Business Regions mapped to ERPNext's Industry Types and Territories;
- 30 Clients — companies and individuals with valid ИНН/КПП — with contact persons, in every state: open,
  pending conversion (one of them assigned to the Sales Master Manager), converted into Customers;
- Leads with and without Clients.

Everything goes through the app's own code (the Client controller, the route, `Client.convert()`), as the users
would make it. Records are found again by their names, e-mails and ИНН, so a second run creates nothing. The
Client types, statuses and the country are the app's words (crm_clients/vocabulary.py).
"""

import argparse
import json
import secrets
import sys

import frappe
from frappe import _
from frappe.desk.form.assign_to import add as assign
from frappe.model.workflow import apply_workflow
from frappe.utils.nestedset import get_root_of

from crm_clients import tax_ids
from crm_clients.vocabulary import COMPANY, CONVERTED, INDIVIDUAL, OPEN, PENDING, RUSSIA

# the site config key of the demo users' password (made on the first run, printed by scripts/dev-server)
PASSWORD_KEY = "crm_clients_demo_password"

USERS = (
	("sales.user@crm-demo.example", "Ольга", "Продажина", "Sales User"),
	("sales.manager@crm-demo.example", "Павел", "Руководов", "Sales Manager"),
	("master.manager@crm-demo.example", "Марина", "Мастерова", "Sales Master Manager"),
	("admin@crm-demo.example", "Сергей", "Администраторов", "System Manager"),
)
SALES_USER, SALES_MANAGER, MASTER_MANAGER, SYSTEM_MANAGER = (user[0] for user in USERS)

# our Industry → ERPNext Industry Type (its English name; the setup wizard may have made it in Russian)
INDUSTRIES = (
	("Производство", "Manufacturing"),
	("Розничная торговля", "Retail & Wholesale"),
	("IT и телеком", "Technology"),
	("Строительство", "Real Estate"),
	("Логистика", "Transportation"),
	("Финансы", "Financial Services"),
)
# our Business Region → ERPNext Territory (made under the root Territory when missing)
REGIONS = ("Москва", "Санкт-Петербург", "Урал", "Сибирь")

# (name, type, ИНН prefix, КПП, industry, region, state, people); the ИНН check digits are computed
CLIENTS = (
	("ООО «Альфа-Строй»", COMPANY, "770100101", "770101001", 3, 0, OPEN, 2),
	("АО «Северная логистика»", COMPANY, "780200202", "780201001", 4, 1, OPEN, 2),
	("ООО «Уралмаш-Сервис»", COMPANY, "660300303", "660301001", 0, 2, OPEN, 1),
	("ПАО «Сибирский банк»", COMPANY, "540400404", "540401001", 5, 3, OPEN, 2),
	("ООО «Торговый дом Восток»", COMPANY, "770500505", "770501001", 1, 0, OPEN, 1),
	("ООО «Цифровые решения»", COMPANY, "770600606", "770601001", 2, 0, OPEN, 2),
	("ООО «Балтийские перевозки»", COMPANY, "780700707", "780701001", 4, 1, OPEN, 1),
	("АО «Екатеринбургский завод»", COMPANY, "660800808", "660801001", 0, 2, OPEN, 2),
	("ООО «Новосибирск-Ритейл»", COMPANY, "540900909", "540901001", 1, 3, OPEN, 1),
	("ООО «СтройИнвест»", COMPANY, "771001010", "771001001", 3, 0, OPEN, 1),
	("ООО «Нева Софт»", COMPANY, "781101111", "781101001", 2, 1, OPEN, 2),
	("ООО «Агрокомплекс Урал»", COMPANY, "661201212", "661201001", 0, 2, OPEN, 1),
	("ООО «Финансовый партнёр»", COMPANY, "771301313", "771301001", 5, 0, OPEN, 1),
	("ООО «Городская доставка»", COMPANY, "771401414", "771401001", 4, 0, OPEN, 1),
	("ИП Смирнов Иван Петрович", INDIVIDUAL, "7715015150", None, 1, 0, OPEN, 1),
	("ИП Кузнецова Анна Сергеевна", INDIVIDUAL, "7816016160", None, 2, 1, OPEN, 1),
	("Петров Алексей Викторович", INDIVIDUAL, "6617017170", None, None, 2, OPEN, 1),
	("Nordic Trade AB", COMPANY, None, None, 1, None, OPEN, 1),
	("Berlin Machines GmbH", COMPANY, None, None, 0, None, OPEN, 1),
	("ООО «ТехноПарк»", COMPANY, "771801818", "771801001", 2, 0, OPEN, 1),
	("ООО «Северный поток данных»", COMPANY, "781901919", "781901001", 2, 1, PENDING, 2),
	("АО «Уральские сети»", COMPANY, "662002020", "662001001", 2, 2, PENDING, 1),
	("ООО «Сибирь-Логистик»", COMPANY, "542102121", "542101001", 4, 3, PENDING, 1),
	("ИП Волкова Мария Игоревна", INDIVIDUAL, "7722022220", None, 1, 0, PENDING, 1),
	("ООО «Московский хлеб»", COMPANY, "772302323", "772301001", 0, 0, CONVERTED, 2),
	("АО «Петербургские верфи»", COMPANY, "782402424", "782401001", 0, 1, CONVERTED, 1),
	("ООО «Инфосистемы»", COMPANY, "772502525", "772501001", 2, 0, CONVERTED, 1),
	("ООО «Уральский торговый двор»", COMPANY, "662602626", "662601001", 1, 2, CONVERTED, 1),
	("ООО «Банковские технологии»", COMPANY, "772702727", "772701001", 5, 0, CONVERTED, 1),
	("ИП Соколов Дмитрий Андреевич", INDIVIDUAL, "7828028280", None, 1, 1, CONVERTED, 1),
)

FIRST_NAMES = ("Анна", "Борис", "Виктор", "Галина", "Дмитрий", "Елена", "Жанна", "Игорь", "Ксения", "Лев")
LAST_NAMES = (
	"Иванова",
	"Петров",
	"Сидоров",
	"Орлова",
	"Волков",
	"Морозова",
	"Лебедева",
	"Козлов",
	"Новикова",
	"Зайцев",
)
POSITIONS = ("Генеральный директор", "Коммерческий директор", "Менеджер по закупкам", "Главный бухгалтер")

LEADS = (
	# (first name, last name, company, e-mail, Client index or None)
	("Татьяна", "Лидова", "ООО «Альфа-Строй»", "t.lidova@alfa-stroy.example", 0),
	("Роман", "Сергеев", "АО «Северная логистика»", "r.sergeev@sevlog.example", 1),
	("Юлия", "Кравец", "ООО «Цифровые решения»", "y.kravets@digital.example", 5),
	("Олег", "Жуков", "ООО «Северный поток данных»", "o.zhukov@sevpotok.example", 20),
	("Наталья", "Белова", "ООО «Московский хлеб»", "n.belova@moskhleb.example", 24),
	("Артём", "Фролов", "ООО «Вектор»", "a.frolov@vector.example", None),
	("Светлана", "Громова", "ООО «Гранд Отель»", "s.gromova@grand.example", None),
	("Максим", "Егоров", None, "m.egorov@mail.example", None),
	("Ирина", "Полякова", "АО «Химпром»", "i.polyakova@himprom.example", None),
	("Денис", "Комаров", "ООО «Медиа Групп»", "d.komarov@media.example", None),
)


def load(password: str) -> dict:
	"""Create what is missing, the users with `password`; return how many of each demo record the site has."""
	frappe.only_for("System Manager")
	if not password:
		raise ValueError("the demo users need a password (site_password() makes the site's own)")
	make_users(password)
	industries = [make_industry(name, industry_type) for name, industry_type in INDUSTRIES]
	regions = [make_region(name) for name in REGIONS]
	clients = [make_client(index, row, industries, regions) for index, row in enumerate(CLIENTS)]
	for row in LEADS:
		make_lead(row, clients)
	for client, row in zip(clients, CLIENTS, strict=True):
		move_along_the_route(client, row[6])
	return {
		"users": len(USERS),
		"industries": len(industries),
		"regions": len(regions),
		"clients": frappe.db.count("Client", {"name": ("in", clients)}),
		"leads": frappe.db.count("Lead", {"email_id": ("in", [row[3] for row in LEADS])}),
		"converted": frappe.db.count("Client", {"name": ("in", clients), "status": CONVERTED}),
	}


def make_users(password: str) -> None:
	from frappe.utils.password import update_password

	for email, first_name, last_name, role in USERS:
		if not frappe.db.exists("User", email):
			user = frappe.get_doc(
				{
					"doctype": "User",
					"email": email,
					"first_name": first_name,
					"last_name": last_name,
					"language": "ru",
					"send_welcome_email": 0,
					"user_type": "System User",
				}
			).insert()
			user.add_roles(role)
		# they land on the «Маркетинг» workspace: the app's route (hooks.add_to_apps_screen) and the workspace
		meta = frappe.get_meta("User")
		for field, value in (("default_app", "crm_clients"), ("default_workspace", "Marketing")):
			if meta.has_field(field):
				frappe.db.set_value("User", email, field, value)
		update_password(email, password)


def make_industry(name: str, industry_type: str) -> str:
	if not frappe.db.exists("Industry", name):
		mapped = frappe.db.exists("Industry Type", industry_type) or frappe.db.exists(
			"Industry Type", _(industry_type, lang="ru")
		)
		frappe.get_doc({"doctype": "Industry", "industry_name": name, "industry_type": mapped}).insert()
	return name


def make_region(name: str) -> str:
	if not frappe.db.exists("Territory", name):
		frappe.get_doc(
			{"doctype": "Territory", "territory_name": name, "parent_territory": get_root_of("Territory")}
		).insert()
	if not frappe.db.exists("Business Region", name):
		frappe.get_doc({"doctype": "Business Region", "region_name": name, "territory": name}).insert()
	return name


def make_client(index: int, row: tuple, industries: list[str], regions: list[str]) -> str:
	name, client_type, inn_prefix, kpp, industry, region, _state, people = row
	existing = frappe.db.get_value("Client", {"client_name": name}, "name")
	if existing:
		return existing
	client = frappe.new_doc("Client")
	client.update(
		{
			"client_name": name,
			"client_type": client_type,
			"country": RUSSIA if inn_prefix else ("Sweden" if "AB" in name else "Germany"),
			"tax_id": tax_ids.make_inn(inn_prefix) if inn_prefix else None,
			"kpp": kpp,
			"industry": industries[industry] if industry is not None else None,
			"business_region": regions[region] if region is not None else None,
		}
	)
	for person in range(people):
		client.append("contacts", {"contact": make_contact(index, person, name)})
	client.insert()
	return client.name


def make_contact(index: int, person: int, company: str) -> str:
	number = index * 2 + person
	email = f"contact{number:02d}@crm-demo.example"
	existing = frappe.db.get_value("Contact Email", {"email_id": email, "parenttype": "Contact"}, "parent")
	if existing:
		return existing
	from crm_clients.contacts import insert_contact

	contact = frappe.new_doc("Contact")
	contact.update(
		{
			"first_name": FIRST_NAMES[number % len(FIRST_NAMES)],
			"last_name": LAST_NAMES[(number // len(FIRST_NAMES) + number) % len(LAST_NAMES)],
			"designation": POSITIONS[number % len(POSITIONS)],
			"company_name": company,
		}
	)
	contact.append("email_ids", {"email_id": email, "is_primary": 1})
	phone = f"+7 900 {100 + number:03d}-{number % 100:02d}-{(number * 7) % 100:02d}"
	return insert_contact(contact, [{"phone": phone, "is_primary_mobile_no": 1}]).name


def make_lead(row: tuple, clients: list[str]) -> None:
	first_name, last_name, company, email, client_index = row
	if frappe.db.exists("Lead", {"email_id": email}):
		return
	frappe.get_doc(
		{
			"doctype": "Lead",
			"first_name": first_name,
			"last_name": last_name,
			"company_name": company,
			"email_id": email,
			"country": RUSSIA,
			"client": clients[client_index] if client_index is not None else None,
		}
	).insert()


def move_along_the_route(client_name: str, state: str) -> None:
	"""Pending: sent by the Sales User and assigned to the Sales Master Manager; converted: by the Sales User."""
	client = frappe.get_doc("Client", client_name)
	if state == OPEN or client.status != OPEN:
		return
	original_user = frappe.session.user
	try:
		frappe.set_user(SALES_USER)
		if state == PENDING:
			apply_workflow(client, "Send for Conversion")
			assign(
				{
					"doctype": "Client",
					"name": client_name,
					"assign_to": [MASTER_MANAGER],
					"description": _("Convert Client {0} into a Customer").format(client.client_name),
				}
			)
		elif state == CONVERTED:
			client.convert()
	finally:
		frappe.set_user(original_user)


def site_password() -> str:
	"""The site's demo password: made (random) on the first run and kept in the site's config."""
	password = frappe.conf.get(PASSWORD_KEY)
	if not password:
		from frappe.installer import update_site_config

		password = secrets.token_urlsafe(12)
		update_site_config(PASSWORD_KEY, password)
		frappe.conf[PASSWORD_KEY] = password
	return password


def main() -> None:
	parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
	parser.add_argument("site")
	args = parser.parse_args()
	frappe.init(site=args.site, sites_path=".")
	frappe.connect()
	try:
		frappe.set_user("Administrator")
		password = site_password()
		counts = load(password)
		from frappe.utils.password import update_password

		update_password("Administrator", password)
		frappe.db.commit()
		print(json.dumps(counts, ensure_ascii=False))
		print(f"{args.site}: demo data loaded", file=sys.stderr)
	finally:
		frappe.destroy()


if __name__ == "__main__":
	main()
