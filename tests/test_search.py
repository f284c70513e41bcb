"""Finding a Client as a user types: the link field's search and the search bar (crm_clients/search.py).

The full-text indexes see committed rows only (InnoDB), so the Clients here are committed and removed after
each test."""

import pytest

from tests.conftest import skip_module_without_frappe

skip_module_without_frappe()

import frappe
from frappe.desk.search import search_link
from frappe.utils import random_string

from tests import fixtures

pytestmark = pytest.mark.usefixtures("site")


@pytest.fixture
def registry(committed):
	"""Three committed Clients with a unique word each, one with a contact person and a valid ИНН."""
	tag = random_string(5).lower()
	person = committed.add(fixtures.make_contact(f"Евлампий{tag}"))
	clients = {
		"romashka": committed.add(
			fixtures.make_client(
				client_name=f"ООО «Ромашка{tag}-Плюс»",
				country="Russian Federation",
				tax_id="7707083893",
				kpp="773601001",
				contacts=[person.name],
			)
		),
		"vasilek": committed.add(fixtures.make_client(client_name=f"Василёк{tag} Торг")),
		"ab": committed.add(fixtures.make_client(client_name=f"AB Kl{tag}")),
	}
	frappe.db.commit()
	return tag, clients


def found(txt, **kwargs):
	return [result["value"] for result in search_link("Client", txt, **kwargs)]


def test_a_word_of_the_name_is_found_from_its_start(registry):
	tag, clients = registry
	assert found(f"ромашка{tag}") == [clients["romashka"].name]
	assert found(f"ромашка{tag[:2]}") and clients["romashka"].name in found(f"ромашка{tag[:2]}")
	# the second word, from its start, with another word's start
	assert found(f"торг василёк{tag}") == [clients["vasilek"].name]
	# legal form and quotes do not matter
	assert found(f"ООО «Ромашка{tag}") == [clients["romashka"].name]


def test_the_result_shows_the_name_and_the_tax_id(registry):
	tag, clients = registry
	(result,) = search_link("Client", f"ромашка{tag}")
	assert result["value"] == clients["romashka"].name
	assert result["label"] == f"ООО «Ромашка{tag}-Плюс»"
	assert "7707083893" in result["description"]


def test_an_inn_is_found_from_its_start(registry):
	_tag, clients = registry
	assert clients["romashka"].name in found("770708")


def test_a_contact_persons_name_finds_the_client(registry):
	tag, clients = registry
	assert found(f"евлампий{tag}") == [clients["romashka"].name]


def test_what_the_index_cannot_hold_is_still_found(registry):
	"""A short word (not in the full-text index) with a longer one; a fragment from the middle of a word."""
	tag, clients = registry
	assert found(f"ab kl{tag}") == [clients["ab"].name]
	assert found(f"ашка{tag}") == [clients["romashka"].name]
	assert found(clients["vasilek"].name) == [clients["vasilek"].name]


def test_the_link_fields_filters_apply(registry):
	tag, clients = registry
	assert found(f"ромашка{tag}", filters={"client_type": "Individual"}) == []
	assert found(f"ромашка{tag}", filters={"client_type": "Company"}) == [clients["romashka"].name]


def test_only_clients_the_user_may_read(registry):
	from crm_clients.search import client_query

	tag, clients = registry
	frappe.set_user(fixtures.SALES_USER)
	assert found(f"василёк{tag}") == [clients["vasilek"].name]
	# refused (Frappe answers a refused search query with an empty list)
	frappe.set_user(fixtures.NO_CRM_ROLE)
	assert found(f"василёк{tag}") == []
	with pytest.raises(frappe.PermissionError):
		client_query("Client", f"василёк{tag}", "name", 0, 10, None)


def test_the_search_bar_finds_clients_in_the_registry(registry):
	from crm_clients.search import global_search

	tag, clients = registry
	results = global_search(f"ромашка{tag}", doctype="Client")
	assert [row["name"] for row in results] == [clients["romashka"].name]
	assert f"Ромашка{tag}-Плюс" in results[0]["content"]
	assert [row["name"] for row in global_search("7707083", doctype="Client")].count(
		clients["romashka"].name
	) == 1
	frappe.set_user(fixtures.NO_CRM_ROLE)
	assert global_search(f"ромашка{tag}", doctype="Client") == []


def test_the_search_bar_goes_through_the_app_over_http(registry):
	"""The desk calls frappe.utils.global_search.search: the hook routes Client searches to the registry."""
	hooks = frappe.get_hooks("override_whitelisted_methods")
	assert hooks["frappe.utils.global_search.search"] == ["crm_clients.search.global_search"]
	assert frappe.get_hooks("standard_queries")["Client"] == ["crm_clients.search.client_query"]


def test_the_registry_has_its_indexes(site):
	def indexes(table):
		return {row[2] for row in frappe.db.sql(f"show index from `{table}`")}

	assert {
		"normalized_name_fulltext",
		"industry_region_status_modified",
		"region_status_modified",
	} <= indexes("tabClient")
	assert "full_name_fulltext" in indexes("tabClient Contact")
	assert {"crm_clients_lead_name", "crm_clients_tax_id"} <= indexes("tabCustomer")
	# Frappe names a search_index "contact" on a new table and "contact_index" when a migrate adds it
	assert frappe.db.get_column_index("tabClient Contact", "contact")
	assert "crm_clients_email_id" in indexes("tabContact Email")


def test_a_foreign_tax_id_is_found_from_its_start(committed):
	tag = random_string(6).upper()
	client = committed.add(
		fixtures.make_client(client_name=f"Foreign {tag}", country="United Kingdom", tax_id=f"GB{tag}99")
	)
	frappe.db.commit()
	assert found(f"GB{tag}") == [client.name]


def test_the_search_bar_across_all_doctypes_shows_clients_by_a_words_start(registry):
	"""Frappe's search across doctypes finds whole words only; the Clients come first, found the registry's way."""
	from crm_clients.search import global_search

	tag, clients = registry
	results = global_search(f"ромашка{tag[:3]}")
	assert [row["name"] for row in results if row["doctype"] == "Client"] == [clients["romashka"].name]
	assert results[0]["doctype"] == "Client"


def test_the_result_shows_the_type_in_the_users_words(registry):
	tag, _clients = registry
	frappe.local.lang = "ru"
	try:
		(result,) = search_link("Client", f"ромашка{tag}")
	finally:
		frappe.local.lang = "en"
	assert "Юридическое лицо" in result["description"]
