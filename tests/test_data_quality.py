"""Data quality on the Client (real site): Russian ИНН/КПП rules, duplicates, similar names."""

import pytest

from tests.conftest import skip_module_without_frappe

skip_module_without_frappe()


from crm_clients.data_quality import normalize_name
from tests import fixtures

pytestmark = pytest.mark.usefixtures("site")

RUSSIA = "Russian Federation"
SBER_INN, SBER_KPP = "7707083893", "773601001"  # ПАО Сбербанк, published bank details
PERSON_INN = "500100732259"  # a valid 12-digit ИНН


def russian_client(**values):
	values.setdefault("country", RUSSIA)
	return fixtures.make_client(**values)


def test_valid_company_and_individual_tax_ids_are_accepted_and_trimmed(site):
	company = russian_client(client_type="Company", tax_id=f"  {SBER_INN} ", kpp=f" {SBER_KPP}\u00a0")
	assert (company.tax_id, company.kpp) == (SBER_INN, SBER_KPP)
	person = russian_client(client_type="Individual", tax_id=PERSON_INN)
	assert person.tax_id == PERSON_INN


@pytest.mark.parametrize(
	"client_type, tax_id, kpp, message",
	[
		("Company", "7707083894", None, "check digit is wrong"),
		("Company", PERSON_INN, None, "must have 10 digits for a company"),
		("Individual", SBER_INN, None, "must have 12 digits for an individual"),
		("Company", "77070838A3", None, "must contain digits only"),
		("Company", "7707 083893", None, "must contain digits only"),
		("Company", SBER_INN, "77360100", "must have 9 characters"),
		(
			"Company",
			SBER_INN,
			"7736ab001",
			"must be 4 digits, 2 digits or capital Latin letters, then 3 digits",
		),
		("Individual", PERSON_INN, SBER_KPP, "KPP is for companies only"),
	],
)
def test_bad_russian_tax_ids_are_refused_with_what_is_wrong(site, client_type, tax_id, kpp, message):
	before = site.db.count("Client")
	with pytest.raises(site.ValidationError, match=message) as error:
		russian_client(client_type=client_type, tax_id=tax_id, kpp=kpp)
	assert error.value.http_status_code == 417
	assert site.db.count("Client") == before


def test_foreign_tax_ids_are_free_text(site):
	client = fixtures.make_client(country="Germany", tax_id="DE 123456789", kpp=None)
	assert client.tax_id == "DE 123456789"


def test_second_company_with_the_same_inn_and_kpp_is_refused_naming_the_first(site):
	first = russian_client(client_name="Сбербанк", tax_id=SBER_INN, kpp=SBER_KPP)
	with pytest.raises(site.DuplicateEntryError) as error:
		russian_client(client_name="Сбер again", tax_id=SBER_INN, kpp=SBER_KPP)
	assert first.name in str(error.value)
	# another branch (another КПП) of the same company is a different Client
	assert russian_client(client_name="Сбербанк, филиал", tax_id=SBER_INN, kpp="773643001")


def test_second_individual_with_the_same_inn_is_refused(site):
	first = russian_client(client_type="Individual", tax_id=PERSON_INN)
	with pytest.raises(site.DuplicateEntryError, match=first.name):
		russian_client(client_type="Individual", tax_id=PERSON_INN)


def test_editing_a_client_does_not_count_it_as_its_own_duplicate(site):
	client = russian_client(tax_id=SBER_INN, kpp=SBER_KPP)
	client.client_name = "ПАО Сбербанк России"
	client.save()


def test_similar_name_warns_with_a_link_but_saves(site):
	first = fixtures.make_client(client_name='ООО "Ромашка"')
	site.local.message_log = []
	second = fixtures.make_client(client_name="  ромашка   LLC ")
	assert second.name
	messages = " ".join(str(message) for message in site.local.message_log)
	assert first.name in messages


@pytest.mark.parametrize(
	"name, normalized",
	[
		('ООО "Ромашка"', "ромашка"),
		("«Ромашка», ООО", "ромашка"),
		("ПАО  Сбербанк", "сбербанк"),
		("ИП Иванов Иван", "иванов иван"),
		("Acme Ltd.", "acme"),
		("ACME, LLC", "acme"),
	],
)
def test_name_normalisation(name, normalized):
	assert normalize_name(name) == normalized


def test_the_duplicate_checks_are_indexed(site):
	indexed = {row.Column_name for row in site.db.sql("show index from `tabClient`", as_dict=True)}
	assert {"tax_id", "normalized_name"} <= indexed
