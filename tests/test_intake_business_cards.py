"""Photos of business cards on a real site: Tesseract OCR on cards rendered with Pillow (Russian and English,
several layouts and fonts, photographed: turned, softened, JPEG), the prefilled unsaved Client, saving it
after the user's check (matched, not duplicated), the photo attached to the Contact, and the server
without Tesseract."""

import pytest

from tests.conftest import skip_module_without_frappe

skip_module_without_frappe()

import frappe
import pytesseract
from frappe.utils import random_string

from crm_clients import api, phones
from crm_clients.intake import ocr
from tests.business_card_images import write_cards
from tests.fixtures import NO_CRM_ROLE, make_client, make_contact
from tests.intake_helpers import counts, upload_fixture

pytestmark = pytest.mark.usefixtures("site")

needs_tesseract = pytest.mark.skipif(
	not ocr.is_available(), reason="Tesseract OCR with rus and eng is not installed (scripts/lib/bench.sh)"
)
MEASURED = ("organisation", "emails", "phones")  # the bar: at least 90% exactly right
REQUIRED_ACCURACY = 0.9


@pytest.fixture(scope="module")
def cards(tmp_path_factory):
	return write_cards(tmp_path_factory.mktemp("business-cards"))


def recognised_fields(result: dict) -> dict:
	contact = result["contact"]
	return {
		"organisation": result["client_name"]
		if result["client_type"] == "Company" or "ИП" in result["client_name"]
		else "",
		"emails": [row["email_id"] for row in contact["email_ids"]],
		"phones": [phones.normalize(row["phone"]) for row in contact["phone_nos"]],
		"first name": contact["first_name"],
		"last name": contact["last_name"],
		"position": contact["designation"],
		"ИНН": result["tax_id"] or "",
	}


def expected_fields(spec) -> dict:
	return {
		"organisation": spec.organisation,
		"emails": spec.emails,
		"phones": [phones.normalize(phone) for phone in spec.phones],
		"first name": spec.first_name,
		"last name": spec.last_name,
		"position": spec.designation,
		"ИНН": spec.inn,
	}


@needs_tesseract
def test_ocr_accuracy_on_generated_business_cards(site, upload, cards):
	assert len(cards) >= 20
	before = counts()
	right: dict[str, int] = {}
	misses = []
	for spec, path in cards:
		result = api.scan_business_card(upload(path.name, path.read_bytes()))
		got, expected = recognised_fields(result), expected_fields(spec)
		for field, value in expected.items():
			right[field] = right.get(field, 0) + (got[field] == value)
			if got[field] != value:
				misses.append(f"{path.name}: {field}: {got[field]!r} instead of {value!r}")

	total = len(cards)
	languages = {lang: sum(1 for spec, _ in cards if spec.lang == lang) for lang in ("ru", "en")}
	print(
		f"\nBusiness-card OCR on {total} generated photos ({languages['ru']} Russian, {languages['en']} English):"
	)
	print(f"{'field':<14}{'right':>7}{'accuracy':>10}")
	for field, count in right.items():
		print(f"{field:<14}{count:>4}/{total:<3}{count / total:>9.0%}")
	for miss in misses:
		print("  miss:", miss)
	assert counts() == before  # scanning saves nothing
	for field in MEASURED:
		assert right[field] / total >= REQUIRED_ACCURACY, (field, misses)


@needs_tesseract
def test_scan_returns_an_unsaved_client_as_the_form_opens_it(site, upload, cards):
	_spec, path = cards[0]  # ООО «Ромашка», Петров Иван Сергеевич, ИНН 7707083893
	before = counts()

	result = api.scan_business_card(upload(path.name, path.read_bytes()))

	assert counts() == before
	assert (result["doctype"], result["client_name"], result["client_type"]) == (
		"Client",
		"ООО «Ромашка»",
		"Company",
	)
	assert (result["tax_id"], result["country"]) == ("7707083893", "Russian Federation")
	contact = result["contact"]
	assert (contact["first_name"], contact["middle_name"], contact["last_name"]) == (
		"Иван",
		"Сергеевич",
		"Петров",
	)
	assert contact["designation"] == "Генеральный директор"
	assert contact["email_ids"] == [{"email_id": "i.petrov@romashka.ru", "is_primary": 1}]
	assert [
		(row["phone"], row["is_primary_phone"], row["is_primary_mobile_no"]) for row in contact["phone_nos"]
	] == [
		("+7 495 123-45-67", 1, 0),
		("+7 916 765-43-21", 0, 1),
	]
	assert result["website"] == "www.romashka.ru"
	assert "Москва" in result["address"]
	assert "Ромашка" in result["text"]
	assert result["matches"] == {"client": None, "contact": None}


def scanned_card(t: str) -> dict:
	"""What the review dialog sends back after the user checked (and corrected) the recognised card."""
	return {
		"client_name": f"ООО «Визитка {t}»",
		"client_type": "Company",
		"country": "Russian Federation",
		"contact": {
			"first_name": "Иван",
			"last_name": "Визиткин",
			"designation": "Директор",
			"email_ids": [{"email_id": f"vizitkin-{t}@example.ru", "is_primary": 1}],
			"phone_nos": [{"phone": "+7 916 765-43-21", "is_primary_mobile_no": 1, "is_primary_phone": 0}],
		},
		"website": "www.vizitka.example",
		"address": "г. Москва, ул. Ленина, д. 10",
	}


def test_saving_a_checked_card_makes_the_client_and_contact_and_attaches_the_photo(site, upload, cards):
	t = random_string(6).lower()
	_spec, path = cards[1]
	photo = upload(path.name, path.read_bytes())

	saved = api.save_business_card(frappe.as_json(scanned_card(t)), photo)

	assert saved["outcome"] == "created"
	client = frappe.get_doc("Client", saved["client"])
	assert client.client_name == f"ООО «Визитка {t}»"
	assert [row.contact for row in client.contacts] == [saved["contact"]]
	contact = frappe.get_doc("Contact", saved["contact"])
	assert (contact.first_name, contact.last_name, contact.mobile_no) == (
		"Иван",
		"Визиткин",
		"+7 916 765-43-21",
	)
	file = frappe.get_doc("File", {"file_url": photo, "attached_to_doctype": "Contact"})
	assert (file.attached_to_name, file.is_private) == (contact.name, 1)
	address = frappe.db.get_value(
		"Dynamic Link", {"parenttype": "Address", "link_name": contact.name}, "parent"
	)
	assert frappe.db.get_value("Address", address, ["city", "address_line1"]) == (
		"Москва",
		"ул. Ленина, д. 10",
	)

	# the same card scanned again: matched, nothing new
	before = counts()
	again = api.save_business_card(scanned_card(t), upload(path.name, path.read_bytes()))
	assert (again["outcome"], again["client"], again["contact"]) == ("matched", client.name, contact.name)
	assert counts() == before


def test_a_card_joins_an_existing_client_and_contact(site):
	t = random_string(6).lower()
	client = make_client(client_name=f"Визитка {t}")
	known = make_contact("Иван", phone="8 (916) 765-43-21")
	card = scanned_card(t)
	card["contact"]["email_ids"] = []

	saved = api.save_business_card(card)

	assert (saved["outcome"], saved["client"], saved["contact"]) == ("matched", client.name, known.name)
	client.reload()
	assert [row.contact for row in client.contacts] == [known.name]


def test_a_card_saved_into_the_clients_form(site):
	client = make_client()
	saved = api.save_business_card(scanned_card(random_string(6).lower()), client=client.name)
	client.reload()
	assert saved["client"] == client.name and [row.contact for row in client.contacts] == [saved["contact"]]
	assert not frappe.db.exists("Client", {"client_name": ("like", "ООО «Визитка%")})


def test_scanning_needs_create_rights_and_a_photo(site, upload):
	with pytest.raises(frappe.ValidationError, match="JPEG or PNG"):
		api.scan_business_card(upload("card.csv", "a,b\n"))
	frappe.set_user(NO_CRM_ROLE)
	with pytest.raises(frappe.PermissionError):
		api.scan_business_card("/private/files/card.png")
	with pytest.raises(frappe.PermissionError):
		api.save_business_card(scanned_card("x"))


@pytest.fixture
def without_tesseract():
	"""The server as if Tesseract were not installed: pytesseract finds no program to run."""
	command = pytesseract.pytesseract.tesseract_cmd
	pytesseract.pytesseract.tesseract_cmd = "/nonexistent/tesseract"
	yield
	pytesseract.pytesseract.tesseract_cmd = command


def test_without_tesseract_scanning_says_so_and_the_rest_works(site, upload, cards, without_tesseract):
	_spec, path = cards[0]
	assert not ocr.is_available()
	with pytest.raises(frappe.ValidationError, match="Tesseract"):
		api.scan_business_card(upload(path.name, path.read_bytes()))

	summary = api.import_clients(
		upload("still.csv", f"Client Name,First Name\nБез OCR {random_string(5)},Иван\n")
	)
	assert len(summary["created"]) == 1
	assert api.save_business_card(scanned_card(random_string(6).lower()))["outcome"] == "created"
