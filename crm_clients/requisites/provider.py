"""The register's provider: DaData's party API, the one place that knows its URLs, fields and errors.

Two methods under the settings' base URL (`requisites_url`, DaData's suggestions API by default):
`findById/party` (an ИНН or ОГРН, with a КПП or the head office) and `suggest/party` (a name). Each answer's
`suggestions[].data` becomes an `Organisation`, the app's own shape. Every failure — no key, the key refused,
the daily quota spent (HTTP 403), too many requests, a timeout, a server error — is a `RequisitesError` with a
translated message; nothing is changed by a failed request.
"""

import datetime
from dataclasses import asdict, dataclass, field

import frappe
import httpx
from frappe import _

from crm_clients import tax_ids
from crm_clients.requisites import ACTIVE, BRANCH, MAIN, REGISTER_STATUSES
from crm_clients.vocabulary import COMPANY, INDIVIDUAL

SETTINGS = "CRM Clients Settings"
DEFAULT_URL = "https://suggestions.dadata.ru/suggestions/api/4_1/rs"
DEFAULT_TIMEOUT = 10  # seconds
SOURCE = "DaData"
SIGN_UP_URL = "https://dadata.ru/api/"
MAX_COUNT = 20  # DaData answers at most 20 suggestions


class RequisitesError(frappe.ValidationError):
	"""The register could not be asked (the message says why); nothing was changed."""


class NotConfigured(RequisitesError):
	"""No API key, or the feature is off."""


class QuotaSpent(RequisitesError):
	"""The provider's daily quota is spent (HTTP 403): try again tomorrow."""


class ProviderUnavailable(RequisitesError):
	"""A timeout, a server error, an unexpected answer."""


@dataclass
class Organisation:
	"""One organisation as the register knows it (what `find_organisations` returns, plus the details `fill`
	uses)."""

	client_name: str  # short name with legal form: ООО «Ромашка», ИП Иванов Иван Иванович
	legal_name: str  # full name with legal form
	client_type: str  # Company / Individual
	tax_id: str
	kpp: str | None = None
	ogrn: str | None = None
	ogrn_date: str | None = None  # ISO date
	address: str | None = None  # one line
	director: str | None = None
	director_position: str | None = None
	okved: str | None = None
	register_status: str = ACTIVE
	register_status_date: str | None = None  # ISO date: liquidation date, else the status's actuality date
	branch_type: str = MAIN
	address_parts: dict = field(default_factory=dict)  # postcode, region, city, street (the rest of the line)
	source: str = SOURCE

	def as_dict(self) -> dict:
		return asdict(self)


# Settings


def get_settings() -> dict:
	"""The provider's settings; the key decrypted (None when missing)."""
	settings = frappe.get_cached_doc(SETTINGS)
	return {
		"enabled": bool(settings.requisites_enabled),
		"url": (settings.requisites_url or DEFAULT_URL).rstrip("/"),
		"api_key": settings.get_password("requisites_api_key", raise_exception=False) or None,
		"timeout": settings.requisites_timeout or DEFAULT_TIMEOUT,
		"sample_data": bool(settings.requisites_sample_data),
	}


def is_configured() -> bool:
	settings = get_settings()
	return settings["enabled"] and bool(settings["api_key"])


def not_configured_message() -> str:
	"""How to get a key (the button's explanation without one)."""
	return _(
		"Requisites by ИНН are not set up: enter DaData's API key in {0}. A free DaData account (register at {1}) answers 10,000 requests a day."
	).format(
		'<a href="/app/crm-clients-settings">{}</a>'.format(_("CRM Clients Settings")),
		f'<a href="{SIGN_UP_URL}" target="_blank" rel="noopener">dadata.ru</a>',
	)


# Asking


def find(query: str, kpp: str | None = None) -> list[Organisation]:
	"""Organisations for an ИНН or ОГРН (exactly, with its branches unless a КПП is given), else by name."""
	text = " ".join((query or "").split())
	if not text:
		return []
	compact = text.replace(" ", "")
	if compact.isdigit() and len(compact) in (10, 12, 13, 15):
		if len(compact) in (10, 12):
			problem = tax_ids.inn_problem(compact)
			if problem:
				from crm_clients.data_quality import problem_message

				frappe.throw(problem_message(problem), RequisitesError, title=_("Requisites by ИНН"))
		return find_by_id(compact, kpp=kpp)
	return suggest(text)


def find_by_id(tax_id: str, kpp: str | None = None, main_only: bool = False) -> list[Organisation]:
	"""`findById/party`: the organisation of an ИНН/ОГРН; its head office first, then its branches (or the
	branch of the КПП)."""
	payload = {"query": tax_id, "count": MAX_COUNT}
	if kpp:
		payload["kpp"] = kpp
	elif main_only:
		payload["branch_type"] = MAIN
	found = [organisation(item) for item in call("findById/party", payload)]
	return sorted(found, key=lambda org: org.branch_type != MAIN)


def suggest(text: str) -> list[Organisation]:
	"""`suggest/party`: organisations whose name (or ИНН, ОГРН, address) matches the text, best first."""
	return [organisation(item) for item in call("suggest/party", {"query": text[:300], "count": 10})]


def find_one(tax_id: str, kpp: str | None = None) -> Organisation | None:
	"""The organisation of a Client's ИНН: the branch of its КПП, else its head office; None when not found."""
	found = find_by_id(tax_id, kpp=kpp) if kpp else []
	if not found:
		found = find_by_id(tax_id, main_only=True)
	return found[0] if found else None


def call(method: str, payload: dict) -> list[dict]:
	"""One POST to the provider; its `suggestions`, or a `RequisitesError` saying what went wrong."""
	settings = get_settings()
	if not settings["enabled"] or not settings["api_key"]:
		raise NotConfigured(not_configured_message())
	url = f"{settings['url']}/{method}"
	headers = {
		"Authorization": f"Token {settings['api_key']}",
		"Content-Type": "application/json",
		"Accept": "application/json",
	}
	try:
		response = httpx.post(url, json=payload, headers=headers, timeout=settings["timeout"])
	except httpx.TimeoutException:
		raise ProviderUnavailable(
			_("The register did not answer within {0} seconds: nothing was changed, try again later.").format(
				settings["timeout"]
			)
		) from None
	except httpx.HTTPError as error:
		raise ProviderUnavailable(
			_("The register cannot be reached ({0}): nothing was changed, try again later.").format(
				type(error).__name__
			)
		) from None
	if response.status_code == 401:
		raise NotConfigured(
			_("The register's provider refused the API key: check it in {0}.").format(
				_("CRM Clients Settings")
			)
		)
	if response.status_code == 403:
		raise QuotaSpent(
			_(
				"The register's daily quota of requests is spent (or the provider's account is blocked): nothing was changed, try again tomorrow."
			)
		)
	if response.status_code == 429:
		raise ProviderUnavailable(
			_(
				"The register's provider got too many requests at once: nothing was changed, try again in a minute."
			)
		)
	if response.status_code != 200:
		raise ProviderUnavailable(
			_(
				"The register's provider answered with an error (HTTP {0}): nothing was changed, try again later."
			).format(response.status_code)
		)
	try:
		suggestions = response.json().get("suggestions") or []
	except (ValueError, AttributeError):
		raise ProviderUnavailable(
			_("The register's provider gave an answer that is not understood: nothing was changed.")
		) from None
	return [item for item in suggestions if isinstance(item, dict) and isinstance(item.get("data"), dict)]


# The provider's fields → the app's


def organisation(item: dict) -> Organisation:
	"""One of DaData's `suggestions` as an Organisation."""
	data = item["data"]
	names = data.get("name") or {}
	individual = data.get("type") == "INDIVIDUAL"
	state = data.get("state") or {}
	management = data.get("management") or {}
	address = data.get("address") or {}
	status = state.get("status") if state.get("status") in REGISTER_STATUSES else ACTIVE
	director, position = management.get("name"), management.get("post")
	if individual and not director:
		director = fio(data.get("fio")) or None
		position = None
	return Organisation(
		client_name=names.get("short_with_opf") or item.get("value") or names.get("full_with_opf") or "",
		legal_name=names.get("full_with_opf") or item.get("unrestricted_value") or item.get("value") or "",
		client_type=INDIVIDUAL if individual else COMPANY,
		tax_id=data.get("inn") or "",
		kpp=None if individual else data.get("kpp") or None,
		ogrn=data.get("ogrn") or None,
		ogrn_date=iso_date(data.get("ogrn_date")),
		address=address.get("unrestricted_value") or address.get("value") or None,
		director=director,
		director_position=position,
		okved=data.get("okved") or None,
		register_status=status,
		register_status_date=iso_date(state.get("liquidation_date") or state.get("actuality_date")),
		branch_type=BRANCH if data.get("branch_type") == BRANCH else MAIN,
		address_parts=address_parts(address),
	)


def fio(value: dict | None) -> str:
	value = value or {}
	return " ".join(
		part for part in (value.get("surname"), value.get("name"), value.get("patronymic")) if part
	)


def iso_date(milliseconds) -> str | None:
	"""DaData's dates are milliseconds since the epoch (UTC)."""
	if not isinstance(milliseconds, int | float):
		return None
	moment = datetime.datetime.fromtimestamp(milliseconds / 1000, tz=datetime.timezone.utc)
	return moment.date().isoformat()


def address_parts(address: dict) -> dict:
	"""The address split as an ERPNext Address wants it: postcode, region, city, and the street line."""
	data = address.get("data") or {}
	city = data.get("city_with_type") or data.get("settlement_with_type") or data.get("region_with_type")
	street_parts = [
		data.get("city_district_with_type"),
		data.get("settlement_with_type") if data.get("city") else None,
		data.get("street_with_type"),
		" ".join(filter(None, (data.get("house_type"), data.get("house")))),
		" ".join(filter(None, (data.get("block_type"), data.get("block")))),
		" ".join(filter(None, (data.get("flat_type"), data.get("flat")))),
	]
	street = ", ".join(part for part in street_parts if part)
	return {
		"postcode": data.get("postal_code"),
		"region": data.get("region_with_type"),
		"region_name": data.get("region"),
		"city": city,
		"street": street or address.get("value"),
	}
