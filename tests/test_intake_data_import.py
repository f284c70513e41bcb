"""Frappe's own Data Import for Client with contact rows: the columns the README documents are the ones
Frappe's importer maps (parsed by its ImportFile; the document is inserted here without its commits)."""

import pytest

from tests.conftest import skip_module_without_frappe

skip_module_without_frappe()

import frappe

from tests.fixtures import make_contact
from tests.intake_helpers import upload_fixture

pytestmark = pytest.mark.usefixtures("site")

# README, «Frappe's Data Import»: the columns of a Client with its contact rows
DOCUMENTED_COLUMNS = {
	"Client Name": ("Client", "client_name"),
	"Client Type": ("Client", "client_type"),
	"Country": ("Client", "country"),
	"Tax ID": ("Client", "tax_id"),
	"KPP": ("Client", "kpp"),
	"Industry": ("Client", "industry"),
	"Business Region": ("Client", "business_region"),
	"Contact (Contact Persons)": ("Client Contact", "contact"),
	"Is Primary (Contact Persons)": ("Client Contact", "is_primary"),
}


def test_data_import_columns_for_client_with_contact_rows(site, upload):
	from frappe.core.doctype.data_import.importer import ImportFile

	first, second = make_contact("Анна"), make_contact("Борис")
	csv = (
		",".join(DOCUMENTED_COLUMNS)
		+ f"\nООО «Импорт данных»,Company,Russian Federation,7707083893,770701001,,,{first.name},1\n"
		+ f",,,,,,,{second.name},0\n"
	)
	import_file = ImportFile("Client", upload("data-import.csv", csv), import_type="Insert New Records")

	mapped = {
		column.header_title: (column.df.parent, column.df.fieldname)
		for column in import_file.columns
		if column.df and not column.skip_import
	}
	assert mapped == DOCUMENTED_COLUMNS
	payloads = import_file.get_payloads_for_import()
	assert len(payloads) == 1  # the second line is a further contact row of the same Client
	client = frappe.new_doc("Client")
	client.update(payloads[0].doc)
	client.insert()
	assert [row.contact for row in client.contacts] == [first.name, second.name]
	assert client.contacts[0].full_name == first.full_name
