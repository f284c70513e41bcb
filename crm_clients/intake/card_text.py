"""The text of a business card (Tesseract's output) → organisation, person, position, phones, e-mails,
website, address and ИНН. Pure Python with `phonenumbers`; the user checks the result before saving.
"""

import re
from dataclasses import dataclass, field

from crm_clients import phones
from crm_clients.persons import FAX, MOBILE, WORK, Phone, PostalAddress
from crm_clients.vocabulary import INDIVIDUAL_FORMS, LEGAL_FORMS, RUSSIA

POSITION_WORDS = (
	"директор", "менеджер", "руководитель", "начальник", "специалист", "бухгалтер", "инженер",
	"предприниматель", "консультант", "управляющий", "президент", "председатель", "заместитель",
	"главный", "ведущий", "старший", "юрист", "аналитик", "координатор", "представитель", "агент",
	"секретарь", "администратор", "продаж", "отдела", "эксперт", "партнер", "партнёр", "основатель",
	"director", "manager", "engineer", "officer", "head", "chief", "ceo", "cfo", "cto", "coo", "president",
	"consultant", "specialist", "representative", "executive", "assistant", "partner", "founder", "lead",
	"coordinator", "analyst", "accountant", "owner", "sales", "vp", "vice",
)  # fmt: skip
ADDRESS_MARKERS = re.compile(
	r"(^|[\s,])(г|ул|пр|пр-т|просп|д|пер|наб|ш|б-р|бул|пл|оф|стр|корп|к|мкр|обл|р-н)\.(\s|$)|"
	r"\b(улица|проспект|шоссе|переулок|набережная|бульвар|площадь|офис|область|район)\b|"
	r"^\d{6},|"
	r"\b(street|st\.|avenue|ave\.?|road|rd\.|boulevard|blvd|lane|drive|suite|square|floor|strasse|straße|platz|way)\b|"
	r",\s*[A-Z]{2}\s+\d{5}\b",
	re.IGNORECASE,
)
PATRONYMIC = re.compile(r"(вич|вна|ична|инична|оглы|кызы)$", re.IGNORECASE)
SURNAME = re.compile(
	r"(ов|ова|ев|ева|ёв|ёва|ин|ина|ын|ына|ский|ская|цкий|цкая|ой|ых|их|ук|юк|енко|ко|ян|дзе|швили)$",
	re.IGNORECASE,
)
RUSSIAN_FIRST_NAMES = {
	"александр", "алексей", "анатолий", "андрей", "антон", "аркадий", "артём", "артем", "борис", "вадим",
	"валентин", "валерий", "василий", "виктор", "виталий", "владимир", "владислав", "вячеслав", "геннадий",
	"георгий", "глеб", "григорий", "даниил", "денис", "дмитрий", "евгений", "егор", "иван", "игорь", "илья",
	"кирилл", "константин", "лев", "леонид", "максим", "михаил", "никита", "николай", "олег", "павел",
	"пётр", "петр", "роман", "руслан", "сергей", "станислав", "степан", "тимур", "фёдор", "федор", "юрий",
	"ярослав", "александра", "алёна", "алена", "алина", "алла", "анастасия", "анна", "валентина", "валерия",
	"вера", "виктория", "галина", "дарья", "евгения", "екатерина", "елена", "елизавета", "жанна", "зоя",
	"инна", "ирина", "карина", "кристина", "ксения", "лариса", "лидия", "любовь", "людмила", "маргарита",
	"марина", "мария", "надежда", "наталья", "наталия", "нина", "оксана", "ольга", "полина", "светлана",
	"софья", "софия", "тамара", "татьяна", "ульяна", "юлия", "яна",
}  # fmt: skip

# Cyrillic letters Tesseract may put into Latin words (e-mails, sites) when it reads Russian and English
LATIN_LOOKALIKES = str.maketrans("аеорсхукмтнвАЕОРСХУКМТНВ", "aeopcxykmthbAEOPCXYKMTHB")
_EMAIL = re.compile(r"[a-z0-9][a-z0-9._%+-]*@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}", re.IGNORECASE)
_EMAIL_SPACES = re.compile(r"\s*([@.])\s*")
_WEBSITE = re.compile(
	r"\b(?:https?://)?(?:www\.)?[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9-]+)*\.(?:[a-z]{2,}|рф)(?:/[^\s]*)?",
	re.IGNORECASE,
)
_PHONE = re.compile(r"(?:\+|\b)\d[\d\s().\-–]{5,}\d")
# «ИНН» as Tesseract may misread it too: «HHH», «UHH», «ИHH», «NHH»
_INN_WORD = r"(?:инн|inn|[иunh1i][нh][нh])"
_TAX_LINE = re.compile(r"\b(инн|кпп|огрн|огрнип|бик|р/с|к/с|окпо|inn|kpp|[иunh1i][нh][нh])\b", re.IGNORECASE)
_INN = re.compile(
	_INN_WORD + r"(?:\s*/\s*(?:кпп|kpp))?[\s:№.]*(\d{12}|\d{10})(?:\s*/\s*(\d{9}))?", re.IGNORECASE
)
_KPP = re.compile(r"(?:кпп|kpp)[\s:№.]*(\d{9})", re.IGNORECASE)
_MOBILE_LABEL = re.compile(r"\b(моб|мобильный|сот|сотовый|mob|mobile|cell|gsm|m)\b\.?", re.IGNORECASE)
_PHONE_LABEL = re.compile(
	r"\b(тел|телефон|т|моб|сот|факс|tel|phone|ph|mob|mobile|cell|fax|t|m|f)\b", re.IGNORECASE
)
_FAX_LABEL = re.compile(r"\b(факс|fax|f)\b", re.IGNORECASE)
_QUOTES = {"<<": "«", ">>": "»", "„": "«", "“": "»", "”": "»"}
_WORD = re.compile(r"^[A-Za-zА-Яа-яЁё][A-Za-zА-Яа-яЁё'’\-]*$")
_LEADING_ZEROS_FORM = re.compile(r"^(?:[0OО]{3}|[AА][0OО]|[ПП]A[0OО]|3A[0OО]|ЗA[0OО])(?=\s)")


@dataclass
class CardData:
	organisation: str = ""
	individual_entrepreneur: bool = False
	first_name: str = ""
	middle_name: str = ""
	last_name: str = ""
	designation: str = ""
	phones: list[Phone] = field(default_factory=list)
	emails: list[str] = field(default_factory=list)
	website: str = ""
	address: PostalAddress | None = None
	tax_id: str = ""
	kpp: str = ""
	text: str = ""


def parse(text: str) -> CardData:
	card = CardData(text=text)
	lines = [clean_line(line) for line in (text or "").splitlines()]
	lines = [line for line in lines if line]
	used = set()

	card.emails = find_emails(lines, used)
	card.website = find_website(lines, used)
	card.tax_id, card.kpp = find_tax_ids(lines, used)
	card.phones = find_phones(lines, used)
	organisation = find_organisation(lines, used)
	if organisation:
		card.organisation, card.individual_entrepreneur = organisation
	card.designation = find_designation(lines, used)
	card.address = find_address(lines, used)
	set_person_name(card, lines, used)
	return card


def clean_line(line: str) -> str:
	line = " ".join(line.split())
	for wrong, right in _QUOTES.items():
		line = line.replace(wrong, right)
	return line.strip(" |_~")


# E-mails, website, tax IDs, phones


def find_emails(lines: list[str], used: set) -> list[str]:
	emails = []
	for index, line in enumerate(lines):
		if "@" not in line:
			continue
		text = _EMAIL_SPACES.sub(r"\1", line.translate(LATIN_LOOKALIKES))
		for match in _EMAIL.findall(text):
			email = match.lower().strip(".")
			if email not in emails:
				emails.append(email)
				used.add(index)
	return emails


def find_website(lines: list[str], used: set) -> str:
	for prefer_www in (True, False):
		for index, line in enumerate(lines):
			if "@" in line or index in used:
				continue
			text = line.translate(LATIN_LOOKALIKES) if re.search(r"[a-z]", line, re.IGNORECASE) else line
			for match in _WEBSITE.finditer(text):
				site = match.group(0).rstrip(".,;")
				if prefer_www and not site.lower().startswith(("www.", "http")):
					continue
				if site.lower().split(".")[-1] in ("д", "г", "ул"):
					continue
				if not prefer_www and not is_bare_domain_line(line, site):
					continue
				used.add(index)
				return site.lower()
	return ""


def is_bare_domain_line(line: str, site: str) -> bool:
	"""A site without www. only counts when it is (almost) the whole line or labelled as one."""
	rest = line.translate(LATIN_LOOKALIKES).replace(site, "").strip(" :")
	return not rest or rest.lower().rstrip(".:") in ("web", "site", "сайт", "www", "website", "url")


def find_tax_ids(lines: list[str], used: set) -> tuple[str, str]:
	tax_id = kpp = ""
	for index, line in enumerate(lines):
		match = _INN.search(line)
		if match and not tax_id:
			tax_id = match.group(1)
			kpp = match.group(2) or kpp
			used.add(index)
		match = _KPP.search(line)
		if match and not kpp:
			kpp = match.group(1)
			used.add(index)
	return tax_id, kpp


def find_phones(lines: list[str], used: set) -> list[Phone]:
	found, seen = [], set()
	for index, line in enumerate(lines):
		if index in used or _TAX_LINE.search(line) or "@" in line:
			continue
		labels = split_labelled_numbers(line)
		for label, candidate in labels:
			digits = re.sub(r"\D", "", candidate)
			if len(digits) < 7:
				continue
			has_format = candidate.strip().startswith("+") or re.search(r"[\s().\-–]", candidate.strip())
			if not has_format and not _PHONE_LABEL.search(label):
				continue  # bare digits are a phone number only when labelled as one
			e164 = phones.normalize(candidate.replace("–", "-"))
			if not e164 or e164 in seen:
				continue
			seen.add(e164)
			found.append(Phone(phones.format_for_contact(e164), phone_kind(label)))
			used.add(index)
	return found


def split_labelled_numbers(line: str) -> list[tuple[str, str]]:
	"""("Моб.", "+7 916 …") pairs of a line; a line may hold several numbers."""
	pairs, position = [], 0
	for match in _PHONE.finditer(line):
		label = line[position : match.start()].strip(" :,;/|")
		pairs.append((label, match.group(0)))
		position = match.end()
	return pairs


def phone_kind(label: str) -> str:
	if _FAX_LABEL.search(label or ""):
		return FAX
	if _MOBILE_LABEL.search(label or ""):
		return MOBILE
	return WORK


# Organisation, position, address, person


def words_of(line: str) -> list[str]:
	return [word for word in re.split(r"[\s,«»\"'“”()]+", line.lower()) if word]


def fix_legal_form(line: str) -> str:
	"""Tesseract reads «ООО» as «000» and «АО» as «А0» at times: a legal form before a name."""
	match = _LEADING_ZEROS_FORM.match(line)
	if not match:
		return line
	form = match.group(0).translate(str.maketrans("0OAP3", "ООАРЗ"))
	form = {"ООО": "ООО", "АО": "АО", "ПАО": "ПАО", "ЗАО": "ЗАО"}.get(form, form)
	return form + line[match.end() :]


def find_organisation(lines: list[str], used: set) -> tuple[str, bool] | None:
	candidates = [(index, fix_legal_form(line)) for index, line in enumerate(lines) if index not in used]
	for index, line in candidates:
		words = [word.strip(".") for word in words_of(line)]
		forms = [word for word in words if word in LEGAL_FORMS]
		if forms and len(words) > len(forms) and not is_address(line):
			used.add(index)
			return line, forms[0] in INDIVIDUAL_FORMS
	for index, line in candidates:
		if re.search(r"«[^»]+»|\"[^\"]+\"", line) and not is_address(line):
			used.add(index)
			return line, False
	return None


def is_address(line: str) -> bool:
	return bool(ADDRESS_MARKERS.search(line))


def find_designation(lines: list[str], used: set) -> str:
	for index, line in enumerate(lines):
		if index in used or re.search(r"\d|@", line):
			continue
		words = [word.strip(".") for word in words_of(line)]
		if any(
			word in POSITION_WORDS or word.startswith(("директор", "менеджер", "руковод")) for word in words
		):
			used.add(index)
			return line
	return ""


def find_address(lines: list[str], used: set) -> PostalAddress | None:
	for index, line in enumerate(lines):
		if index in used or "@" in line or not is_address(line):
			continue
		used.add(index)
		return split_address(line)
	return None


def split_address(line: str) -> PostalAddress:
	"""«г. Москва, ул. Ленина, д. 10» → city Москва, street «ул. Ленина, д. 10»; "350 Fifth Avenue, New
	York, NY 10118" → street, city; else the whole line as text."""
	parts = [part.strip() for part in line.split(",") if part.strip()]
	postcode = ""
	if parts and re.fullmatch(r"\d{6}", parts[0]):
		postcode = parts.pop(0)
	city_index = next((i for i, part in enumerate(parts) if re.match(r"^г\.\s*", part)), None)
	if city_index is not None:
		city = re.sub(r"^г\.\s*", "", parts[city_index])
		street = ", ".join(part for i, part in enumerate(parts) if i != city_index)
		return PostalAddress(street=street, city=city, postcode=postcode, country=RUSSIA, text=line)
	if len(parts) >= 2:
		city = re.sub(r"\b\d{4,6}\b", "", parts[1]).strip()
		region = ""
		if len(parts) >= 3:
			region = re.sub(r"\b\d{5}(-\d{4})?\b", "", parts[2]).strip()
			postcode = postcode or "".join(re.findall(r"\b\d{5}\b", parts[2]))
		else:
			postcode = postcode or "".join(re.findall(r"\b\d{4,6}\b", parts[1]))
		return PostalAddress(street=parts[0], city=city, region=region, postcode=postcode, text=line)
	return PostalAddress(text=line)


def set_person_name(card: CardData, lines: list[str], used: set) -> None:
	for index, line in enumerate(lines):
		if index in used:
			continue
		words = line.rstrip(".,;:\"'").split()
		if not 2 <= len(words) <= 3 or not all(_WORD.match(word) for word in words):
			continue
		if not all(word[0].isupper() for word in words):
			continue
		if any(word.lower() in POSITION_WORDS for word in words):
			continue
		used.add(index)
		card.first_name, card.middle_name, card.last_name = split_person_name(words)
		return
	if card.individual_entrepreneur and card.organisation:
		words = [word for word in card.organisation.split() if word.lower() not in INDIVIDUAL_FORMS]
		if 2 <= len(words) <= 3:
			card.first_name, card.middle_name, card.last_name = split_person_name(words)


def split_person_name(words: list[str]) -> tuple[str, str, str]:
	"""(first, middle, last) of "Иванов Иван Иванович", "Иван Иванович Иванов", "Иван Иванов",
	"Иванов Иван" or "John Smith"."""
	if len(words) == 3:
		if PATRONYMIC.search(words[2]):
			return words[1], words[2], words[0]
		if PATRONYMIC.search(words[1]):
			return words[0], words[1], words[2]
		return words[0], words[1], words[2]
	first, second = words
	if is_first_name(second) and not is_first_name(first):
		return second, "", first
	if SURNAME.search(first) and not SURNAME.search(second) and not is_first_name(first):
		return second, "", first
	return first, "", second


def is_first_name(word: str) -> bool:
	return word.lower() in RUSSIAN_FIRST_NAMES
