"""The business-card text parser (no site needed): what Tesseract's text of a card becomes."""

import pytest

pytest.importorskip("phonenumbers")

from crm_clients import phones
from crm_clients.intake import card_text
from crm_clients.persons import FAX, MOBILE, WORK


def e164(card) -> list[str]:
	return [phones.normalize(phone.number) for phone in card.phones]


def test_a_russian_card():
	card = card_text.parse(
		"000 «Ромашка»\n\nПетров Иван Сергеевич\nГенеральный директор\n\nTen.: +7 (495) 123-45-67\n"
		"Моб.: 8 916 765-43-21\nФакс: +7 495 123-45-68\nE-mail: i.petrov@romashka.ru\nwww.romashka.ru\n"
		"г. Москва, ул. Ленина, д. 10\nHHH 7707083893"
	)
	assert card.organisation == "ООО «Ромашка»"  # «000» read for «ООО»
	assert (card.first_name, card.middle_name, card.last_name) == ("Иван", "Сергеевич", "Петров")
	assert card.designation == "Генеральный директор"
	assert e164(card) == ["+74951234567", "+79167654321", "+74951234568"]
	assert [phone.kind for phone in card.phones] == [WORK, MOBILE, FAX]
	assert card.emails == ["i.petrov@romashka.ru"]
	assert card.website == "www.romashka.ru"
	assert (card.address.city, card.address.street) == ("Москва", "ул. Ленина, д. 10")
	assert card.tax_id == "7707083893"  # «ИНН» read as «HHH»: not a phone number either


@pytest.mark.parametrize(
	"line, expected",
	[
		("Иванов Иван", ("Иван", "", "Иванов")),
		("Мария Смирнова", ("Мария", "", "Смирнова")),
		("Волкова Елена", ("Елена", "", "Волкова")),
		("Константин Ильин", ("Константин", "", "Ильин")),
		("Иван Иванович Петров", ("Иван", "Иванович", "Петров")),
		("John Smith", ("John", "", "Smith")),
	],
)
def test_person_names_in_either_order(line, expected):
	card = card_text.parse(f"АО «Вектор»\n{line}\nМенеджер")
	assert (card.first_name, card.middle_name, card.last_name) == expected


def test_an_individual_entrepreneur():
	card = card_text.parse("ИП Соколов Андрей Николаевич\nТел.: +7 905 123-00-99\nИНН 500100732259")
	assert card.organisation == "ИП Соколов Андрей Николаевич" and card.individual_entrepreneur
	assert (card.first_name, card.last_name) == ("Андрей", "Соколов")
	assert card.tax_id == "500100732259"


def test_an_english_card_with_cyrillic_lookalikes_in_the_email():
	card = card_text.parse(
		"Northwind Traders Ltd\nJohn Smith\nSales Director\nTel: +1 (212) 555-0147\n"
		"E-mail: jоhn.smith @ northwind.cоm\nnorthwind.com\n350 Fifth Avenue, New York, NY 10118"
	)
	assert card.organisation == "Northwind Traders Ltd"
	assert card.emails == ["john.smith@northwind.com"]
	assert card.website == "northwind.com"
	assert e164(card) == ["+12125550147"]
	assert (card.address.street, card.address.city, card.address.postcode) == (
		"350 Fifth Avenue",
		"New York",
		"10118",
	)


def test_postcodes_and_unlabelled_numbers_are_not_phones():
	card = card_text.parse("ООО «Тест»\n101000, г. Москва, ул. Мира, д. 1\nОГРН 1027700132195\n7707083893")
	assert card.phones == []


@pytest.mark.parametrize("label", ["ИНН", "Инн", "HHH", "UHH", "ИHH", "INN"])
def test_inn_as_tesseract_reads_it(label):
	card = card_text.parse(f"ООО «Тест»\n{label} 6663003127")
	assert (card.tax_id, card.phones) == ("6663003127", [])
