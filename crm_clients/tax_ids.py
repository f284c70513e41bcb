"""Russian tax identifiers: ИНН, КПП, ОГРН, ОГРНИП.

The check digits of ИНН and ОГРН are python-stdnum's (`stdnum.ru.inn`, `stdnum.ru.ogrn`, maintained and widely
used). This module adds what stdnum lacks:

* the length a client type needs (10 digits for a company, 12 for an individual);
* refusing inner spaces and dashes instead of silently removing them (stdnum's `compact` strips them);
* КПП, which stdnum does not know: 9 characters — 4 digits, 2 digits or capital Latin letters, 3 digits
  (no check digit);
* ОГРНИП: stdnum takes the 15th digit as (first 14 digits mod 13) without the final mod 10, so it refuses
  every valid ОГРНИП whose remainder is 10–12; the rule of the ФНС is (mod 13) mod 10;
* problem codes. The Frappe layer (`data_quality`) turns each code into a translated message.

Pure Python, no Frappe import, so it is unit-tested without a site.
"""

import re

from stdnum.exceptions import InvalidChecksum, ValidationError
from stdnum.ru import inn as stdnum_inn
from stdnum.ru import ogrn as stdnum_ogrn

COMPANY = "Company"
INDIVIDUAL = "Individual"

# Problem codes (data_quality.py has the message of each)
DIGITS_ONLY = "digits_only"
INN_COMPANY_LENGTH = "inn_company_length"
INN_INDIVIDUAL_LENGTH = "inn_individual_length"
INN_LENGTH = "inn_length"
CHECK_DIGIT_WRONG = "check_digit_wrong"
KPP_LENGTH = "kpp_length"
KPP_FORMAT = "kpp_format"
OGRN_LENGTH = "ogrn_length"
OGRNIP_LENGTH = "ogrnip_length"
OGRN_FORMAT = "ogrn_format"

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


def make_ogrn(prefix: str) -> str:
	"""Append the check digit to the first 12 digits of an ОГРН."""
	if not _is_digits(prefix) or len(prefix) != 12:
		raise ValueError(f"ОГРН prefix must be 12 digits, got {prefix!r}")
	return prefix + stdnum_ogrn.calc_check_digit(prefix + "0")


def make_ogrnip(prefix: str) -> str:
	"""Append the check digit to the first 14 digits of an ОГРНИП."""
	if not _is_digits(prefix) or len(prefix) != 14:
		raise ValueError(f"ОГРНИП prefix must be 14 digits, got {prefix!r}")
	return prefix + _ogrnip_check_digit(prefix)


def _ogrnip_check_digit(prefix: str) -> str:
	return str(int(prefix) % 13 % 10)


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


def ogrn_problem(ogrn: str) -> str | None:
	"""None if the ОГРН (13 digits) is valid, else a problem code."""
	ogrn = ogrn or ""
	if not _is_digits(ogrn):
		return DIGITS_ONLY
	if len(ogrn) != 13:
		return OGRN_LENGTH
	try:
		stdnum_ogrn.validate(ogrn)
	except InvalidChecksum:
		return CHECK_DIGIT_WRONG
	except ValidationError:
		return OGRN_FORMAT
	return None


def ogrnip_problem(ogrnip: str) -> str | None:
	"""None if the ОГРНИП (15 digits) is valid, else a problem code."""
	ogrnip = ogrnip or ""
	if not _is_digits(ogrnip):
		return DIGITS_ONLY
	if len(ogrnip) != 15:
		return OGRNIP_LENGTH
	if ogrnip[14] != _ogrnip_check_digit(ogrnip[:14]):
		return CHECK_DIGIT_WRONG
	return None
