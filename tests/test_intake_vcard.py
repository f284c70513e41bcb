"""vCard files (.vcf) on a real site: versions 2.1 (QUOTED-PRINTABLE Cyrillic with soft line breaks),
3.0 and 4.0; a malformed card in the middle; a repeated file; a card added to a Client's form."""

import time
from pathlib import Path

import pytest

from tests.conftest import skip_module_without_frappe

skip_module_without_frappe()

import frappe
from frappe.utils import random_string

from crm_clients import api
from crm_clients.intake import importer, runner, vcard
from tests.fixtures import NO_CRM_ROLE, make_client
from tests.intake_helpers import client_by_name, contacts_of, counts, upload_fixture

pytestmark = pytest.mark.usefixtures("site")

DATA = Path(__file__).parent / "data"


def read(name: str) -> bytes:
	return (DATA / name).read_bytes()


def test_vcard_21_quoted_printable_cyrillic(site, upload):
	summary = api.import_clients(upload("phone-export.vcf", read("contacts-2.1.vcf")))

	assert summary["failed"] == []
	romashka = client_by_name("ООО «Ромашка»")
	assert summary["created"][0] == romashka.name
	assert romashka.client_type == "Company"
	people = {contact.last_name: contact for contact in contacts_of(romashka)}
	assert set(people) == {"Иванов", "Смирнова"}  # two cards of one organisation: one Client
	ivanov = people["Иванов"]
	assert (ivanov.first_name, ivanov.middle_name, ivanov.designation) == (
		"Иван",
		"Петрович",
		"Генеральный директор",
	)
	assert ivanov.company_name == "ООО «Ромашка»"
	assert ivanov.email_id == "ivanov@romashka.example"
	assert [(p.phone, p.is_primary_mobile_no, p.is_primary_phone) for p in ivanov.phone_nos] == [
		("+7 916 123-45-67", 1, 0),
		("+7 495 123-45-67", 0, 1),
		("+7 495 123-45-68", 0, 0),  # the fax: kept, not primary
	]
	address = frappe.get_doc(
		"Address",
		frappe.db.get_value(
			"Dynamic Link",
			{"parenttype": "Address", "link_doctype": "Contact", "link_name": ivanov.name},
			"parent",
		),
	)
	assert (address.address_line1, address.city, address.pincode, address.country) == (
		"ул. Ленина, д. 1",
		"Москва",
		"101000",
		"Russian Federation",
	)
	assert address.has_link("Client", romashka.name)
	notes = frappe.get_all(
		"Comment", {"reference_doctype": "Contact", "reference_name": ivanov.name}, pluck="content"
	)
	assert any("Встретились на выставке «Иннопром»" in note for note in notes)
	# a card without ORG: the person is an individual client
	kuznetsov = client_by_name("Пётр Кузнецов")
	assert kuznetsov.client_type == "Individual"
	assert contacts_of(kuznetsov)[0].mobile_no == "+7 903 765-43-21"


def test_vcard_30_with_a_malformed_card_in_the_middle(site, upload):
	before = counts()

	summary = api.import_clients(upload("contacts-3.0.vcf", read("contacts-3.0.vcf")))

	assert [entry["record"] for entry in summary["failed"]] == [3]
	assert "card 3" in summary["failed"][0]["error"]
	assert not frappe.db.exists("Contact", {"first_name": "Карточка"})
	vector = client_by_name("АО «Северный ветер»")  # ORG's first component; the department is not the name
	petrov, volkova = contacts_of(vector)
	assert (petrov.first_name, petrov.middle_name, petrov.last_name) == ("Алексей", "Игоревич", "Петров")
	assert [e.email_id for e in petrov.email_ids] == ["petrov@sever-veter.example", "a.petrov@mail.example"]
	assert petrov.mobile_no == "+7 916 555-01-01" and petrov.phone == "+7 812 555-12-12"
	assert volkova.designation == "Менеджер"
	# the card after the malformed one is imported too
	assert client_by_name("Анна Лебедева").client_type == "Individual"
	assert counts()["Client"] == before["Client"] + 2
	assert counts()["Contact"] == before["Contact"] + 3


def test_vcard_40_uri_phones_and_types(site, upload):
	summary = api.import_clients(upload("contacts-4.0.vcf", read("contacts-4.0.vcf")))

	assert summary["failed"] == [] and len(summary["created"]) == 2
	smith = contacts_of(client_by_name("Northwind Traders Ltd"))[0]
	assert (smith.first_name, smith.last_name, smith.designation) == ("John", "Smith", "Sales Director")
	assert (smith.phone, smith.mobile_no) == ("+1 212-555-0147", "+1 212-555-0148")
	address = frappe.db.get_value(
		"Dynamic Link",
		{"parenttype": "Address", "link_doctype": "Contact", "link_name": smith.name},
		"parent",
	)
	assert frappe.db.get_value("Address", address, ["city", "country"]) == ("New York", "United States")
	comments = " ".join(
		frappe.get_all(
			"Comment", {"reference_doctype": "Contact", "reference_name": smith.name}, pluck="content"
		)
	)
	assert "https://northwind.example" in comments and "Moscow trade fair" in comments
	orlova = contacts_of(client_by_name("ООО «Зелёная долина»"))[0]
	assert orlova.mobile_no == "+7 913 111-22-33"


def test_a_repeated_vcard_file_creates_nothing(site, upload):
	file_url = upload("contacts-3.0.vcf", read("contacts-3.0.vcf"))
	first = api.import_clients(file_url)
	after_first = counts()

	again = api.import_clients(file_url)
	also_as_21 = api.import_clients(upload("other.vcf", read("contacts-2.1.vcf")))
	again_21 = api.import_clients(upload("other-again.vcf", read("contacts-2.1.vcf")))

	assert again["created"] == [] and again["contacts"]["created"] == []
	assert sorted(again["matched"]) == sorted(first["created"])
	assert [entry["record"] for entry in again["failed"]] == [3]  # still reported
	assert also_as_21["created"] and again_21["created"] == [] and again_21["contacts"]["created"] == []
	assert counts()["Client"] == after_first["Client"] + len(also_as_21["created"])


def test_a_vcard_added_to_a_clients_form(site, upload):
	client = make_client(client_name="ООО «Форма " + random_string(5) + "»")
	file_url = upload("one.vcf", read("contacts-4.0.vcf").split(b"END:VCARD")[0] + b"END:VCARD\r\n")

	summary = api.add_contacts_from_vcard(client.name, file_url)

	client.reload()
	assert summary["matched"] == [client.name] and summary["created"] == []
	assert [row.full_name for row in client.contacts] == ["John Smith"]
	assert not frappe.db.exists("Client", {"client_name": "Northwind Traders Ltd"})  # its ORG is not used
	api.add_contacts_from_vcard(client.name, file_url)
	client.reload()
	assert len(client.contacts) == 1


def test_adding_a_vcard_to_a_client_needs_write_on_it(site, upload):
	client = make_client()
	file_url = upload("one.vcf", read("contacts-4.0.vcf"))
	frappe.set_user(NO_CRM_ROLE)
	with pytest.raises(frappe.PermissionError):
		api.add_contacts_from_vcard(client.name, file_url)


def test_cards_are_split_so_that_a_broken_one_does_not_stop_the_rest():
	text = read("contacts-3.0.vcf").decode() + "BEGIN:VCARD\nVERSION:3.0\nFN:Без конца\n"
	records = vcard.records_from_vcf(text)
	assert [bool(record.error) for record in records] == [False, False, True, False, True]
	assert records[1].client_name == "АО «Северный ветер»"


# 500 cards in one go


def make_vcards(count: int, tag: str) -> str:
	cards = []
	for index in range(count):
		cards.append(
			"\r\n".join(
				[
					"BEGIN:VCARD",
					"VERSION:3.0",
					f"N:Карточкин{index};Иван;;;",
					f"FN:Иван Карточкин{index}",
					f"ORG:ООО «Визитка {tag} {index // 5}»",
					"TITLE:Менеджер по продажам",
					f"TEL;TYPE=CELL:+7 916 {index // 100:03d}-{index % 100:02d}-{index % 97:02d}",
					f"EMAIL;TYPE=INTERNET:card-{tag}-{index}@example.ru",
					"END:VCARD",
				]
			)
		)
	return "\r\n".join(cards) + "\r\n"


def test_500_cards_import_in_one_go(site, upload):
	tag = random_string(5).lower()
	file = importer.get_file(upload("500.vcf", make_vcards(500, tag)))
	before = counts()
	started = time.monotonic()

	summary = runner.run(importer.make_file_source(file.file_url))

	elapsed = time.monotonic() - started
	print(f"\n500-card vCard file: {elapsed:.1f} s ({summary['counts']})")
	assert summary["failed"] == []
	assert len(summary["created"]) == 100 and len(summary["contacts"]["created"]) == 500
	assert counts()["Contact"] == before["Contact"] + 500
