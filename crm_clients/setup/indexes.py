"""The indexes the registry's screens need at tens of thousands of Clients (docs/benchmarks.md has the figures).

Made on install and on every migrate when missing (adding an index to a filled table takes a while once);
the ones on ERPNext's tables are dropped again on uninstall, ours go with the tables.

- the Client list filtered by industry / business region and status, newest first: no scan, no sort;
- the Client search (crm_clients/search.py): full-text indexes for a word of a Client's (normalised) name and
  of a contact person's name, each from its start;
- `Customer.lead_name`: ERPNext's Lead looks for its Customer by it each time a Lead is opened, a scan of all
  Customers without this index — the registry's Leads are opened from their Clients; it speeds ERPNext's own
  Lead screens as well;
- `Customer.tax_id`: a Client being converted reuses the Customer with its tax ID (crm_clients/conversion.py),
  looked up on every conversion;
- `Contact Email.email_id`: a person brought in from a card or a list is matched to a Contact by e-mail
  (crm_clients/contacts.py `find_contact_by_email`), as Frappe's own incoming mail does;
- `Client Contact.crm_email_domain` (a column MariaDB computes from the row's e-mail) and the «не дубль» pairs:
  possible duplicates are found by self-joins on them (crm_clients/duplicates.py);
- `Client.crm_search_text` (a column MariaDB computes: the ID, name and tax ID in lower case, «ё» as «е», as
  bytes, so that `LIKE` compares bytes, ~3× faster than a character set's rules): what the search finds from the
  middle of a word or a number (crm_clients/search.py `clients_containing`) is one `LIKE` over this index
  alone, not three over the table's rows; digits alone are looked for in `crm_search_digits` (the same three's
  runs of digits, a space between: a third as long, so its scan is faster still).
"""

import frappe

# (table, index name, kind, columns)
INDEXES = (
	("tabClient", "industry_region_status_modified", "", "industry, business_region, status, modified"),
	("tabClient", "region_status_modified", "", "business_region, status, modified"),
	("tabClient", "normalized_name_fulltext", "fulltext", "normalized_name"),
	("tabClient Contact", "full_name_fulltext", "fulltext", "full_name"),
	("tabCustomer", "crm_clients_lead_name", "", "lead_name"),
	("tabCustomer", "crm_clients_tax_id", "", "tax_id"),
	("tabContact Email", "crm_clients_email_id", "", "email_id"),
	("tabClient Contact", "crm_email_domain", "", "crm_email_domain"),
	("tabClient Not Duplicate", "client_other", "unique", "client, other"),
	("tabClient", "crm_search_text", "", "crm_search_text"),
	("tabClient", "crm_search_digits", "", "crm_search_digits"),
)
SEARCH_COLUMN = "crm_search_text"  # crm_clients/search.py: `search_text` gives the text's form to look for
SEARCH_DIGITS_COLUMN = "crm_search_digits"  # the same three's runs of digits only: a third as long
# (table, column, definition): columns MariaDB computes, made before the indexes on them; invisible (MariaDB's
# INVISIBLE: not in `select *`), so that a document, a REST answer or a report never carries them
GENERATED_COLUMNS = (
	(
		"tabClient Contact",
		"crm_email_domain",
		"varchar(140) as (case when email like '%@%' then lower(substring_index(email, '@', -1)) end) persistent invisible",
	),
	(
		"tabClient",
		SEARCH_COLUMN,
		"varbinary(2000) as (replace(lower(concat_ws(' ', name, client_name, tax_id)), 'ё', 'е')) persistent invisible",
	),
	(
		"tabClient",
		SEARCH_DIGITS_COLUMN,
		"varbinary(500) as (trim(regexp_replace(concat_ws(' ', name, client_name, tax_id), '[^0-9]+', ' '))) persistent invisible",
	),
)
# indexes on other apps' tables, dropped on uninstall
FOREIGN_TABLES = ("tabCustomer", "tabContact Email")


def ensure() -> None:
	for table, column, definition in GENERATED_COLUMNS:
		existing = frappe.db.sql(f"show columns from `{table}` like %s", column, as_dict=True)  # not cached
		if not existing:
			frappe.db.sql_ddl(f"alter table `{table}` add column `{column}` {definition}")
		elif (
			existing[0].Type.lower() != definition.split()[0].lower()
			or "INVISIBLE" not in existing[0].Extra.upper()
		):  # made another way before
			frappe.db.sql_ddl(f"alter table `{table}` modify column `{column}` {definition}")
	for table, name, kind, columns in INDEXES:
		if not frappe.db.has_index(table, name):
			frappe.db.sql_ddl(f"alter table `{table}` add {kind} index `{name}` ({columns})")


def remove() -> None:
	for table, name, _kind, _columns in INDEXES:
		if table in FOREIGN_TABLES and frappe.db.has_index(table, name):
			frappe.db.sql_ddl(f"alter table `{table}` drop index `{name}`")
