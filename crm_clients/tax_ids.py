"""Validators for Russian tax identifiers: ИНН, КПП, ОГРН, ОГРНИП.

Pure Python, no Frappe import, so it can be unit-tested without a site. Every ``*_problem`` function
returns ``None`` for a valid value, otherwise one of the short English message constants below; the
Frappe layer translates it with ``_()`` and embeds it, e.g. "ИНН {0}: {1}".

Check-digit algorithms are the ones used by the Федеральная налоговая служба (ФНС России) and widely
documented, e.g. ru.wikipedia.org, «Идентификационный номер налогоплательщика» (ИНН) and
«Основной государственный регистрационный номер» (ОГРН, ОГРНИП):

* ИНН, 10 digits (organisation): weights 2 4 10 3 5 9 4 6 8 on digits 1-9, (sum % 11) % 10 = digit 10.
* ИНН, 12 digits (individual): weights 7 2 4 10 3 5 9 4 6 8 on digits 1-10 give digit 11, then
  weights 3 7 2 4 10 3 5 9 4 6 8 on digits 1-11 give digit 12, each as (sum % 11) % 10.
* ОГРН, 13 digits: (first 12 digits as a number % 11) % 10 = digit 13.
* ОГРНИП, 15 digits: (first 14 digits as a number % 13) % 10 = digit 15.
* КПП, 9 characters: 4 digits, 2 digits or capital Latin letters, 3 digits; it has no check digit.

Inputs are expected to be normalized with ``normalize`` first; nothing inside a value is silently removed,
so inner spaces, dashes or letters are reported as errors.
"""

import re

COMPANY = "Company"
INDIVIDUAL = "Individual"

# Messages: plain English, lowercase-first, translated by the caller with _().
DIGITS_ONLY = "must contain digits only"
INN_COMPANY_LENGTH = "must have 10 digits for a company"
INN_INDIVIDUAL_LENGTH = "must have 12 digits for an individual"
INN_LENGTH = "must have 10 or 12 digits"
CHECK_DIGIT_WRONG = "check digit is wrong"
KPP_LENGTH = "must have 9 characters"
KPP_FORMAT = "must be 4 digits, 2 digits or capital Latin letters, then 3 digits"
OGRN_LENGTH = "must have 13 digits"
OGRNIP_LENGTH = "must have 15 digits"

INN_10_WEIGHTS = (2, 4, 10, 3, 5, 9, 4, 6, 8)
INN_12_WEIGHTS_1 = (7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
INN_12_WEIGHTS_2 = (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)

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


def _weighted_check_digit(digits: str, weights: tuple[int, ...]) -> int:
	return sum(int(digit) * weight for digit, weight in zip(digits, weights, strict=True)) % 11 % 10


def inn_check_digits(prefix: str) -> str:
	"""Check digit(s) for an ИНН prefix: 9 digits -> 1 digit (company), 10 digits -> 2 digits (individual)."""
	if not _is_digits(prefix) or len(prefix) not in (9, 10):
		raise ValueError(f"ИНН prefix must be 9 or 10 digits, got {prefix!r}")
	if len(prefix) == 9:
		return str(_weighted_check_digit(prefix, INN_10_WEIGHTS))
	first = str(_weighted_check_digit(prefix, INN_12_WEIGHTS_1))
	second = str(_weighted_check_digit(prefix + first, INN_12_WEIGHTS_2))
	return first + second


def make_inn(prefix: str) -> str:
	"""Append the check digit(s): 9 digits -> 10-digit company ИНН, 10 digits -> 12-digit individual ИНН."""
	return prefix + inn_check_digits(prefix)


def _ogrn_check_digit(prefix: str) -> str:
	return str(int(prefix) % 11 % 10)


def _ogrnip_check_digit(prefix: str) -> str:
	return str(int(prefix) % 13 % 10)


def make_ogrn(prefix: str) -> str:
	"""Append the check digit to the first 12 digits of an ОГРН."""
	if not _is_digits(prefix) or len(prefix) != 12:
		raise ValueError(f"ОГРН prefix must be 12 digits, got {prefix!r}")
	return prefix + _ogrn_check_digit(prefix)


def make_ogrnip(prefix: str) -> str:
	"""Append the check digit to the first 14 digits of an ОГРНИП."""
	if not _is_digits(prefix) or len(prefix) != 14:
		raise ValueError(f"ОГРНИП prefix must be 14 digits, got {prefix!r}")
	return prefix + _ogrnip_check_digit(prefix)


def inn_problem(inn: str, client_type: str | None = None) -> str | None:
	"""None if the ИНН is valid, else a message constant.

	client_type "Company" requires 10 digits, "Individual" 12 digits; any other value (or None) accepts both."""
	inn = inn or ""
	if not _is_digits(inn):
		return DIGITS_ONLY
	if client_type == COMPANY:
		if len(inn) != 10:
			return INN_COMPANY_LENGTH
	elif client_type == INDIVIDUAL:
		if len(inn) != 12:
			return INN_INDIVIDUAL_LENGTH
	elif len(inn) not in (10, 12):
		return INN_LENGTH
	prefix_length = 9 if len(inn) == 10 else 10
	if inn[prefix_length:] != inn_check_digits(inn[:prefix_length]):
		return CHECK_DIGIT_WRONG
	return None


def kpp_problem(kpp: str) -> str | None:
	"""None if the КПП is well-formed, else a message constant. КПП has no check digit."""
	kpp = kpp or ""
	if len(kpp) != 9:
		return KPP_LENGTH
	if _KPP.fullmatch(kpp) is None:
		return KPP_FORMAT
	return None


def ogrn_problem(ogrn: str) -> str | None:
	"""None if the ОГРН (13 digits) is valid, else a message constant."""
	ogrn = ogrn or ""
	if not _is_digits(ogrn):
		return DIGITS_ONLY
	if len(ogrn) != 13:
		return OGRN_LENGTH
	if ogrn[12] != _ogrn_check_digit(ogrn[:12]):
		return CHECK_DIGIT_WRONG
	return None


def ogrnip_problem(ogrnip: str) -> str | None:
	"""None if the ОГРНИП (15 digits) is valid, else a message constant."""
	ogrnip = ogrnip or ""
	if not _is_digits(ogrnip):
		return DIGITS_ONLY
	if len(ogrnip) != 15:
		return OGRNIP_LENGTH
	if ogrnip[14] != _ogrnip_check_digit(ogrnip[:14]):
		return CHECK_DIGIT_WRONG
	return None
