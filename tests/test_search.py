"""Finding a Client as a user types: the link field's search and the search bar (crm_clients/search.py).

The full-text indexes see committed rows only (InnoDB), so the Clients here are committed and removed after
each test."""

import random

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


def test_digits_from_the_middle_of_an_inn_and_a_fragment_are_found(registry):
	"""Not an ИНН's start nor a word's: Frappe's `LIKE` search, bounded, finds them in the link field and the
	search bar, and the page is still ordered (names starting with the text first)."""
	tag, clients = registry
	assert found("0708389") == [clients["romashka"].name]
	assert bar("0708389") == [clients["romashka"].name]
	assert found(f"ёк{tag}") == [clients["vasilek"].name]
	assert sorted(found(tag)) == sorted(client.name for client in clients.values())


def test_a_fragment_is_found_in_any_case_and_with_e_for_yo(registry, committed):
	"""A fragment from the middle of a word in capitals, «е» typed for «ё», digits from a name or an ID: found in
	the link field and the search bar; a renamed Client by its new name at once."""
	tag, clients = registry
	assert found(f"АШКА{tag.upper()}-ПЛ") == [clients["romashka"].name]
	assert found(f"силек{tag}") == [clients["vasilek"].name]
	assert bar(f"силек{tag}") == [clients["vasilek"].name]
	number = str(random.randint(10_000_000, 99_999_999))
	numbered = committed.add(fixtures.make_client(client_name=f"Склад-{number} {tag}"))
	frappe.db.commit()
	assert found(number[2:7]) == [numbered.name]
	assert bar(number[2:7]) == [numbered.name]
	assert clients["vasilek"].name in found(clients["vasilek"].name[3:].lower())
	frappe.db.set_value("Client", numbered.name, "client_name", f"Амбар-{number} {tag}")
	frappe.db.commit()
	assert found(f"мбар-{number[:4]}") == [numbered.name]


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


def bar(txt, start=0, limit=20):
	"""The search bar's Clients (the dialog of «Search for …» asks for them beside Frappe's global search)."""
	from crm_clients.search import search_bar_clients

	return [row["name"] for row in search_bar_clients(txt, start=start, limit=limit)]


def test_the_search_bar_finds_clients_by_a_words_start_and_an_inn(registry):
	from crm_clients.search import search_bar_clients

	tag, clients = registry
	assert bar(f"ромашка{tag}") == [clients["romashka"].name]
	# a word's start, at once after the save (Frappe's global search index waits for its scheduler)
	assert bar(f"ромашка{tag[:3]}").count(clients["romashka"].name) == 1
	assert bar(f"плюс ромашка{tag}") == [clients["romashka"].name]
	assert bar("7707083").count(clients["romashka"].name) == 1
	assert bar(f"евлампий{tag}") == [clients["romashka"].name]
	(row,) = search_bar_clients(f"ромашка{tag}")
	assert row == {
		"doctype": "Client",
		"name": clients["romashka"].name,
		"title": f"ООО «Ромашка{tag}-Плюс»",
		"tax_id": "7707083893",
		"client_type": "Company",
	}
	assert bar("") == []


def test_the_search_bar_pages_its_clients_once(registry):
	"""A fragment from the middle of the three names (the tag) finds all three: pages of at most `limit`."""
	tag, clients = registry
	everything = bar(tag)
	assert sorted(everything) == sorted(client.name for client in clients.values())
	assert bar(tag, limit=2) == everything[:2]
	assert bar(tag, start=2, limit=2) == everything[2:]
	assert bar(tag, start=3, limit=2) == []


def test_the_search_bar_shows_a_sales_user_only_the_clients_they_may_read(registry):
	"""A Sales User restricted to one Client by a User Permission; a Stock User may not read Clients at all."""
	tag, clients = registry
	frappe.set_user(fixtures.SALES_USER)
	assert sorted(bar(tag)) == sorted(client.name for client in clients.values())
	frappe.set_user("Administrator")
	restriction = frappe.get_doc(
		{
			"doctype": "User Permission",
			"user": fixtures.SALES_USER,
			"allow": "Client",
			"for_value": clients["vasilek"].name,
			"apply_to_all_doctypes": 1,
		}
	).insert()
	try:
		frappe.set_user(fixtures.SALES_USER)
		assert bar(tag) == [clients["vasilek"].name]
		assert bar(f"ромашка{tag}") == []
		assert bar("7707083") == []
		assert bar(f"василёк{tag[:2]}") == [clients["vasilek"].name]
	finally:
		frappe.set_user("Administrator")
		frappe.delete_doc("User Permission", restriction.name)

	frappe.set_user(fixtures.NO_CRM_ROLE)  # a Stock User
	with pytest.raises(frappe.PermissionError):
		bar(f"василёк{tag}")


def test_the_search_bar_has_no_clients_once_taken_out_of_global_search(registry):
	"""An admin's Global Search Settings decide, as for Frappe's own search."""
	tag, clients = registry
	settings = frappe.get_single("Global Search Settings")
	settings.allowed_in_global_search = [
		row for row in settings.allowed_in_global_search if row.document_type != "Client"
	]
	settings.save()
	try:
		assert bar(f"ромашка{tag}") == []
	finally:
		frappe.db.rollback()
		frappe.cache.hdel("global_search", "search_priorities")
	assert bar(f"ромашка{tag}") == [clients["romashka"].name]


def test_frappes_global_search_stays_frappes(registry, committed):
	"""`frappe.utils.global_search.search`, called by the desk over HTTP, is Frappe's own: no app overrides it,
	and its answer (a Lead, the Client by its name) is what Frappe's function gives. What only the registry
	finds — a contact person's name, a fragment from the middle of a word — is not in it."""
	from urllib.parse import quote

	from frappe.utils.global_search import search, sync_global_search

	from tests import http

	tag, clients = registry
	assert "frappe.utils.global_search.search" not in frappe.get_hooks("override_whitelisted_methods")
	lead = committed.add(fixtures.make_lead(first_name=f"Ромашка{tag}", last_name="Лидов"))
	token = fixtures.api_credentials(fixtures.SALES_USER)
	frappe.db.commit()
	sync_global_search()  # Frappe's scheduler does it every 15 minutes
	frappe.db.commit()

	def over_http(text):
		path = f"/api/method/frappe.utils.global_search.search?text={quote(text)}"
		status, body = http.call(frappe.local.site, "GET", path, token=token)
		assert status == 200, body
		return sorted((row["doctype"], row["name"]) for row in body["message"])

	frappe.set_user(fixtures.SALES_USER)
	answer = over_http(f"ромашка{tag}")
	assert {("Lead", lead.name), ("Client", clients["romashka"].name)} <= set(answer)
	assert answer == sorted((row.doctype, row.name) for row in search(f"ромашка{tag}"))
	for text in (f"евлампий{tag}", tag):
		assert ("Client", clients["romashka"].name) not in over_http(text)
		assert clients["romashka"].name in bar(text)


def test_the_link_fields_search_is_the_apps(site):
	assert frappe.get_hooks("standard_queries")["Client"] == ["crm_clients.search.client_query"]


def test_the_registry_has_its_indexes(site):
	def indexes(table):
		return {row[2] for row in frappe.db.sql(f"show index from `{table}`")}

	assert {
		"normalized_name_fulltext",
		"industry_region_status_modified",
		"region_status_modified",
		"crm_search_text",
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


def test_the_result_shows_the_type_in_the_users_words(registry):
	tag, _clients = registry
	frappe.local.lang = "ru"
	try:
		(result,) = search_link("Client", f"ромашка{tag}")
	finally:
		frappe.local.lang = "en"
	assert "Юридическое лицо" in result["description"]


def test_the_searchs_own_columns_never_reach_a_document_or_the_rest_api(committed):
	"""The columns MariaDB computes for the search and the duplicate finder are invisible: a Client read over REST
	(the document, or the list with every field) and its contact rows carry the Client's fields, not them."""
	import json
	from urllib.parse import urlencode

	from tests import http

	contact = committed.add(fixtures.make_contact(email=f"{random_string(8)}@example.ru"))
	client = committed.add(
		fixtures.make_client(client_name=f"ООО «Невидимка {random_string(5)}»", contacts=[contact.name])
	)
	token = fixtures.api_credentials(fixtures.SALES_USER)
	frappe.db.commit()
	hidden = {"crm_search_text", "crm_search_digits", "crm_email_domain"}

	status, body = http.call(frappe.local.site, "GET", f"/api/resource/Client/{client.name}", token=token)
	assert status == 200, body
	assert body["data"]["client_name"] == client.client_name
	assert not hidden & set(body["data"]) and not hidden & set(body["data"]["contacts"][0])
	query = {"fields": '["*"]', "filters": json.dumps([["name", "=", client.name]])}
	path = f"/api/resource/Client?{urlencode(query)}"
	status, body = http.call(frappe.local.site, "GET", path, token=token)
	assert status == 200, body
	assert [row["name"] for row in body["data"]] == [client.name]
	assert not hidden & set(body["data"][0])
	assert not hidden & set(frappe.get_doc("Client", client.name).as_dict())
