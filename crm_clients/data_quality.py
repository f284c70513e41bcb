"""Data quality of Clients: Russian tax IDs (ИНН, КПП) and duplicates."""

import re

import frappe
from frappe import _
from frappe.utils import get_link_to_form

from crm_clients import tax_ids

RUSSIA = "Russian Federation"

# Legal forms ignored when comparing Client names
LEGAL_FORMS = (
	"ооо",
	"оао",
	"зао",
	"пао",
	"нао",
	"ао",
	"ип",
	"нко",
	"ано",
	"фгуп",
	"гуп",
	"муп",
	"llc",
	"ltd",
	"limited",
	"inc",
	"corp",
	"gmbh",
	"ag",
	"plc",
	"jsc",
	"pjsc",
	"co",
)
_QUOTES = re.compile(r"[\"'«»“”„‘’`]")
_PUNCTUATION = re.compile(r"[.,;:()\-]")
_SPACES = re.compile(r"\s+")


def validate_client(client) -> None:
	client.tax_id = tax_ids.normalize(client.tax_id) or None
	client.kpp = tax_ids.normalize(client.kpp) or None
	if is_russian(client):
		validate_russian_tax_ids(client)
	validate_unique_tax_id(client)
	client.normalized_name = normalize_name(client.client_name)
	warn_about_similar_names(client)


def is_russian(client) -> bool:
	return client.country == RUSSIA


def validate_russian_tax_ids(client) -> None:
	if client.tax_id and (problem := tax_ids.inn_problem(client.tax_id, client.client_type)):
		frappe.throw(
			_("INN {0}: {1}.").format(frappe.bold(client.tax_id), _(problem)), title=_("Invalid INN")
		)
	if not client.kpp:
		return
	if client.client_type != tax_ids.COMPANY:
		frappe.throw(_("KPP is for companies only: clear it for an individual."), title=_("Invalid KPP"))
	if problem := tax_ids.kpp_problem(client.kpp):
		frappe.throw(_("KPP {0}: {1}.").format(frappe.bold(client.kpp), _(problem)), title=_("Invalid KPP"))


def find_client_with_tax_id(tax_id: str, kpp: str | None, client_type: str, exclude: str | None = None):
	filters = {"tax_id": tax_id, "name": ("!=", exclude or "")}
	if client_type == tax_ids.COMPANY:
		filters["kpp"] = kpp or ("is", "not set")
	return frappe.db.get_value("Client", filters, ["name", "client_name"], as_dict=True)


def validate_unique_tax_id(client) -> None:
	if not client.tax_id:
		return
	existing = find_client_with_tax_id(client.tax_id, client.kpp, client.client_type, exclude=client.name)
	if not existing:
		return
	link = get_link_to_form("Client", existing.name, existing.client_name)
	if client.client_type == tax_ids.COMPANY and client.kpp:
		message = _("Client {0} already has INN {1} and KPP {2}.").format(link, client.tax_id, client.kpp)
	else:
		message = _("Client {0} already has INN {1}.").format(link, client.tax_id)
	frappe.throw(message, frappe.DuplicateEntryError, title=_("Duplicate Client"))


def normalize_name(name: str | None) -> str:
	"""Lower-case name without quotes, punctuation, legal forms and extra spaces: «ООО "Ромашка"» → ромашка."""
	text = _PUNCTUATION.sub(" ", _QUOTES.sub(" ", (name or "").lower()))
	words = [word for word in _SPACES.split(text) if word and word not in LEGAL_FORMS]
	return " ".join(words)


def warn_about_similar_names(client) -> None:
	if not client.normalized_name:
		return
	similar = frappe.get_all(
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
