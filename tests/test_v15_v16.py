"""What differs between Frappe/ERPNext 15 and 16 (and MariaDB 10.x and 11.8), checked on whichever is installed:

* List View Settings: `total_fields` exists in Frappe 15 only;
* File.get_content: Frappe 16 decodes text itself (Windows-1250/1252 too), the importers need the bytes;
* MariaDB's snapshot isolation (on by default from 11.8): a row changed after a transaction's snapshot ends the
  transaction with error 1020 (Frappe: QueryDeadlockError) — simultaneous saves must still end as on v15. Here
  the tests switch it on for their own connections (MariaDB 10.6.18 and later have the variable).
"""

import random
import threading

import pytest

from tests.conftest import skip_module_without_frappe

skip_module_without_frappe()

import frappe
from frappe.utils import random_string

from crm_clients import savepoints
from crm_clients.api import convert_to_customer
from crm_clients.intake import importer, spreadsheet
from crm_clients.setup import list_settings
from crm_clients.tax_ids import make_inn
from tests import fixtures
from tests.intake_helpers import upload_fixture  # the `upload` fixture

pytestmark = pytest.mark.usefixtures("site")


# List View Settings


def test_list_settings_set_only_the_fields_the_installed_frappe_has(site):
	meta = frappe.get_meta("List View Settings")
	site.db.delete("List View Settings", {"name": list_settings.DOCTYPE})
	list_settings.ensure()
	if meta.has_field("total_fields"):  # Frappe 15
		assert list_settings.settings_to_set() == {"total_fields": list_settings.TOTAL_FIELDS}
		stored = site.db.get_value("List View Settings", list_settings.DOCTYPE, "total_fields")
		assert stored == list_settings.TOTAL_FIELDS
	else:  # Frappe 16: every in-list-view field is shown, nothing to set
		assert list_settings.settings_to_set() == {}
		assert not site.db.exists("List View Settings", list_settings.DOCTYPE)
	list_settings.ensure()  # a second install or migrate changes nothing


# A Windows-1251 CSV


def test_a_windows_1251_csv_reaches_the_reader_as_its_bytes(site, upload):
	text = "Наименование;ИНН\r\nООО «Ромашка»;7707083893\r\n"
	file_url = upload("clients-1251.csv", text.encode("cp1251"))
	file = importer.get_file(file_url)
	assert importer.get_content(file) == text.encode("cp1251")
	rows = spreadsheet.read_rows(importer.get_content(file), "csv")
	assert ["ООО «Ромашка»", "7707083893"] in [list(row) for row in rows]


# Simultaneous saves under MariaDB's snapshot isolation


def test_the_database_ending_a_transaction_is_a_lost_race():
	deadlock = frappe.QueryDeadlockError("(1020, 'Record has changed since last read')")
	assert savepoints.ended_by_the_database(deadlock) and savepoints.is_lost_race(deadlock)
	for code in (1213, 1020):  # an older Frappe passes the driver's error
		assert savepoints.ended_by_the_database(Exception(code, "..."))
	assert not savepoints.ended_by_the_database(Exception(1062, "Duplicate entry"))
	assert savepoints.is_lost_race(frappe.DuplicateEntryError())


@pytest.fixture
def snapshot_isolation(site):
	try:
		site.db.sql("SELECT @@innodb_snapshot_isolation")
	except Exception:
		pytest.skip("this MariaDB has no innodb_snapshot_isolation (10.6.18 and later have it)")


def at_once(site, count: int, work, first_read) -> list:
	"""`work()` in `count` threads at once, each on its own connection with snapshot isolation on, as
	`SALES_USER`, its transaction's snapshot taken (`first_read()`, as a request reads its user) before any of
	them commits; [("ok", result) or ("error", exception)]."""
	site_name, sites_path = site.local.site, site.local.sites_path
	start = threading.Barrier(count)
	results = []

	def run():
		frappe.init(site=site_name, sites_path=sites_path)
		frappe.connect()
		try:
			frappe.db.sql("SET SESSION innodb_snapshot_isolation = ON")
			frappe.set_user(fixtures.SALES_USER)
			first_read()
			start.wait()
			results.append(("ok", work()))
			frappe.db.commit()
		except Exception as error:
			results.append(("error", error))
			frappe.db.rollback()
		finally:
			frappe.destroy()

	threads = [threading.Thread(target=run) for _ in range(count)]
	for thread in threads:
		thread.start()
	for thread in threads:
		thread.join(timeout=120)
	return results


def test_simultaneous_clients_with_the_same_inn_give_one_and_duplicates(site, committed, snapshot_isolation):
	inn = make_inn("77" + str(random.randint(10**6, 10**7 - 1)))
	committed.track("Client", {"tax_id": inn})
	frappe.db.commit()
	values = {
		"doctype": "Client",
		"client_name": "Одновременный " + random_string(4),
		"client_type": "Company",
		"country": "Russian Federation",
		"tax_id": inn,
		"kpp": "773601001",
	}

	results = at_once(
		site,
		4,
		lambda: frappe.get_doc(dict(values)).insert().name,
		lambda: frappe.db.exists("Client", {"tax_id": inn}),
	)

	frappe.db.rollback()
	created = frappe.get_all("Client", filters={"tax_id": inn}, pluck="name")
	assert len(created) == 1, results
	assert [result for outcome, result in results if outcome == "ok"] == created, results
	refused = [result for outcome, result in results if outcome == "error"]
	assert len(refused) == 3 and all(isinstance(error, frappe.DuplicateEntryError) for error in refused), (
		results
	)
	assert all(created[0] in str(error) for error in refused), results


def test_simultaneous_conversions_give_one_customer(site, committed, snapshot_isolation):
	client = committed.add(fixtures.make_client(client_name="Одновременная конвертация " + random_string(4)))
	committed.track("Customer", {"client": client.name})
	frappe.db.commit()

	results = at_once(
		site,
		4,
		lambda: convert_to_customer(client.name),
		lambda: frappe.db.exists("Client", client.name),
	)

	assert [outcome for outcome, _ in results] == ["ok"] * 4, results
	assert len({customer for _, customer in results}) == 1
	frappe.db.rollback()
	assert frappe.db.count("Customer", {"client": client.name}) == 1
