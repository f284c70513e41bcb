"""Russian tax identifiers: ИНН and КПП.

The check digits of ИНН are python-stdnum's (`stdnum.ru.inn`, maintained and widely used). This module adds
what stdnum lacks:

* the length a client type needs (10 digits for a company, 12 for an individual);
* refusing inner spaces and dashes instead of silently removing them (stdnum's `compact` strips them);
* КПП, which stdnum does not know: 9 characters — 4 digits, 2 digits or capital Latin letters, 3 digits
  (no check digit);
* problem codes. The Frappe layer (`data_quality`) turns each code into a translated message.

No Frappe import, so it is unit-tested without a site.
"""

import re

from stdnum.exceptions import InvalidChecksum, ValidationError
from stdnum.ru import inn as stdnum_inn

from crm_clients.vocabulary import COMPANY, INDIVIDUAL

# Problem codes (data_quality.py has the message of each)
DIGITS_ONLY = "digits_only"
INN_COMPANY_LENGTH = "inn_company_length"
INN_INDIVIDUAL_LENGTH = "inn_individual_length"
INN_LENGTH = "inn_length"
CHECK_DIGIT_WRONG = "check_digit_wrong"
KPP_LENGTH = "kpp_length"
KPP_FORMAT = "kpp_format"

# ASCII only: str.isdigit() and the regex \d also accept other Unicode digits such as "٣" or "²".
_DIGITS = re.compile(r"[0-9]*")
_KPP = re.compile(r"[0-9]{4}[0-9A-Z]{2}[0-9]{3}")

# Whitespace plus invisible characters that come with copy-paste (zero-width space, BOM).
# str.strip() without arguments already covers the no-break spaces U+00A0, U+2007 and U+202F.
_INVISIBLE = "\u200b\ufeff"


def normalize(value: str | None) -> str:
	"""Return the value without surrounding whitespace (including no-break spaces); "" for None.

	Inner characters are kept as they are, so that invalid input is refused rather than repaired."""
	if value is None:
		return ""
	text = str(value)
	previous = None
	while text != previous:
		previous = text
		text = text.strip().strip(_INVISIBLE)
	return text


def _is_digits(value: str) -> bool:
	return _DIGITS.fullmatch(value) is not None


def inn_check_digits(prefix: str) -> str:
	"""Check digit(s) for an ИНН prefix: 9 digits -> 1 digit (company), 10 digits -> 2 digits (individual)."""
	if not _is_digits(prefix) or len(prefix) not in (9, 10):
		raise ValueError(f"ИНН prefix must be 9 or 10 digits, got {prefix!r}")
	if len(prefix) == 9:
		return stdnum_inn.calc_company_check_digit(prefix)
	return stdnum_inn.calc_personal_check_digits(prefix)


def make_inn(prefix: str) -> str:
	"""Append the check digit(s): 9 digits -> 10-digit company ИНН, 10 digits -> 12-digit individual ИНН."""
	return prefix + inn_check_digits(prefix)


def inn_problem(inn: str, client_type: str | None = None) -> str | None:
	"""None if the ИНН is valid, else a problem code.

	client_type "Company" requires 10 digits, "Individual" 12 digits; any other value (or None) accepts both."""
	inn = inn or ""
	if not _is_digits(inn):
		return DIGITS_ONLY
	wanted = {COMPANY: (10, INN_COMPANY_LENGTH), INDIVIDUAL: (12, INN_INDIVIDUAL_LENGTH)}.get(client_type)
	if wanted and len(inn) != wanted[0]:
		return wanted[1]
	if len(inn) not in (10, 12):
		return INN_LENGTH
	try:
		stdnum_inn.validate(inn)
	except InvalidChecksum:
		return CHECK_DIGIT_WRONG
	except ValidationError:
		return DIGITS_ONLY
	return None


def kpp_problem(kpp: str) -> str | None:
	"""None if the КПП is well-formed, else a problem code. КПП has no check digit."""
	kpp = kpp or ""
	if len(kpp) != 9:
		return KPP_LENGTH
	if _KPP.fullmatch(kpp) is None:
		return KPP_FORMAT
	return None
