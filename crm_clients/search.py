"""Finding Clients fast in a registry of tens of thousands: the link field's search and the search bar.

Frappe's default search (and ERPNext's `customer_query`) looks for `LIKE '%text%'` in every search field: a
scan of the whole table on every keystroke. A Client is found here the way a user looks for one, through
indexes only (crm_clients/setup/indexes.py):

- a word of the name from its start: MariaDB full-text search, boolean mode, on the normalised name (legal
  forms, quotes and punctuation removed: «ООО "Ромашка-Плюс"» is found by «ром», «плю», «ромашка пл»);
- an ИНН from its start, and the Client's ID from its start: B-tree prefix (`LIKE 'text%'`);
- a contact person's name: full-text search on the Client's contact rows.

Words the full-text index does not hold (shorter than `innodb_ft_min_token_size`, or MariaDB's stopwords) only
narrow the matches found by the other words; when nothing is found that way, Frappe's own search
(`LIKE '%text%'`) runs, so a fragment from the middle of a word is still found, at ERPNext's speed.
"""

import re

import frappe
from frappe import _
from frappe.desk.reportview import build_match_conditions, get_filters_cond
from frappe.utils import cint

from crm_clients.data_quality import normalize_name
from crm_clients.naming import escape_like
from crm_clients.setup.indexes import SEARCH_COLUMN, SEARCH_DIGITS_COLUMN

# a fragment of digits (spaces allowed) is an ИНН's start
_DIGITS = re.compile(r"^[\d\s]+$")
_WORD = re.compile(r"\w+")
_ONE_WORD_WITH_DIGITS = re.compile(r"^(?=\S*\d)\S+$")
_ASCII_DIGITS = re.compile(r"^[0-9]+$")
# found by ID, ИНН, name or contact person: more candidates than a page, then ordered
_CANDIDATES = 200


@frappe.whitelist()
@frappe.validate_and_sanitize_search_inputs
def client_query(doctype, txt, searchfield, start, page_len, filters, as_dict=False, reference_doctype=None):
	"""The Client link field's search (hooks.standard_queries): ID, name, ИНН, type of each Client found."""
	check_read_permission()
	return search_clients((txt or "").strip(), start, page_len, scope_condition(filters), as_dict)


@frappe.whitelist()
@frappe.read_only()  # a site with a replica searches there (crm_clients/replica.py)
def search_bar_clients(text, start=0, limit=20):
	"""The search bar's Clients («Search for …» and its Client results' «More»), found the registry's way —
	every word from its start, an ИНН, an ID, a contact person — at once after a save, where Frappe's global
	search matches the first word from an index refreshed every 15 minutes. One page (`start`, `limit`) of
	the Clients the user may read (permission rules, user permissions), best first; nothing when an admin has
	taken Client out of the Global Search Settings. `frappe.utils.global_search.search` stays Frappe's: the
	desk (public/js/desk.js) puts these Clients first, in place of Frappe's, beside its answer for the other
	doctypes."""
	check_read_permission("read")
	txt = (text or "").strip()
	if not txt or not in_global_search():
		return []
	limit = min(max(cint(limit), 0), _CANDIDATES)
	return [
		search_bar_result(row)
		for row in search_clients(txt, max(cint(start), 0), limit, scope_condition(None), as_dict=True)
	]


def search_clients(txt: str, start, page_len, scope: str, as_dict=False):
	"""A page of the Clients in scope matching the text: through the indexes, else Frappe's way."""
	if not txt:
		names = recent_clients(scope, int(start) + int(page_len))
	else:
		names = find_client_names(txt, scope) or clients_containing(txt, scope)
	return clients_by_name(names, txt, start, page_len, as_dict)


def check_read_permission(*rights: str) -> None:
	"""Refuse a user who may not search Clients: neither select nor read (the link field), or not read
	(the search bar, as Frappe's global search asks)."""
	if not any(frappe.has_permission("Client", right) for right in rights or ("select", "read")):
		raise frappe.PermissionError(_("You are not permitted to search Clients."))


def in_global_search() -> bool:
	"""Client is among the doctypes of the Global Search Settings (the app adds it on install)."""
	from frappe.desk.doctype.global_search_settings.global_search_settings import (
		get_doctypes_for_global_search,
	)

	return "Client" in get_doctypes_for_global_search()


def scope_condition(filters) -> str:
	"""The Clients the user may see (permission rules, user permissions) among those the link field's filters
	allow, as an SQL condition on `tabClient`, beginning with "and" (its `%` doubled for the query's values).
	The permission conditions go in parentheses: Frappe 16 gives a user permission's as `a OR b`."""
	conditions = []
	filters_condition = get_filters_cond("Client", filters, conditions) if filters else ""
	match_condition = build_match_conditions("Client")  # its `%` already doubled
	scope = filters_condition.replace("%", "%%")
	return f"{scope} and ({match_condition})" if match_condition else scope


def find_client_names(txt: str, scope: str) -> list[str]:
	"""Names of the Clients in scope matching the text through the indexes (none when the text has no indexed
	word, or nothing is found)."""
	if _DIGITS.match(txt):
		return by_prefix("tax_id", txt.replace(" ", ""), scope)
	if looks_like_an_id(txt):
		return by_prefix("name", txt, scope)
	# a foreign tax ID ("GB123456789", "US22-1234567") is one word with digits: its start, else a name's word
	if _ONE_WORD_WITH_DIGITS.match(txt):
		return by_prefix("tax_id", txt, scope) or by_words(txt, scope)
	return by_words(txt, scope)


def looks_like_an_id(txt: str) -> bool:
	"""The text starts as a Client's ID does: with a prefix of the Client's naming series ("CL-…")."""
	series = frappe.get_meta("Client").get_field("naming_series").options or ""
	prefixes = [option.split(".")[0] for option in series.split("\n") if option.strip()]
	return any(txt.upper().startswith(prefix.upper()) for prefix in prefixes if prefix)


def by_prefix(field: str, prefix: str, scope: str) -> list[str]:
	return frappe.db.sql_list(
		f"select name from `tabClient` where `{field}` like %(prefix)s {scope} limit %(limit)s",
		{"prefix": f"{escape_like(prefix)}%", "limit": _CANDIDATES},
	)


def by_words(txt: str, scope: str) -> list[str]:
	"""By the words of the name or of a contact person's name, each from its start."""
	indexed, other = split_words(txt)
	if not indexed:
		return []
	values = {"against": " ".join(f"+{word}*" for word in indexed), "limit": _CANDIDATES}
	by_name = frappe.db.sql_list(
		f"""select name from `tabClient`
		where match(normalized_name) against (%(against)s in boolean mode)
			{contains_all("`tabClient`.normalized_name", other)} {scope}
		limit %(limit)s""",
		values,
	)
	by_person = frappe.db.sql_list(
		f"""select distinct person.parent from `tabClient Contact` person
		join `tabClient` on `tabClient`.name = person.parent
		where match(person.full_name) against (%(against)s in boolean mode) and person.parenttype = 'Client'
			{contains_all("person.full_name", other)} {scope}
		limit %(limit)s""",
		values,
	)
	return list(dict.fromkeys(by_name + by_person))


def clients_containing(txt: str, scope: str) -> list[str]:
	"""What the indexes of words and starts cannot find (a fragment from the middle of a word, a short or
	common word alone, digits from the middle of an ИНН or a name): `LIKE '%text%'` as Frappe's search does,
	over the Client's ID, name and tax ID — as ERPNext's Customer search, a scan, but a cheap one. One `LIKE`
	over `crm_search_text` (the three in lower case, as bytes: compared byte by byte, no character set's rules
	per character), read from its own index, not the table's rows (crm_clients/setup/indexes.py); bounded: no
	sort, stopping at the candidates' limit. The page is ordered afterwards, among the candidates
	(`clients_by_name`). A site whose column is not made yet (before its migrate) searches the three columns."""
	if not has_search_column():
		return clients_containing_in_columns(txt, scope)
	# digits alone are only ever found within a run of digits: the shorter column of those runs holds them all
	column = SEARCH_DIGITS_COLUMN if _ASCII_DIGITS.match(txt) else SEARCH_COLUMN
	pattern = frappe.db.escape(f"%{escape_like(search_text(txt))}%").replace("%", "%%")
	return frappe.db.sql_list(
		f"select name from `tabClient` where {column} like {pattern} {scope} limit %(limit)s",
		{"limit": _CANDIDATES},
	)


def search_text(txt: str) -> str:
	"""The text as `crm_search_text` holds it: lower case, «ё» as «е»."""
	return txt.lower().replace("ё", "е")


def has_search_column() -> bool:
	"""`tabClient` has `crm_search_text` and `crm_search_digits` (read once per process and site: a migrate
	makes them)."""
	site = frappe.local.site
	if not _search_column.get(site):
		columns = frappe.db.sql(  # not Frappe's cached list
			"show columns from `tabClient` where Field in %(columns)s",
			{"columns": (SEARCH_COLUMN, SEARCH_DIGITS_COLUMN)},
		)
		_search_column[site] = len(columns) == 2
	return _search_column[site]


_search_column: dict[str, bool] = {}


def clients_containing_in_columns(txt: str, scope: str) -> list[str]:
	pattern = frappe.db.escape(f"%{escape_like(txt)}%").replace("%", "%%")
	return frappe.db.sql_list(
		f"""select name from `tabClient`
		where (client_name like {pattern} or tax_id like {pattern} or name like {pattern}) {scope}
		limit %(limit)s""",
		{"limit": _CANDIDATES},
	)


def recent_clients(scope: str, count: int) -> list[str]:
	"""An empty link field: the most recently changed Clients (the `modified` index, no scan)."""
	return frappe.db.sql_list(
		f"select name from `tabClient` where 1 = 1 {scope} order by modified desc limit %(count)s",
		{"count": count},
	)


def contains_all(column: str, words: list[str]) -> str:
	return "".join(
		f" and {column} like {frappe.db.escape(f'%{escape_like(word)}%')}".replace("%", "%%")
		for word in words
	)


def split_words(txt: str) -> tuple[list[str], list[str]]:
	"""The text's words the full-text index holds, and the others (too short, or stopwords)."""
	words = _WORD.findall(normalize_name(txt)) or _WORD.findall(txt.lower())
	minimum, stopwords = fulltext_settings()
	indexed = [word for word in words if len(word) >= minimum and word not in stopwords]
	return indexed, [word for word in words if word not in indexed]


def fulltext_settings() -> tuple[int, frozenset]:
	"""The database server's shortest indexed word and its stopwords (server settings: read once per process
	and server)."""
	server = (frappe.conf.db_host, frappe.conf.db_port)
	if server not in _fulltext_settings:
		minimum = frappe.db.sql("select @@innodb_ft_min_token_size")[0][0]
		stopwords = frappe.db.sql_list("select value from information_schema.INNODB_FT_DEFAULT_STOPWORD")
		_fulltext_settings[server] = (int(minimum), frozenset(stopwords))
	return _fulltext_settings[server]


_fulltext_settings: dict[tuple, tuple[int, frozenset]] = {}


def clients_by_name(names: list[str], txt: str, start, page_len, as_dict=False):
	"""The page of `names` (already in scope) to show: names starting with the text first, then the most
	recently changed."""
	if not names:
		return []
	rows = frappe.db.sql(
		"""select name, client_name, tax_id, client_type
		from `tabClient`
		where name in %(names)s
		order by (normalized_name like %(prefix)s) desc, modified desc
		limit %(start)s, %(page_len)s""",
		{
			"names": tuple(names),
			"prefix": f"{escape_like(normalize_name(txt))}%",
			"start": int(start),
			"page_len": int(page_len),
		},
		as_dict=as_dict,
	)
	# the type in the user's words, as the Client form shows it («Юридическое лицо»), not the stored value
	if as_dict:
		for row in rows:
			row.client_type = _(row.client_type, context="Client")
		return rows
	return [(*row[:3], _(row[3], context="Client")) for row in rows]


def search_bar_result(row) -> dict:
	"""A Client as the search bar shows it: its ID, name (the title), ИНН and type in the user's words."""
	return {
		"doctype": "Client",
		"name": row.name,
		"title": row.client_name,
		"tax_id": row.tax_id,
		"client_type": row.client_type,
	}
