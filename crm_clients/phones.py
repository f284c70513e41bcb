"""Phone numbers: parsed and formatted with `phonenumbers`, Russia being the default region."""

import re

import phonenumbers

DEFAULT_REGION = "RU"
_DIGITS = re.compile(r"\d")


def parse(text: str | None, region: str = DEFAULT_REGION):
	"""The phonenumbers.PhoneNumber of a text ("8 (495) 123-45-67", "+1 212 555 0100"), or None."""
	text = (text or "").strip()
	if text.lower().startswith("tel:"):
		text = text[4:]
	if len(_DIGITS.findall(text)) < 5:
		return None
	try:
		number = phonenumbers.parse(text, region)
	except phonenumbers.NumberParseException:
		return None
	if not phonenumbers.is_possible_number(number):
		return None
	return number


def normalize(text: str | None, region: str = DEFAULT_REGION) -> str | None:
	"""E.164 form, the key numbers are compared by: "8 (495) 123-45-67" → "+74951234567"; None if no number."""
	number = parse(text, region)
	return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164) if number else None


def format_for_contact(text: str | None, region: str = DEFAULT_REGION) -> str | None:
	"""How a number is stored on a Contact: international format without extension, "+7 495 123-45-67"."""
	number = parse(text, region)
	if not number:
		return None
	number.extension = None
	return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
