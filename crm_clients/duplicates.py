"""Duplicate Clients: finding the pairs likely to be one company, and merging two Clients into one.

**Finding** (`find_pairs`) is SQL over indexed columns — self-joins, never a pairwise scan in Python — with one
branch per reason:

- `name`: the same normalised name (`data_quality.normalize_name`: «ООО "Ромашка"» is «Ромашка ООО»), unless
  both have tax IDs and they differ (another organisation of the same name);
- `tax_id`: the same ИНН with one КПП empty (a branch entered without its КПП, or the company twice);
- `contact`: a contact person in common — the same Contact, or Contacts sharing an e-mail or a phone (E.164);
- `email_domain`: contact persons' e-mails of the same domain, not a public mail service, and shared by a few
  Clients only (`DOMAIN_CLIENTS_LIMIT`, `DOMAIN_ROWS_LIMIT`).

A pair's score adds its reasons' weights (at most 100). A pair marked «не дубль» (DocType *Client Not
Duplicate*) never comes back; only Clients the user may read are named.

**Merging** (`merge`): `other` goes into `survivor` all or nothing, under a row lock on both Clients taken in
name order (two users merging overlapping pairs at once end with one survivor, the later one told the Client
is gone). `other`'s notes move first; Frappe's rename-merge (`frappe.model.rename_doc`, `merge=True`) moves
every Link to the survivor (Leads, Customer), the dynamic links (Contacts' and Addresses' links, Event
participants, ToDos, Comments, Communications), attachments and versions, and deletes `other` — with the
caller's rights: write on the survivor, delete on `other`. What Frappe's merge would double or lose is handled
before it: a Contact or Address linked to both, an Event with both as participants, the ToDos (Frappe deletes
the merged-away document's ToDos of users assigned to both). Then the survivor is saved with the chosen values
of `other` (an empty value never wins over a filled one) and `other`'s contact persons (one row per Contact).
Two Clients converted to different Customers are refused (ERPNext's Customer merge is the place for that);
of a converted and a non-converted Client, the converted one stays, whichever the user chose.
"""

import frappe
from frappe import _
from frappe.model import data_fieldtypes, no_value_fields
from frappe.model.rename_doc import rename_doc
from frappe.utils import get_link_to_form

from crm_clients.savepoints import all_or_nothing, once_more_if_ended

CLIENT = "Client"
NOT_DUPLICATE = "Client Not Duplicate"
MERGE_LOG = "Client Merge"
MERGE_SAVEPOINT = "crm_clients_merge"

# reasons, and what each adds to a pair's score
NAME, TAX_ID, CONTACT, EMAIL_DOMAIN = "name", "tax_id", "contact", "email_domain"
REASONS = (TAX_ID, CONTACT, NAME, EMAIL_DOMAIN)
WEIGHTS = {TAX_ID: 50, CONTACT: 40, NAME: 30, EMAIL_DOMAIN: 20}

# the indexed column the e-mail domain of a contact row is matched by (crm_clients/setup/indexes.py)
EMAIL_DOMAIN_COLUMN = "crm_email_domain"

# a domain of more Clients than this is no reason (a host's or a holding's, not one company's)
DOMAIN_CLIENTS_LIMIT = 10
DOMAIN_ROWS_LIMIT = 200  # … or more contact rows than this

# public mail services: people's own addresses, which say nothing about their organisation
PUBLIC_MAIL_DOMAINS = (
	"gmail.com", "googlemail.com", "yahoo.com", "yahoo.co.uk", "hotmail.com", "outlook.com", "live.com",
	"msn.com", "icloud.com", "me.com", "mac.com", "aol.com", "proton.me", "protonmail.com", "gmx.com", "gmx.de",
	"gmx.net", "web.de", "mail.com", "zoho.com", "yandex.ru", "yandex.com", "ya.ru", "yandex.by", "yandex.kz",
	"yandex.ua", "mail.ru", "inbox.ru", "list.ru", "bk.ru", "internet.ru", "rambler.ru", "lenta.ru",
	"autorambler.ru", "myrambler.ru", "ro.ru", "qip.ru", "ukr.net", "tut.by", "example.com",
)  # fmt: skip

# Client fields a merge never takes from `other`: kept by the controller, the conversion or the app
CONTROLLED_FIELDS = {
	"naming_series",
	"customer",
	"status",
	"workflow_state",
	"next_interaction",
	"next_interaction_type",
	"interaction_status",
	"normalized_name",
	"tax_key",
}
# fields that go together: taking one from `other` takes the others
FIELD_GROUPS = (("tax_id", "kpp"),)

DEFAULT_PAGE_LENGTH = 500


# --- finding


def find_pairs(
	client: str | None = None,
	reason: str | None = None,
	start: int = 0,
	page_length: int = DEFAULT_PAGE_LENGTH,
) -> list[dict]:
	"""Pairs `{"client", "other", "reasons", "score"}` of Clients likely to be one company, best first: of one
	Client (`client` is then always that Client), or of the whole registry (`client` < `other`), a page."""
	reasons = [reason] if reason else list(REASONS)
	values = {"client": client, "public_domains": PUBLIC_MAIL_DOMAINS}
	branches = [_branch(r, bool(client)) for r in reasons if r in REASONS]
	if not branches:
		return []
	union = "\nunion\n".join(branches)
	permitted = _read_condition()
	rows = frappe.db.sql(
		f"""
		select pair.client, pair.other, group_concat(pair.reason order by pair.weight desc) as reasons,
			sum(pair.weight) as score
		from ({union}) pair
		where not exists (select 1 from `tab{NOT_DUPLICATE}` mark
				where mark.client = pair.client and mark.other = pair.other)
			and not exists (select 1 from `tab{NOT_DUPLICATE}` mark
				where mark.client = pair.other and mark.other = pair.client)
			{permitted}
		group by pair.client, pair.other
		order by score desc, pair.client, pair.other
		limit {int(page_length)} offset {int(start)}
		""",
		values,
		as_dict=True,
	)
	pairs = []
	for row in rows:
		first, second = row.client, row.other
		if client and second == client:
			first, second = second, first
		pairs.append(
			{
				"client": first,
				"other": second,
				"reasons": row.reasons.split(","),
				"score": min(int(row.score), 100),
			}
		)
	return pairs


def _branch(reason: str, for_one_client: bool) -> str:
	"""One reason's pairs as rows (client, other, reason, weight), `client` < `other`.

	`a` and `b` are the two Clients' rows (or their contact rows); for one Client, `a` is that Client."""
	if for_one_client:
		anchor = "{a} = %(client)s and {b} != {a}"
	else:
		anchor = "{b} > {a}"
	weight = WEIGHTS[reason]
	select = "select least({a}, {b}) as client, greatest({a}, {b}) as other, '{reason}' as reason, {weight} as weight"

	if reason == NAME:
		cols = {"a": "a.name", "b": "b.name"}
		return (
			select
			+ """
			from `tabClient` a join `tabClient` b on b.normalized_name = a.normalized_name
			where ifnull(a.normalized_name, '') != '' and """
			+ anchor
			+ """
				and not (ifnull(a.tax_id, '') != '' and ifnull(b.tax_id, '') != '' and a.tax_id != b.tax_id)
			"""
		).format(**cols, reason=reason, weight=weight)
	if reason == TAX_ID:
		cols = {"a": "a.name", "b": "b.name"}
		return (
			select
			+ """
			from `tabClient` a join `tabClient` b on b.tax_id = a.tax_id
			where ifnull(a.tax_id, '') != '' and """
			+ anchor
			+ """
				and (ifnull(a.kpp, '') = '' or ifnull(b.kpp, '') = '')
			"""
		).format(**cols, reason=reason, weight=weight)

	cols = {"a": "ra.parent", "b": "rb.parent"}
	rows = "ra.parenttype = 'Client' and rb.parenttype = 'Client' and " + anchor
	if reason == EMAIL_DOMAIN:
		return _email_domain_branch(select, rows, for_one_client).format(**cols, reason=reason, weight=weight)
	# the same Contact, or Contacts sharing an e-mail or a phone. The whole registry starts from the values
	# found twice, on their index alone (nearly every value is found once: the rest is never read); one Client
	# from its own rows.
	if for_one_client:
		same_contact = (
			select
			+ """
		from `tabClient Contact` ra join `tabClient Contact` rb on rb.contact = ra.contact
		where """
			+ rows
		)
	else:
		same_contact = (
			select
			+ """
		from (select contact from `tabClient Contact` group by contact having count(*) > 1) shared
		straight_join `tabClient Contact` ra on ra.contact = shared.contact
		straight_join `tabClient Contact` rb on rb.contact = shared.contact
		where """
			+ rows
		)

	def sharing(child: str, key: str) -> str:
		"""Contacts sharing a value of their rows: an e-mail (`Contact Email.email_id`) or a number's key
		(`Contact Phone.phone_key`), both indexed."""
		if for_one_client:
			return (
				select
				+ f"""
		from `tabClient Contact` ra
		join `tab{child}` xa on xa.parent = ra.contact and xa.parenttype = 'Contact'
		join `tab{child}` xb on xb.{key} = xa.{key} and xb.parenttype = 'Contact' and xb.parent != xa.parent
		join `tabClient Contact` rb on rb.contact = xb.parent
		where ifnull(xa.{key}, '') != '' and """
				+ rows
			)
		return (
			select
			+ f"""
		from (select {key} as value from `tab{child}` where {key} is not null and {key} != ''
			group by {key} having count(*) > 1) shared
		straight_join `tab{child}` xa on xa.{key} = shared.value and xa.parenttype = 'Contact'
		straight_join `tab{child}` xb on xb.{key} = shared.value and xb.parenttype = 'Contact'
			and xb.parent != xa.parent
		straight_join `tabClient Contact` ra on ra.contact = xa.parent
		straight_join `tabClient Contact` rb on rb.contact = xb.parent
		where """
			+ rows
		)

	same_email = sharing("Contact Email", "email_id")
	same_phone = sharing("Contact Phone", "phone_key")
	return "\nunion\n".join(
		part.format(**cols, reason=reason, weight=weight) for part in (same_contact, same_email, same_phone)
	)


def _email_domain_branch(select: str, rows: str, for_one_client: bool) -> str:
	"""Contact rows of the same e-mail domain, of a domain a few Clients share (at most `DOMAIN_CLIENTS_LIMIT`
	Clients and `DOMAIN_ROWS_LIMIT` contact rows): the pairs of a domain of thousands of Clients (a host's, a
	holding's) would be millions, and say little.

	A domain's rows are counted on its index alone first (a big domain is dropped without reading its rows), then
	the Clients of the small ones. The whole registry: those domains, then their rows by the domain's index — in
	that order (`straight_join`: MariaDB would otherwise join every row of a big domain to every other before
	dropping the domain); one Client: its rows' domains, each counted the same way."""
	column = EMAIL_DOMAIN_COLUMN
	if for_one_client:
		return (
			select
			+ f"""
			from `tabClient Contact` ra join `tabClient Contact` rb on rb.{column} = ra.{column}
			where ra.{column} is not null and ra.{column} not in %(public_domains)s
				and (select count(*) from `tabClient Contact` counted
					where counted.{column} = ra.{column}) <= {DOMAIN_ROWS_LIMIT}
				and (select count(distinct shared.parent) from `tabClient Contact` shared
					where shared.{column} = ra.{column} and shared.parenttype = 'Client') <= {DOMAIN_CLIENTS_LIMIT}
				and """
			+ rows
		)
	return (
		select
		+ f"""
		from (select small.domain from
				(select {column} as domain from `tabClient Contact`
				where {column} is not null and {column} not in %(public_domains)s
				group by {column} having count(*) between 2 and {DOMAIN_ROWS_LIMIT}) small
			straight_join `tabClient Contact` counted on counted.{column} = small.domain and counted.parenttype = 'Client'
			group by small.domain having count(distinct counted.parent) between 2 and {DOMAIN_CLIENTS_LIMIT}) shared
		straight_join `tabClient Contact` ra on ra.{column} = shared.domain
		straight_join `tabClient Contact` rb on rb.{column} = shared.domain
		where """
		+ rows
	)


def _read_condition() -> str:
	"""Only pairs of Clients the user may read (their role's and user permissions' conditions, as a list)."""
	from frappe.model.db_query import DatabaseQuery

	condition = DatabaseQuery(CLIENT).build_match_conditions()
	if not condition:
		return ""
	return f"""and exists (select 1 from `tabClient` where `tabClient`.name = pair.client and {condition})
		and exists (select 1 from `tabClient` where `tabClient`.name = pair.other and {condition})"""


def duplicates_of(client: str | None = None, **kwargs) -> list[dict]:
	"""`find_pairs` for a user who may read Clients (and the Client, when one is given)."""
	if client:
		frappe.has_permission(CLIENT, "read", doc=client, throw=True)
	else:
		frappe.has_permission(CLIENT, "read", throw=True)
	return find_pairs(client, **kwargs)


def mark_not_duplicate(client: str, other: str) -> str:
	"""Remember that the two Clients are different companies: the pair is not offered again."""
	first, second = sorted((client, other))
	existing = frappe.db.get_value(NOT_DUPLICATE, {"client": first, "other": second})
	if existing:
		return existing
	return frappe.get_doc({"doctype": NOT_DUPLICATE, "client": first, "other": second}).insert().name


def forget_client(client) -> None:
	"""A deleted Client's «не дубль» marks, and the IDs merged into it, go with it (Client.on_trash).
	Not when it is being merged: Frappe's merge has moved them to the survivor by then."""
	frappe.db.delete(NOT_DUPLICATE, {"client": client.name})
	frappe.db.delete(NOT_DUPLICATE, {"other": client.name})
	frappe.db.delete(MERGE_LOG, {"survivor": client.name})


def merged_into(name: str) -> str | None:
	"""The Client an old ID was merged into (the desk opens it for the old ID), if the user may read it."""
	survivor = frappe.db.get_value(MERGE_LOG, name, "survivor")
	if survivor and frappe.has_permission(CLIENT, "read", doc=survivor):
		return survivor
	return None


# --- merging


class MergeRefusedError(frappe.ValidationError):
	"""The two Clients cannot be merged (both converted to different Customers, the same Client twice)."""


def set_once_fields() -> set[str]:
	"""Fields a saved Client never changes once filled (the source Lead): the merge fills them when empty."""
	return {df.fieldname for df in frappe.get_meta(CLIENT).fields if df.set_only_once}


def mergeable_fields() -> list[str]:
	"""The Client's fields a user may take from the merged-away Client."""
	return [
		df.fieldname
		for df in frappe.get_meta(CLIENT).fields
		if df.fieldtype in data_fieldtypes
		and df.fieldtype not in no_value_fields
		and df.fieldname not in CONTROLLED_FIELDS
	]


def chosen_fields(values) -> set[str]:
	"""The fields whose value the user takes from `other`: a dict (fieldname → a truthy value), or a list."""
	values = frappe.parse_json(values) if isinstance(values, str) else values
	if not values:
		return set()
	if isinstance(values, dict):
		return {field for field, take in values.items() if take}
	return set(values)


def merged_values(survivor, other, values) -> dict:
	"""The survivor's fields after the merge: `other`'s where chosen and filled, and wherever the survivor's
	is empty — an empty value never wins over a filled one."""
	chosen = chosen_fields(values)
	fields = mergeable_fields()
	unknown = chosen - set(fields)
	if unknown:
		frappe.throw(
			_("These fields cannot be taken from the other Client: {0}").format(", ".join(sorted(unknown))),
			MergeRefusedError,
		)
	for group in FIELD_GROUPS:
		if chosen & set(group):
			chosen |= set(group)
	once = set_once_fields()
	result = {}
	for fieldname in fields:
		source = survivor
		group = next((group for group in FIELD_GROUPS if fieldname in group), None)
		first = group[0] if group else fieldname
		if group and other.get(first) != survivor.get(first):
			# another ИНН: its КПП comes with it, never mixed with the survivor's
			if _filled(other.get(first)) and (first in chosen or not _filled(survivor.get(first))):
				source = other
		elif fieldname in once:  # never replaced, only filled
			if not _filled(survivor.get(fieldname)):
				source = other
		elif _filled(other.get(fieldname)) and (fieldname in chosen or not _filled(survivor.get(fieldname))):
			source = other
		result[fieldname] = source.get(fieldname)
	return result


def _filled(value) -> bool:
	return value not in (None, "", 0)


def check_can_merge(survivor: str, other: str) -> None:
	"""The caller may write the survivor and delete `other` (else frappe.PermissionError)."""
	if not frappe.has_permission(CLIENT, "delete", doc=other):
		frappe.throw(
			_(
				"You may not merge Client {0} into another: that deletes it, and you may not delete it."
			).format(frappe.bold(other)),
			frappe.PermissionError,
		)
	if not frappe.has_permission(CLIENT, "write", doc=survivor):
		frappe.throw(
			_("You may not merge into Client {0}: you may not edit it.").format(frappe.bold(survivor)),
			frappe.PermissionError,
		)


def merge(survivor: str, other: str, values=None) -> str:
	"""Merge `other` into `survivor`, all or nothing; returns the name of the Client that stays (the converted
	one when only `other` is converted). See the module's docstring."""
	if not survivor or not other or survivor == other:
		frappe.throw(_("Choose two different Clients to merge."), MergeRefusedError)
	for name in (survivor, other):
		if not frappe.db.exists(CLIENT, name):
			frappe.throw(_("Client {0} does not exist.").format(frappe.bold(name)), frappe.DoesNotExistError)
	check_can_merge(survivor, other)
	# the lock first, from a fresh transaction when the database ends this one under it (a merge committed
	# meanwhile, with MariaDB's snapshot isolation); kept until the transaction ends
	once_more_if_ended(lambda: lock(survivor, other))
	with all_or_nothing(MERGE_SAVEPOINT):
		chosen = frappe.get_doc(CLIENT, survivor)
		merged = frappe.get_doc(CLIENT, other)
		keep, gone = chosen, merged
		if chosen.customer and merged.customer and chosen.customer != merged.customer:
			frappe.throw(
				_(
					"Clients {0} and {1} are converted to different Customers ({2} and {3}): merge the Customers in ERPNext first (rename one Customer to the other with «Merge with existing»), then the Clients."
				).format(
					frappe.bold(chosen.name),
					frappe.bold(merged.name),
					frappe.bold(chosen.customer),
					frappe.bold(merged.customer),
				),
				MergeRefusedError,
				title=_("Cannot merge"),
			)
		if merged.customer and not chosen.customer:
			keep, gone = merged, chosen  # the converted Client stays, with the values the user chose
			check_can_merge(keep.name, gone.name)
		final = merged_values(chosen, merged, values)
		_merge_into(keep, gone, final)
	return keep.name


def lock(*names: str) -> None:
	"""Lock the Clients' rows in name order (two merges of overlapping pairs wait for each other, never
	deadlock); a Client merged or deleted by someone else meanwhile is said to be gone."""
	found = frappe.db.sql(
		"select name from `tabClient` where name in %(names)s order by name for update",
		{"names": sorted(names)},
		pluck=True,
	)
	for name in names:
		if name not in found:
			frappe.throw(
				_("Client {0} no longer exists: it was merged or deleted meanwhile.").format(
					frappe.bold(name)
				),
				frappe.DoesNotExistError,
			)


def counts(client: str) -> dict[str, int]:
	"""What a Client has, by kind (the merge's summary; the tests count before and after)."""
	return {
		"contacts": frappe.db.count("Client Contact", {"parenttype": CLIENT, "parent": client}),
		"leads": frappe.db.count("Lead", {"client": client}),
		"events": frappe.db.count(
			"Event Participants", {"reference_doctype": CLIENT, "reference_docname": client}
		),
		"todos": frappe.db.count("ToDo", {"reference_type": CLIENT, "reference_name": client}),
		"notes": frappe.db.count("CRM Note", {"parenttype": CLIENT, "parent": client}),
		"comments": frappe.db.count(
			"Comment",
			{"reference_doctype": CLIENT, "reference_name": client, "comment_type": "Comment"},
		),
		"communications": frappe.db.count(
			"Communication", {"reference_doctype": CLIENT, "reference_name": client}
		),
		"attachments": frappe.db.count("File", {"attached_to_doctype": CLIENT, "attached_to_name": client}),
	}


def _merge_into(keep, gone, final: dict) -> None:
	moved = counts(gone.name)
	moved["contacts"] = len({row.contact for row in gone.contacts} - {row.contact for row in keep.contacts})

	gone_contacts = [row.contact for row in gone.contacts]
	_move_notes(keep.name, gone.name)
	_drop_what_frappe_would_double(keep.name, gone.name)
	_move_todos(keep.name, gone.name)
	# Frappe's merge reads both Clients' assignments as JSON: none is NULL, not an empty string
	frappe.db.sql(
		"update `tabClient` set _assign = null where name in %(names)s and _assign = ''",
		{"names": (keep.name, gone.name)},
	)

	# Frappe's merge: the links move to the survivor, the merged-away Client is deleted (the caller's rights:
	# write on both, delete on it) and its unique values (ИНН/КПП key, source Lead) are free; its ID is not
	# (Frappe gives the last number of a series back when its document is deleted: it redirects to the survivor)
	series = frappe.db.sql(
		"select name, current from `tabSeries` where name != '' and locate(name, %s) = 1", gone.name
	)
	rename_doc(CLIENT, gone.name, keep.name, merge=True, show_alert=False, rebuild_search=False)
	for prefix, current in series:
		frappe.db.sql(
			"update `tabSeries` set current = greatest(current, %s) where name = %s", (current, prefix)
		)

	# then the survivor's own save, as the database has it now: the chosen values and the joined contact
	# persons (linked to it by the save), with the caller's right to edit it and the Client's validation
	keep = frappe.get_doc(CLIENT, keep.name)
	once = set_once_fields()
	keep.update({field: value for field, value in final.items() if field not in once})
	have = {row.contact for row in keep.contacts}
	for contact in gone_contacts:
		if contact not in have:
			keep.append("contacts", {"contact": contact, "is_primary": 0})
			have.add(contact)
	keep.save()
	filled_once = {field: final[field] for field in once & set(final) if final[field] != keep.get(field)}
	if filled_once:  # empty on the survivor: filled as the Client's own save cannot (set only once)
		frappe.db.set_value(CLIENT, keep.name, filled_once, update_modified=False)

	# the old ID opens the survivor (a row of the app's own log, written by the merge whoever merges)
	log = frappe.get_doc(
		{
			"doctype": MERGE_LOG,
			"merged_client": gone.name,
			"merged_client_name": gone.client_name,
			"survivor": keep.name,
		}
	)
	log.insert(ignore_permissions=True)

	# «не дубль» marks of the merged-away Client now name the survivor: once per pair, never with itself
	frappe.db.delete(NOT_DUPLICATE, {"client": keep.name, "other": keep.name})
	_dedupe_marks(keep.name)

	from crm_clients.interactions.next_interaction import update_next_interaction

	update_next_interaction(keep.name)
	frappe.get_doc(CLIENT, keep.name).add_comment(
		"Info",
		_(
			"{0} merged Client {1} ({2}) into this one: {3} contact persons, {4} Leads, {5} events, {6} tasks, {7} notes, {8} comments, {9} e-mails, {10} attachments joined."
		).format(
			frappe.utils.get_fullname(frappe.session.user),
			frappe.bold(gone.name),
			frappe.bold(gone.client_name),
			moved["contacts"],
			moved["leads"],
			moved["events"],
			moved["todos"],
			moved["notes"],
			moved["comments"],
			moved["communications"],
			moved["attachments"],
		),
	)


def _move_notes(keep: str, gone: str) -> None:
	"""The merged-away Client's notes, after the survivor's, as they were written (author and time)."""
	last = frappe.db.sql(
		"select ifnull(max(idx), 0) from `tabCRM Note` where parenttype = 'Client' and parent = %s", keep
	)[0][0]
	frappe.db.sql(
		"""update `tabCRM Note` set parent = %(keep)s, idx = idx + %(last)s
		where parenttype = 'Client' and parentfield = 'notes' and parent = %(gone)s""",
		{"keep": keep, "gone": gone, "last": last},
	)


def _drop_what_frappe_would_double(keep: str, gone: str) -> None:
	"""Rows naming the merged-away Client that would name the survivor twice once renamed: a Contact's or an
	Address's link, an Event's participant row, an e-mail's timeline link."""
	for parenttype in ("Contact", "Address"):
		frappe.db.sql(
			"""delete gone_link from `tabDynamic Link` gone_link
			join `tabDynamic Link` keep_link on keep_link.parent = gone_link.parent
				and keep_link.parenttype = gone_link.parenttype
				and keep_link.link_doctype = 'Client' and keep_link.link_name = %(keep)s
			where gone_link.parenttype = %(parenttype)s and gone_link.link_doctype = 'Client'
				and gone_link.link_name = %(gone)s""",
			{"keep": keep, "gone": gone, "parenttype": parenttype},
		)
	frappe.db.sql(
		"""delete gone_row from `tabEvent Participants` gone_row
		join `tabEvent Participants` keep_row on keep_row.parent = gone_row.parent
			and keep_row.reference_doctype = 'Client' and keep_row.reference_docname = %(keep)s
		where gone_row.reference_doctype = 'Client' and gone_row.reference_docname = %(gone)s""",
		{"keep": keep, "gone": gone},
	)
	frappe.db.sql(
		"""delete gone_link from `tabCommunication Link` gone_link
		join `tabCommunication Link` keep_link on keep_link.parent = gone_link.parent
			and keep_link.link_doctype = 'Client' and keep_link.link_name = %(keep)s
		where gone_link.link_doctype = 'Client' and gone_link.link_name = %(gone)s""",
		{"keep": keep, "gone": gone},
	)


def _move_todos(keep: str, gone: str) -> None:
	"""The merged-away Client's ToDos (tasks, assignments) name the survivor. Frappe's merge would delete
	those of users assigned to both Clients; moved first, they are kept, and the survivor's assignments
	(`_assign`) become both Clients' (Frappe's merge)."""
	frappe.db.sql(
		"""update `tabToDo` set reference_name = %(keep)s
		where reference_type = 'Client' and reference_name = %(gone)s""",
		{"keep": keep, "gone": gone},
	)


def _dedupe_marks(client: str) -> None:
	"""The survivor's «не дубль» marks once per pair, in name order (some came from the merged-away Client)."""
	marks = frappe.get_all(
		NOT_DUPLICATE, filters={"client": client}, fields=["name", "client", "other"], order_by="creation"
	) + frappe.get_all(
		NOT_DUPLICATE, filters={"other": client}, fields=["name", "client", "other"], order_by="creation"
	)
	seen = set()
	for mark in marks:
		pair = tuple(sorted((mark.client, mark.other)))
		if pair in seen:
			frappe.db.delete(NOT_DUPLICATE, {"name": mark.name})
			continue
		seen.add(pair)
		if (mark.client, mark.other) != pair:
			frappe.db.set_value(
				NOT_DUPLICATE, mark.name, {"client": pair[0], "other": pair[1]}, update_modified=False
			)


def merge_preview(client: str, other: str) -> dict:
	"""What the merge dialog shows: both Clients' names and Customers, and the fields whose values differ
	(both filled): `{"clients": {name: {"client_name", "customer"}}, "fields": [{"fieldname", "label",
	"values": {name: value}}]}`."""
	docs = {}
	for name in (client, other):
		doc = frappe.get_doc(CLIENT, name)
		doc.check_permission("read")
		docs[name] = doc
	meta = frappe.get_meta(CLIENT)
	once = set_once_fields()
	fields = []
	for fieldname in mergeable_fields():
		mine, theirs = docs[client].get(fieldname), docs[other].get(fieldname)
		if fieldname not in once and _filled(mine) and _filled(theirs) and mine != theirs:
			fields.append(
				{
					"fieldname": fieldname,
					"label": _(meta.get_label(fieldname)),
					"values": {client: mine, other: theirs},
				}
			)
	return {
		"clients": {
			name: {"client_name": doc.client_name, "customer": doc.customer} for name, doc in docs.items()
		},
		"fields": fields,
	}
