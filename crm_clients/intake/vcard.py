"""vCard files (.vcf): versions 2.1, 3.0 and 4.0, one or many cards, parsed with `vobject`.

The file is cut into cards at their BEGIN:VCARD / END:VCARD lines first, so that a malformed card is
reported with its number and the cards after it are still read. vCard 2.1's QUOTED-PRINTABLE values
(what phones export Cyrillic as) may continue on the next line after a soft line break ("=" at the end);
vobject does not join such lines, so they are joined before a card is parsed.

ORG → the Client (its first component; none: the person is an individual client), N / FN → the
person's name, TITLE → position, TEL (all, typed: CELL → mobile, FAX, HOME, WORK), EMAIL, ADR, NOTE, URL.
"""

import re

import frappe
import vobject
from frappe import _

from crm_clients.intake.records import Record
from crm_clients.intake.spreadsheet import decode_text
from crm_clients.persons import FAX, HOME, MOBILE, WORK, Person, Phone, PostalAddress

_BEGIN = re.compile(r"^BEGIN:VCARD\s*$", re.IGNORECASE)
_END = re.compile(r"^END:VCARD\s*$", re.IGNORECASE)
_QUOTED_PRINTABLE = re.compile(r"^[^:]*QUOTED-PRINTABLE[^:]*:", re.IGNORECASE)


def records_from_vcf(content: bytes | str) -> list[Record]:
	"""One Record per card, numbered from 1 in file order; a card that cannot be read has `error` set."""
	text = content if isinstance(content, str) else decode_text(content)
	return [record_from_card(number, card) for number, card in enumerate(split_cards(text), start=1)]


def split_cards(text: str) -> list[str]:
	"""The text of each BEGIN:VCARD … END:VCARD block (an unterminated last card included)."""
	cards, current = [], None
	for line in text.splitlines():
		if _BEGIN.match(line.strip()):
			if current is not None:
				cards.append("\r\n".join(current))  # a card without END:VCARD: reported as malformed
			current = [line.strip()]
		elif current is not None:
			current.append(line)
			if _END.match(line.strip()):
				cards.append("\r\n".join(current) + "\r\n")
				current = None
	if current is not None:
		cards.append("\r\n".join(current))
	return cards


def join_soft_line_breaks(card: str) -> str:
	"""vCard 2.1: a QUOTED-PRINTABLE value ending with "=" continues on the next line."""
	lines, joined = card.split("\r\n"), []
	for line in lines:
		if joined and joined[-1].endswith("=") and _QUOTED_PRINTABLE.match(joined[-1]):
			joined[-1] = joined[-1][:-1] + line  # the next line is the value's, spaces included
		else:
			joined.append(line)
	return "\r\n".join(joined)


def record_from_card(number: int, card: str) -> Record:
	try:
		component = vobject.readOne(join_soft_line_breaks(card))
		if component.name.upper() != "VCARD":
			raise ValueError(component.name)
		return record_from_component(number, component)
	except Exception as error:
		return Record(
			number=number, error=_("card {0} cannot be read: {1}").format(number, card_error(error))
		)


def card_error(error: Exception) -> str:
	if isinstance(error, vobject.base.ParseError):
		return _("malformed line {0}").format(getattr(error, "lineNumber", "") or "")
	return str(error) or type(error).__name__


def record_from_component(number: int, card) -> Record:
	person = Person()
	set_name(person, card)
	person.designation = first_text(card, "title") or first_text(card, "role")
	person.emails = [text_value(line) for line in lines(card, "email") if text_value(line)]
	person.phones = [
		Phone(text_value(line), phone_kind(line)) for line in lines(card, "tel") if text_value(line)
	]
	person.addresses = [postal_address(line) for line in lines(card, "adr")]
	person.notes = [text_value(line) for line in lines(card, "note") if text_value(line)]
	person.website = first_text(card, "url")
	organisation = organisation_name(card)
	if not organisation and person.is_empty():
		return Record(
			number=number, error=_("card {0} has neither an organisation nor a person").format(number)
		)
	return Record(number=number, client_name=organisation, persons=[person])


def lines(card, name: str) -> list:
	return card.contents.get(name, [])


def text_value(line) -> str:
	value = line.value
	if isinstance(value, list):
		value = " ".join(str(part) for part in value if part)
	text = str(value or "").strip()
	if text.lower().startswith(("tel:", "mailto:")):
		text = text.split(":", 1)[1]
	return text


def first_text(card, name: str) -> str:
	return next((text_value(line) for line in lines(card, name) if text_value(line)), "")


def set_name(person: Person, card) -> None:
	"""N gives last, first and middle names; else FN is split ("Иван Иванов" → first, last)."""
	structured = lines(card, "n")
	if structured and isinstance(structured[0].value, vobject.vcard.Name):
		name = structured[0].value
		person.last_name = join_part(name.family)
		person.first_name = join_part(name.given)
		person.middle_name = join_part(name.additional)
	if person.full_name():
		return
	words = first_text(card, "fn").split()
	if words:
		person.first_name = words[0]
		person.last_name = " ".join(words[1:])


def join_part(part, separator: str = " ") -> str:
	"""A structured value's part; a list (vobject splits at commas) is joined back."""
	if isinstance(part, list):
		return separator.join(str(item).strip() for item in part if str(item).strip())
	return str(part or "").strip()


def organisation_name(card) -> str:
	for line in lines(card, "org"):
		value = line.value
		parts = value if isinstance(value, list) else [value]
		name = next((str(part).strip() for part in parts if str(part).strip()), "")
		if name:
			return name
	return ""


def types_of(line) -> set[str]:
	"""TYPE values however the version writes them: TYPE=CELL,VOICE / TYPE="work,voice" / 2.1's bare CELL."""
	types = set()
	for value in line.params.get("TYPE", []) + list(line.singletonparams):
		types.update(part.strip().strip('"').lower() for part in str(value).split(","))
	return types


def phone_kind(line) -> str:
	types = types_of(line)
	if "fax" in types:
		return FAX
	if types & {"cell", "mobile", "iphone"}:
		return MOBILE
	if "home" in types:
		return HOME
	return WORK


def postal_address(line) -> PostalAddress:
	value = line.value
	if not isinstance(value, vobject.vcard.Address):
		return PostalAddress(text=text_value(line))
	return PostalAddress(
		street=", ".join(
			part
			for part in (
				join_part(value.box, ", "),
				join_part(value.extended, ", "),
				join_part(value.street, ", "),
			)
			if part
		),
		city=join_part(value.city),
		region=join_part(value.region),
		postcode=join_part(value.code),
		country=join_part(value.country),
		kind=HOME if "home" in types_of(line) else WORK,
	)
