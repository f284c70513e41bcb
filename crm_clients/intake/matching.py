"""The one rule for "is this the same Client?", for every way Clients come in (Leads, sheets, vCards, cards).

A record's Client is, in this order:
1. the Client holding its ИНН/КПП key (`data_quality.tax_key`, unique in the database);
2. with an ИНН and no КПП: the only Client with that ИНН;
3. a Client of the same type and normalised name («ООО "Ромашка"» is «Ромашка ООО», `data_quality.normalize_name`)
   whose ИНН and КПП do not differ from the record's — the oldest the user may read.

The reads lock what they read: they see a Client another worker has just committed, and keep two workers from
each making a Client for the same company (the one that loses is told by a deadlock, and its job runner does
the record again). A Client the user may not read is never matched nor named: the record fails with words that
say so without naming it.
"""

import frappe
from frappe import _

from crm_clients.data_quality import normalize_name, tax_key


class ClientNotVisibleError(frappe.PermissionError):
	"""The record is a Client the user may not read."""


def find_client(values: dict) -> str | None:
	"""The existing Client of these Client values (client_name, client_type, country, tax_id, kpp), or None."""
	tax_id, kpp = values.get("tax_id"), values.get("kpp")
	if tax_id:
		key = tax_key(values.get("country"), values.get("client_type"), tax_id, kpp)
		found = key and locked("tax_key = %(key)s", key=key)
		if not found and not kpp:
			same_inn = locked("tax_id = %(tax_id)s", tax_id=tax_id)
			found = same_inn if len(same_inn) == 1 else []
		if found:
			return readable_or_refuse(found)
	name_key = normalize_name(values.get("client_name"))
	if not name_key:
		return None
	candidates = [
		row
		for row in locked(
			"normalized_name = %(name_key)s and client_type = %(client_type)s",
			name_key=name_key,
			client_type=values.get("client_type"),
		)
		if not (tax_id and row.tax_id and row.tax_id != tax_id)  # another organisation of the same name
		and not (kpp and row.kpp and row.kpp != kpp)  # another branch
	]
	return readable_or_refuse(candidates) if candidates else None


def locked(condition: str, **values) -> list:
	"""The Clients meeting the condition, oldest first, read with a lock (past this transaction's snapshot)."""
	return frappe.db.sql(
		f"""select name, tax_id, kpp from `tabClient` where {condition}
		order by creation asc for update""",
		values,
		as_dict=True,
	)


def readable_or_refuse(candidates: list) -> str:
	for row in candidates:
		if frappe.has_permission("Client", "read", doc=row.name):
			return row.name
	raise ClientNotVisibleError(
		_(
			"this organisation is already a Client that you have no access to: ask a colleague who sees it, or your manager"
		)
	)
