"""People as every way in knows them before they are Contacts: a Person with names, position, e-mails, phones
and addresses (a sheet's row, a vCard, a business card, a Lead's contact person, the new-contact dialog)."""

from dataclasses import dataclass, field

# Kinds of phone numbers (vCard TEL types, card labels, spreadsheet columns)
MOBILE = "mobile"
WORK = "work"
HOME = "home"
FAX = "fax"


@dataclass
class Phone:
	number: str
	kind: str = WORK


@dataclass
class PostalAddress:
	street: str = ""
	city: str = ""
	region: str = ""
	postcode: str = ""
	country: str = ""
	kind: str = WORK
	text: str = ""  # the address as one line, when it could not be split

	def as_text(self) -> str:
		if self.text:
			return self.text
		parts = [self.postcode, self.country, self.region, self.city, self.street]
		return ", ".join(part for part in parts if part)

	def is_empty(self) -> bool:
		return not self.as_text().strip()


@dataclass
class Person:
	first_name: str = ""
	middle_name: str = ""
	last_name: str = ""
	salutation: str = ""
	designation: str = ""
	emails: list[str] = field(default_factory=list)
	phones: list[Phone] = field(default_factory=list)
	addresses: list[PostalAddress] = field(default_factory=list)
	notes: list[str] = field(default_factory=list)
	website: str = ""

	def full_name(self) -> str:
		return " ".join(part for part in (self.first_name, self.middle_name, self.last_name) if part)

	def is_empty(self) -> bool:
		return not (self.full_name() or self.emails or self.phones)
