"""Duplicate Clients: finding the pairs (each reason, the «не дубль» mark) and merging them (what moves, the
field choice, the converted rules, rights by role over REST, two merges of overlapping pairs at once)."""

import pytest

from tests.conftest import skip_module_without_frappe

skip_module_without_frappe()

import random
import threading

import frappe
from frappe.utils import add_days, add_to_date, now_datetime, nowdate, random_string

from crm_clients import duplicates
from crm_clients.api import convert_to_customer, find_duplicates, mark_not_duplicate, merge_clients
from tests import fixtures, http

pytestmark = pytest.mark.usefixtures("site")

INN = "7707083893"  # a valid company ИНН


def unique_word() -> str:
	return "Дубль" + random_string(8).lower()


def others_of(client) -> dict[str, list[str]]:
	return {pair["other"]: pair["reasons"] for pair in find_duplicates(client.name)}


def test_same_normalised_name_is_a_duplicate_and_a_stranger_is_not(site):
	word = unique_word()
	first = fixtures.make_client(client_name=f"ООО «{word}»")
	second = fixtures.make_client(client_name=f"{word} ООО")
	stranger = fixtures.make_client(client_name="Совсем " + unique_word())

	assert others_of(first) == {second.name: ["name"]}
	assert others_of(second) == {first.name: ["name"]}
	assert others_of(stranger) == {}
	whole = [(pair["client"], pair["other"]) for pair in find_duplicates(page_length=100000)]
	assert (first.name, second.name) in whole
	assert all(stranger.name not in pair for pair in whole)


def test_same_name_with_different_inns_is_two_organisations(site):
	word = unique_word()
	first = fixtures.make_client(client_name=word, country="Germany", tax_id="DE111")
	second = fixtures.make_client(client_name=word, country="Germany", tax_id="DE222")
	assert second.name not in others_of(first)


def test_same_inn_with_one_kpp_empty_is_a_duplicate(site):
	site.db.delete("Client", {"tax_id": INN})
	head = fixtures.make_client(
		client_name=unique_word(),
		client_type="Company",
		country="Russian Federation",
		tax_id=INN,
		kpp="773601001",
	)
	branch = fixtures.make_client(
		client_name=unique_word(), client_type="Company", country="Russian Federation", tax_id=INN
	)
	other_branch = fixtures.make_client(
		client_name=unique_word(),
		client_type="Company",
		country="Russian Federation",
		tax_id=INN,
		kpp="773602002",
	)
	assert others_of(branch) == {head.name: ["tax_id"], other_branch.name: ["tax_id"]}
	assert other_branch.name not in others_of(head)  # two КПП: two branches


def test_a_contact_person_in_common_is_a_duplicate(site):
	shared = fixtures.make_contact()
	first = fixtures.make_client(client_name=unique_word(), contacts=[shared.name])
	second = fixtures.make_client(client_name=unique_word(), contacts=[shared.name])
	assert others_of(first) == {second.name: ["contact"]}

	# two Contacts of the same person: the same e-mail, or the same phone written otherwise
	email = f"{random_string(8)}@gmail.com"
	third = fixtures.make_client(
		client_name=unique_word(), contacts=[fixtures.make_contact(email=email).name]
	)
	fourth = fixtures.make_client(
		client_name=unique_word(), contacts=[fixtures.make_contact(email=email).name]
	)
	assert others_of(third) == {fourth.name: ["contact"]}  # a public mail domain says nothing more

	digits = str(random.randint(1000000, 9999999))
	fifth = fixtures.make_client(
		client_name=unique_word(), contacts=[fixtures.make_contact(phone=f"+7 495 {digits}").name]
	)
	sixth = fixtures.make_client(
		client_name=unique_word(), contacts=[fixtures.make_contact(phone=f"8 (495) {digits}").name]
	)
	assert others_of(fifth) == {sixth.name: ["contact"]}

	# the whole registry's page has the same pairs, once each
	pairs = [
		(pair["client"], pair["other"], pair["reasons"])
		for pair in find_duplicates(reason="contact", page_length=100000)
	]
	for pair in ((first, second), (third, fourth), (fifth, sixth)):
		names = tuple(sorted(client.name for client in pair))
		assert [found for found in pairs if found[:2] == names] == [(*names, ["contact"])]


def test_same_email_domain_is_a_duplicate_but_not_a_public_one(site):
	domain = f"{random_string(10).lower()}.ru"
	first = fixtures.make_client(
		client_name=unique_word(), contacts=[fixtures.make_contact(email=f"anna@{domain}").name]
	)
	second = fixtures.make_client(
		client_name=unique_word(), contacts=[fixtures.make_contact(email=f"Boris@{domain.upper()}").name]
	)
	assert others_of(first) == {second.name: ["email_domain"]}
	third = fixtures.make_client(
		client_name=unique_word(), contacts=[fixtures.make_contact(email=f"{random_string(8)}@mail.ru").name]
	)
	fourth = fixtures.make_client(
		client_name=unique_word(), contacts=[fixtures.make_contact(email=f"{random_string(8)}@mail.ru").name]
	)
	assert fourth.name not in others_of(third)


def test_a_domain_of_many_clients_is_no_reason(site):
	"""A domain more Clients share than `DOMAIN_CLIENTS_LIMIT` is a host's, not one company's: no pairs (the
	pairs of a domain of thousands of Clients would be millions)."""
	domain = f"{random_string(10).lower()}.ru"

	def client_at(domain):
		contact = fixtures.make_contact(email=f"{random_string(8)}@{domain}")
		return fixtures.make_client(client_name=unique_word(), contacts=[contact.name])

	clients = [client_at(domain) for _ in range(duplicates.DOMAIN_CLIENTS_LIMIT)]
	whole = {
		(pair["client"], pair["other"]) for pair in find_duplicates(reason="email_domain", page_length=100000)
	}
	assert (clients[0].name, clients[-1].name) in whole
	assert others_of(clients[0]) == {client.name: ["email_domain"] for client in clients[1:]}

	one_more = client_at(domain)
	whole = {
		(pair["client"], pair["other"]) for pair in find_duplicates(reason="email_domain", page_length=100000)
	}
	assert not any(one_more.name in pair or clients[0].name in pair for pair in whole)
	assert others_of(one_more) == {}
	assert others_of(clients[0]) == {}


def test_reasons_add_up_to_the_score(site):
	word = unique_word()
	shared = fixtures.make_contact()
	first = fixtures.make_client(client_name=word, contacts=[shared.name])
	second = fixtures.make_client(client_name=f"ООО {word}", contacts=[shared.name])
	(pair,) = find_duplicates(first.name)
	assert pair["other"] == second.name
	assert pair["reasons"] == ["contact", "name"]
	assert pair["score"] == duplicates.WEIGHTS["contact"] + duplicates.WEIGHTS["name"]


def test_a_pair_marked_not_duplicate_never_comes_back(site):
	word = unique_word()
	first = fixtures.make_client(client_name=word)
	second = fixtures.make_client(client_name=word)
	third = fixtures.make_client(client_name=word)
	site.set_user(fixtures.SALES_USER)
	mark_not_duplicate(second.name, first.name)
	mark_not_duplicate(first.name, second.name)  # once per pair, whichever order
	assert site.db.count("Client Not Duplicate", {"client": first.name, "other": second.name}) == 1
	assert set(others_of(first)) == {third.name}
	assert set(others_of(second)) == {third.name}
	whole = {(pair["client"], pair["other"]) for pair in find_duplicates(page_length=100000)}
	assert (first.name, second.name) not in whole
	assert (first.name, third.name) in whole

	# merging the third into the first keeps the mark (the first and the second stay different)
	site.set_user("Administrator")
	merge_clients(first.name, third.name)
	assert others_of(first) == {}


def test_find_duplicates_needs_read_on_clients(site):
	site.set_user(fixtures.NO_CRM_ROLE)
	with pytest.raises(frappe.PermissionError):
		find_duplicates()


# --- merging


def make_file(client: str):
	return frappe.get_doc(
		{
			"doctype": "File",
			"file_name": f"{random_string(6)}.txt",
			"attached_to_doctype": "Client",
			"attached_to_name": client,
			"content": b"offer",
			"is_private": 1,
		}
	).insert()


def make_event(*clients, starts_on=None, subject="Visit"):
	return frappe.get_doc(
		{
			"doctype": "Event",
			"subject": subject,
			"starts_on": starts_on or add_to_date(now_datetime(), days=2),
			"event_participants": [
				{"reference_doctype": "Client", "reference_docname": client} for client in clients
			],
		}
	).insert()


def make_todo(client: str, **values):
	return frappe.get_doc(
		{
			"doctype": "ToDo",
			"description": "Send the offer",
			"reference_type": "Client",
			"reference_name": client,
			"date": add_days(nowdate(), 3),
			**values,
		}
	).insert()


def links_to(parenttype: str, parent: str, client: str) -> int:
	return frappe.db.count(
		"Dynamic Link",
		{"parenttype": parenttype, "parent": parent, "link_doctype": "Client", "link_name": client},
	)


def test_merge_carries_everything_once(site):
	shared, own = fixtures.make_contact(), fixtures.make_contact()
	survivor = fixtures.make_client(client_name=unique_word(), contacts=[shared.name])
	other = fixtures.make_client(client_name=unique_word(), contacts=[shared.name, own.name])
	lead = fixtures.make_lead(company_name="Lead " + unique_word(), client=other.name)
	other_event = make_event(other.name)
	both_event = make_event(survivor.name, other.name, subject="Both")
	todo = make_todo(other.name)
	other.reload()
	other.append("notes", {"note": "Called them"})
	other.save()
	note_author = other.notes[0].added_by
	other.add_comment("Comment", "Met them at the fair")
	attachment = make_file(other.name)
	address = frappe.get_doc(
		{
			"doctype": "Address",
			"address_title": other.client_name,
			"address_line1": "ул. Ленина, 1",
			"city": "Москва",
			"country": "Russian Federation",
			"links": [{"link_doctype": "Client", "link_name": other.name}],
		}
	).insert()
	communication = frappe.get_doc(
		{
			"doctype": "Communication",
			"communication_type": "Communication",
			"communication_medium": "Email",
			"subject": "Offer",
			"sent_or_received": "Received",
			"reference_doctype": "Client",
			"reference_name": other.name,
		}
	).insert(ignore_permissions=True)

	before = {
		kind: duplicates.counts(survivor.name)[kind] + duplicates.counts(other.name)[kind]
		for kind in ("leads", "todos", "notes", "comments", "communications", "attachments")
	}
	assert merge_clients(survivor.name, other.name) == survivor.name

	assert not site.db.exists("Client", other.name)
	after = duplicates.counts(survivor.name)
	assert {kind: after[kind] for kind in before} == before
	survivor.reload()
	assert [row.contact for row in survivor.contacts] == [shared.name, own.name]  # one row per Contact
	assert sum(row.is_primary for row in survivor.contacts) == 1
	for contact in (shared.name, own.name):
		assert links_to("Contact", contact, survivor.name) == 1
		assert links_to("Contact", contact, other.name) == 0
	assert links_to("Address", address.name, survivor.name) == 1
	assert site.db.get_value("Lead", lead.name, "client") == survivor.name
	for event in (other_event, both_event):
		rows = site.get_doc("Event", event.name).event_participants
		assert [(row.reference_doctype, row.reference_docname) for row in rows] == [("Client", survivor.name)]
	assert site.db.get_value("ToDo", todo.name, "reference_name") == survivor.name
	assert survivor.notes[-1].note == "Called them"
	assert survivor.notes[-1].added_by == note_author
	assert site.db.get_value("File", attachment.name, "attached_to_name") == survivor.name
	assert site.db.get_value("Communication", communication.name, "reference_name") == survivor.name
	assert survivor.next_interaction  # its interactions are the survivor's now
	timeline = site.get_all(
		"Comment",
		filters={"reference_doctype": "Client", "reference_name": survivor.name, "comment_type": "Info"},
		pluck="content",
	)
	assert any(other.name in text and "Administrator" in text for text in timeline)


def test_merge_takes_the_chosen_values_and_never_an_empty_one(site):
	industry, region = fixtures.make_industry(), fixtures.make_region()
	lead = fixtures.make_lead(company_name="Lead " + unique_word())
	survivor = fixtures.make_client(client_name="Старое " + unique_word(), business_region=region.name)
	other = fixtures.make_client(
		client_name="Новое " + unique_word(), industry=industry.name, lead=lead.name, country="Germany"
	)
	country_before = survivor.country
	assert country_before and country_before != "Germany"
	merge_clients(survivor.name, other.name, {"client_name": 1, "business_region": 1})
	survivor.reload()
	assert survivor.client_name == other.client_name  # chosen
	assert survivor.business_region == region.name  # chosen, but empty on the other: the filled one stays
	assert survivor.industry == industry.name  # empty on the survivor: the other's
	assert survivor.lead == lead.name  # the other's source Lead (a unique value) is the survivor's now
	assert survivor.country == country_before  # filled on both and not chosen: the survivor's


def test_inn_and_kpp_come_together(site):
	site.db.delete("Client", {"tax_id": INN})
	survivor = fixtures.make_client(client_name=unique_word(), country="Germany", tax_id="DE-1")
	other = fixtures.make_client(
		client_name=unique_word(),
		client_type="Company",
		country="Russian Federation",
		tax_id=INN,
		kpp="773601001",
	)
	merge_clients(survivor.name, other.name, ["tax_id", "country"])
	survivor.reload()
	assert (survivor.tax_id, survivor.kpp, survivor.tax_key) == (INN, "773601001", f"{INN}/773601001")


def test_two_clients_of_different_customers_are_not_merged(site):
	first, second = fixtures.make_client(), fixtures.make_client()
	convert_to_customer(first.name)
	convert_to_customer(second.name)
	with pytest.raises(duplicates.MergeRefusedError, match="different Customers"):
		merge_clients(first.name, second.name)
	assert site.db.exists("Client", first.name) and site.db.exists("Client", second.name)


def test_the_converted_client_stays(site):
	plain, converted = fixtures.make_client(client_name=unique_word()), fixtures.make_client()
	customer = convert_to_customer(converted.name)
	result = merge_clients(plain.name, converted.name)
	assert result == converted.name
	assert not site.db.exists("Client", plain.name)
	converted.reload()
	assert converted.customer == customer
	assert converted.client_name == plain.client_name  # the chosen survivor's values still win
	assert site.db.get_value("Customer", customer, "client") == converted.name


def test_a_failed_merge_leaves_both_clients_as_they_were(site):
	site.db.delete("Client", {"tax_id": INN})
	contact = fixtures.make_contact()
	survivor = fixtures.make_client(client_name=unique_word(), client_type="Individual")
	other = fixtures.make_client(
		client_name=unique_word(),
		client_type="Company",
		country="Russian Federation",
		tax_id=INN,
		contacts=[contact.name],
	)
	# a company's ИНН on an individual is refused by the survivor's validation
	with pytest.raises(frappe.ValidationError):
		merge_clients(survivor.name, other.name, ["tax_id", "country"])
	assert site.db.get_value("Client", other.name, "tax_key") == f"{INN}/"
	assert [row.contact for row in site.get_doc("Client", survivor.name).contacts] == []
	assert links_to("Contact", contact.name, other.name) == 1


def test_a_client_is_not_merged_with_itself(site):
	client = fixtures.make_client()
	with pytest.raises(duplicates.MergeRefusedError):
		merge_clients(client.name, client.name)


# --- over HTTP, as each role; two merges at once


@pytest.fixture
def committed_pair(site, committed):
	contacts = [committed.add(fixtures.make_contact()) for _ in range(3)]
	clients = [
		committed.add(fixtures.make_client(client_name=unique_word(), contacts=[contact.name]))
		for contact in contacts
	]
	tokens = {
		user: fixtures.api_credentials(user) for user in fixtures.TEST_USERS if user != fixtures.NO_ROLES
	}
	site.db.commit()
	return clients, contacts, tokens


MERGE = "/api/method/crm_clients.api.merge_clients"


def test_merge_over_rest_needs_delete_on_the_other_client(site, committed_pair):
	(first, second, _third), _contacts, tokens = committed_pair
	data = {"survivor": first.name, "other": second.name}
	for user in (fixtures.NO_CRM_ROLE, fixtures.SALES_USER):  # Stock User: no Client; Sales User: no delete
		status, body = http.call(site.local.site, "POST", MERGE, data, tokens[user])
		assert status == 403, (user, body)
	site.db.rollback()
	assert site.db.exists("Client", second.name)

	status, body = http.call(site.local.site, "POST", MERGE, data, tokens[fixtures.SALES_MANAGER])
	assert status == 200, body
	assert body["message"] == first.name
	site.db.rollback()
	assert not site.db.exists("Client", second.name)

	status, body = http.call(
		site.local.site,
		"GET",
		f"/api/method/crm_clients.api.find_duplicates?client={first.name}",
		None,
		tokens[fixtures.SALES_USER],
	)
	assert status == 200, body


def test_two_merges_of_overlapping_pairs_end_with_one_survivor(site, committed_pair):
	(first, second, _third), contacts, tokens = committed_pair
	token, site_name = tokens[fixtures.SALES_MANAGER], site.local.site
	results = {}
	start = threading.Barrier(2)

	def merge(key, survivor, other):
		start.wait()
		results[key] = http.call(site_name, "POST", MERGE, {"survivor": survivor, "other": other}, token)

	threads = [
		threading.Thread(target=merge, args=("second into first", first.name, second.name)),
		threading.Thread(target=merge, args=("first into second", second.name, first.name)),
	]
	for thread in threads:
		thread.start()
	for thread in threads:
		thread.join(timeout=180)

	statuses = sorted(status for status, _body in results.values())
	assert statuses[0] == 200 and statuses[1] != 200, results
	site.db.rollback()
	left = [client.name for client in (first, second) if site.db.exists("Client", client.name)]
	assert len(left) == 1
	rows = [row.contact for row in site.get_doc("Client", left[0]).contacts]
	assert sorted(rows) == sorted(contact.name for contact in contacts[:2])  # nothing lost
	loser = next(body for status, body in results.values() if status != 200)
	assert "no longer exists" in str(loser)


def test_a_merged_away_id_opens_the_survivor_also_after_a_second_merge(site):
	from crm_clients.api import get_merged_into

	first, second, third = (fixtures.make_client(client_name=unique_word()) for _ in range(3))
	merge_clients(second.name, first.name)
	assert get_merged_into(first.name) == second.name
	merge_clients(third.name, second.name)
	assert get_merged_into(first.name) == third.name
	assert get_merged_into(second.name) == third.name
	assert get_merged_into(third.name) is None

	site.delete_doc("Client", third.name)  # the survivor's log goes with it
	assert get_merged_into(first.name) is None
	site.set_user(fixtures.NO_CRM_ROLE)
	with pytest.raises(frappe.PermissionError):
		get_merged_into(first.name)


def test_merging_same_named_clients_warns_of_no_similar_name(site):
	word = unique_word()
	first, second = fixtures.make_client(client_name=word), fixtures.make_client(client_name=f"ООО {word}")
	site.local.message_log = []
	merge_clients(first.name, second.name)
	assert not [message for message in site.local.message_log if second.name in str(message)]


def test_a_merged_away_id_is_never_given_to_a_new_client(site):
	"""Frappe gives the last number of a series back when its document is deleted; a merged-away ID opens the
	survivor, so it is never a new Client's."""
	survivor, last = (
		fixtures.make_client(client_name=unique_word()),
		fixtures.make_client(client_name=unique_word()),
	)
	merge_clients(survivor.name, last.name)
	new = fixtures.make_client(client_name=unique_word())
	assert new.name != last.name
	assert duplicates.merged_into(last.name) == survivor.name


# --- several Clients into one (intake/merge_source.py: the intake runner's source)


def test_a_few_clients_merge_into_one_in_the_request(site):
	from crm_clients.api import merge_clients_into
	from crm_clients.intake import merge_source

	contacts = [fixtures.make_contact() for _ in range(3)]
	clients = [
		fixtures.make_client(client_name=unique_word(), contacts=[contact.name]) for contact in contacts
	]
	result = merge_clients_into(clients[1].name, [client.name for client in clients])
	assert result["survivor"] == clients[1].name
	assert result["counts"][merge_source.MERGED] == 2 and result["counts"]["failed"] == 0
	assert [client.name for client in clients if site.db.exists("Client", client.name)] == [clients[1].name]
	rows = [row.contact for row in site.get_doc("Client", clients[1].name).contacts]
	assert sorted(rows) == sorted(contact.name for contact in contacts)

	# the same selection again: nothing left to merge, nothing failed
	again = merge_clients_into(clients[1].name, [client.name for client in clients])
	assert again["counts"]["skipped"] == 2 and again["counts"]["failed"] == 0


def test_the_converted_client_stays_in_a_bulk_merge(site):
	from crm_clients.api import merge_clients_into

	clients = [fixtures.make_client(client_name=unique_word()) for _ in range(3)]
	convert_to_customer(clients[2].name)
	result = merge_clients_into(clients[0].name, [clients[1].name, clients[2].name])
	assert result["survivor"] == clients[2].name
	assert result["counts"]["failed"] == 0
	assert [client.name for client in clients if site.db.exists("Client", client.name)] == [clients[2].name]


def test_many_clients_merge_in_the_background(site):
	from crm_clients.api import merge_clients_into
	from crm_clients.intake import merge_source

	clients = [fixtures.make_client(client_name=unique_word()) for _ in range(merge_source.SYNC_LIMIT + 2)]
	result = merge_clients_into(clients[0].name, [client.name for client in clients[1:]])
	assert set(result) == {"job", "total", "survivor"}
	assert result["total"] == merge_source.SYNC_LIMIT + 1 and result["survivor"] == clients[0].name
	assert all(site.db.exists("Client", client.name) for client in clients)  # nothing merged in the request


def test_a_bulk_merge_needs_delete_on_clients(site):
	from crm_clients.api import merge_clients_into

	clients = [fixtures.make_client(client_name=unique_word()) for _ in range(3)]
	site.set_user(fixtures.SALES_USER)
	with pytest.raises(frappe.PermissionError):
		merge_clients_into(clients[0].name, [client.name for client in clients[1:]])
	site.set_user("Administrator")
	assert all(site.db.exists("Client", client.name) for client in clients)
