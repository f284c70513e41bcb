"""Data quality of Clients: Russian tax IDs (ИНН, КПП) and duplicates."""

import re

import frappe
from frappe import _
from frappe.utils import get_link_to_form

from crm_clients import savepoints, tax_ids
from crm_clients.vocabulary import LEGAL_FORMS, RUSSIA

_QUOTES = re.compile(r"[\"'«»“”„‘’`]")
_PUNCTUATION = re.compile(r"[.,;:()\-]")
_SPACES = re.compile(r"\s+")


def validate_client(client) -> None:
	"""Trim and check the tax IDs, derive the duplicate key and the normalised name (Client.validate)."""
	client.tax_id = tax_ids.normalize(client.tax_id) or None
	client.kpp = tax_ids.normalize(client.kpp) or None
	if is_russian(client):
		validate_russian_tax_ids(client)
	client.tax_key = tax_key(client.country, client.client_type, client.tax_id, client.kpp)
	client.normalized_name = normalize_name(client.client_name)
	warn_about_similar_names(client)


def is_russian(client) -> bool:
	return client.country == RUSSIA


def problem_message(problem: str) -> str:
	"""What a tax-ID problem code of `tax_ids` means, in the user's language."""
	messages = {
		tax_ids.DIGITS_ONLY: _("must contain digits only"),
		tax_ids.INN_COMPANY_LENGTH: _("must have 10 digits for a company"),
		tax_ids.INN_INDIVIDUAL_LENGTH: _("must have 12 digits for an individual"),
		tax_ids.INN_LENGTH: _("must have 10 or 12 digits"),
		tax_ids.CHECK_DIGIT_WRONG: _("check digit is wrong"),
		tax_ids.KPP_LENGTH: _("must have 9 characters"),
		tax_ids.KPP_FORMAT: _("must be 4 digits, 2 digits or capital Latin letters, then 3 digits"),
	}
	return messages[problem]


def validate_russian_tax_ids(client) -> None:
	if client.tax_id and (problem := tax_ids.inn_problem(client.tax_id, client.client_type)):
		frappe.throw(
			_("INN {0}: {1}.").format(frappe.bold(client.tax_id), problem_message(problem)),
			title=_("Invalid INN"),
		)
	if not client.kpp:
		return
	if client.client_type != tax_ids.COMPANY:
		frappe.throw(_("KPP is for companies only: clear it for an individual."), title=_("Invalid KPP"))
	if problem := tax_ids.kpp_problem(client.kpp):
		frappe.throw(
			_("KPP {0}: {1}.").format(frappe.bold(client.kpp), problem_message(problem)),
			title=_("Invalid KPP"),
		)


def tax_key(country: str | None, client_type: str | None, tax_id: str | None, kpp: str | None) -> str | None:
	"""The key a unique index keeps to one Client: ИНН/КПП of a Russian company, ИНН of a Russian individual.

	Foreign and empty tax IDs have no key (NULL, which a unique index allows many times)."""
	if country != RUSSIA or not tax_id:
		return None
	if client_type == tax_ids.COMPANY:
		return f"{tax_id}/{kpp or ''}"
	return tax_id


def find_client_by_tax_key(key: str | None, for_update: bool = False) -> dict | None:
	"""The Client holding the key; `for_update` reads the latest committed row (past this transaction's snapshot)."""
	if not key:
		return None
	return frappe.db.get_value(
		"Client",
		{"tax_key": key},
		["name", "client_name", "tax_id", "kpp"],
		as_dict=True,
		for_update=for_update,
	)


def raise_duplicate_tax_id(client) -> None:
	"""The unique index refused the Client's tax key: say which Client has it (HTTP 409)."""
	try:
		existing = find_client_by_tax_key(client.tax_key, for_update=True)
	except Exception as error:
		if not savepoints.ended_by_the_database(error):
			raise
		# the other Client was committed after this transaction's snapshot (MariaDB's snapshot isolation) and
		# the database ended the transaction: this save fails anyway; the other Client is read in a fresh one
		frappe.db.rollback()
		existing = find_client_by_tax_key(client.tax_key)
	if not existing:  # the other Client was deleted meanwhile: saving again will work
		frappe.throw(
			_("Another Client was saving the same INN at the same time: save again."),
			frappe.DuplicateEntryError,
		)
	link = get_link_to_form("Client", existing.name, existing.client_name)
	if client.client_type == tax_ids.COMPANY and client.kpp:
		message = _("Client {0} already has INN {1} and KPP {2}.").format(link, client.tax_id, client.kpp)
	else:
		message = _("Client {0} already has INN {1}.").format(link, client.tax_id)
	frappe.throw(message, frappe.DuplicateEntryError, title=_("Duplicate Client"))


def raise_if_tax_key_taken(client) -> None:
	"""The database ended the transaction saving the Client (`savepoints.ended_by_the_database`: with MariaDB's
	snapshot isolation, a Client with the same tax key committed meanwhile ends it instead of a duplicate key):
	when another Client holds the key now, say which, as for a duplicate (HTTP 409)."""
	frappe.db.rollback()
	if find_client_by_tax_key(client.tax_key):
		raise_duplicate_tax_id(client)


def normalize_name(name: str | None) -> str:
	"""Lower-case name without quotes, punctuation, legal forms and extra spaces: «ООО "Ромашка"» → ромашка."""
	text = _PUNCTUATION.sub(" ", _QUOTES.sub(" ", (name or "").lower()))
	words = [word for word in _SPACES.split(text) if word and word not in LEGAL_FORMS]
	return " ".join(words)


def warn_about_similar_names(client) -> None:
	if not client.normalized_name:
		return
	similar = frappe.get_list(  # only Clients the user may read are named
		"Client",
		filters={"normalized_name": client.normalized_name, "name": ("!=", client.name or "")},
		fields=["name", "client_name"],
		limit=5,
	)
	if not similar:
		return
	links = ", ".join(get_link_to_form("Client", row.name, row.client_name) for row in similar)
	frappe.msgprint(
		_("Clients with a similar name already exist: {0}").format(links),
		title=_("Possible duplicate"),
		indicator="orange",
		alert=True,
	)
