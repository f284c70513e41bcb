"""Flow 7b: bringing cards into the registry from the Client list's «Импорт» menu.

* «Загрузить клиентов»: a .vcf file with two Cyrillic cards — one as phones export it (vCard 2.1,
  QUOTED-PRINTABLE), one in vCard 3.0 — is uploaded; the summary says one Client created and one matched,
  two contact persons created; the new Client is in the registry with its contact person, and the matched
  Client has its new one.
* «Распознать визитку»: a photo of a business card (a PNG drawn here with Pillow) is uploaded and read by
  Tesseract; the review dialog shows the organisation, the person, the e-mail and the phone it recognised;
  «Сохранить клиента» opens the new Client with its contact person.
"""

import io
import re

import frappe
from playwright.sync_api import expect

from tests.business_card_images import CardSpec, render


def test_import_a_vcard_file_from_the_client_list(desk, e2e_data):
	token = e2e_data.token
	new_client_name = f"ООО «Гранит {token}»"
	ivanov_email = f"ivanov.{token.lower()}@granit.example"
	petrova_email = f"petrova.{token.lower()}@bereza.example"
	vcf = vcard_file(
		e2e_data.card_number, new_client_name, ivanov_email, e2e_data.vcard_client_name, petrova_email
	)

	me = desk("sales_user")
	me.open_list("Client").clear_list_filters()
	me.menu_item("Импорт", "Загрузить клиентов").click()
	importing = me.dialog()
	expect(importing.locator(".modal-title")).to_have_text("Загрузить клиентов")
	# «Прикрепить»; Frappe 16's Russian says «Прикреплять»
	me.control("file_url", scope=importing).get_by_role(
		"button", name=re.compile("^Прикреп(ить|лять)$")
	).click()
	upload(me, "kontakty.vcf", "text/vcard", vcf)
	expect(me.control("file_url", scope=importing)).to_contain_text("kontakty.vcf")
	me.snap("import-dialog")
	importing.get_by_role("button", name="Импорт").click()

	summary = me.page.locator(".modal.show").filter(has_text="Создано клиентов")
	expect(summary.locator(".modal-title")).to_have_text("Загрузить клиентов")
	for line in (
		"Записей: 2",
		"Создано клиентов: 1",
		"Найдено существующих клиентов: 1",
		"Контактных лиц создано: 2, найдено существующих: 0",
		"Не загружено записей: 0",
	):
		expect(summary).to_contain_text(line)
	me.idle()
	me.snap("import-summary")
	summary.locator(".btn-modal-close").click()
	expect(summary).to_be_hidden()

	# the registry: the new Client, with its contact person
	me.wait_for_list("Client")
	with me.list_refresh():
		me.type_into("client_name", f"Гранит {token}")
	row = me.list_row(new_client_name)
	expect(row).to_be_visible()
	me.snap("registry-with-the-new-client")
	row.locator(".list-subject a").first.click()
	me.wait_for_form("Client")
	expect(me.title()).to_have_text(new_client_name)
	expect(me.grid_rows("contacts")).to_have_count(1)
	expect(me.grid_cell("contacts", 1, "full_name")).to_contain_text("Иван Иванов")
	expect(me.grid_cell("contacts", 1, "email")).to_contain_text(ivanov_email)
	expect(me.grid_cell("contacts", 1, "phone")).to_contain_text("+7")
	me.snap("new-client")

	me.open_list("Client").clear_list_filters()
	frappe.db.rollback()
	matched = frappe.get_doc("Client", {"client_name": e2e_data.vcard_client_name})
	assert [row.email for row in matched.contacts] == [petrova_email]


def test_scan_a_business_card_from_the_client_list(desk, e2e_data):
	number = e2e_data.card_number
	card = CardSpec(
		"ru",
		f"ООО «Журавль {number}»",
		"Виктория",
		"Белова",
		"Руководитель отдела продаж",
		[f"+7 (495) 700-{number[:2]}-{number[2:]}"],
		[f"belova.{number}@zhuravl.example"],
		middle_name="Андреевна",
		russian_name_order=True,
	)
	photo = io.BytesIO()
	render(card).save(photo, "PNG")

	me = desk("sales_user")
	me.open_list("Client")
	me.menu_item("Импорт", "Распознать визитку").click()
	upload(me, "vizitka.png", "image/png", photo.getvalue())

	review = me.page.locator(".modal.show").filter(has_text="Проверьте визитку")
	expect(review.locator(".modal-title")).to_have_text("Проверьте визитку", timeout=60_000)
	me.idle()
	me.expect_value("client_name", card.organisation, scope=review)
	me.expect_value("client_type", "Юридическое лицо", scope=review)
	me.expect_value("country", "Россия", scope=review)  # a Russian phone number
	me.expect_value("last_name", "Белова", scope=review)
	me.expect_value("first_name", "Виктория", scope=review)
	me.expect_value("middle_name", "Андреевна", scope=review)
	me.expect_value("designation", "Руководитель отдела продаж", scope=review)
	me.expect_value("emails", card.emails[0], scope=review)
	me.expect_value("phones", f"+7 495 700-{number[:2]}-{number[2:]}", scope=review)
	expect(review.locator(".alert-info")).to_have_count(0)  # nothing of it is known yet
	me.snap("review-dialog")

	review.get_by_role("button", name="Сохранить клиента").click()
	expect(me.alert(f"Клиент {card.organisation} создан")).to_be_visible()
	me.wait_for_form("Client")
	expect(me.title()).to_have_text(card.organisation)
	expect(me.grid_rows("contacts")).to_have_count(1)
	expect(me.grid_cell("contacts", 1, "full_name")).to_contain_text("Виктория")
	expect(me.grid_cell("contacts", 1, "full_name")).to_contain_text("Белова")
	expect(me.grid_cell("contacts", 1, "email")).to_contain_text(card.emails[0])
	me.snap("client-from-the-card")

	frappe.db.rollback()
	client = frappe.get_doc("Client", {"client_name": card.organisation})
	contact = frappe.get_doc("Contact", client.contacts[0].contact)
	assert (contact.first_name, contact.middle_name, contact.last_name) == ("Виктория", "Андреевна", "Белова")
	assert [row.phone for row in contact.phone_nos] == [f"+7 495 700-{number[:2]}-{number[2:]}"]
	assert frappe.get_all(
		"File", filters={"attached_to_doctype": "Contact", "attached_to_name": contact.name}
	)


def upload(me, name: str, mime_type: str, content: bytes) -> None:
	"""Frappe's upload dialog: «Моё устройство» (spelt «Мое» by some Frappe releases, «Мои устройства» by
	Frappe 16), the file chosen, «Загрузить»."""
	uploader = me.page.locator(".modal.show").filter(has=me.page.locator(".file-upload-area")).last
	expect(uploader).to_be_visible()
	with me.page.expect_file_chooser() as chooser:
		uploader.get_by_role("button", name=re.compile("^(Мо[её] устройство|Мои устройства)$")).click()
	chooser.value.set_files({"name": name, "mimeType": mime_type, "buffer": content})
	expect(uploader).to_contain_text(name)
	me.snap("upload")
	uploader.get_by_role("button", name="Загрузить").click()
	expect(uploader).to_be_hidden()


def quoted_printable(text: str) -> str:
	"""vCard 2.1's QUOTED-PRINTABLE, as phones export Cyrillic: every byte of UTF-8 outside ASCII as =XX."""
	return "".join(
		chr(byte) if byte < 128 and chr(byte) not in "=;" else f"={byte:02X}" for byte in text.encode()
	)


def vcard_file(
	number: str, organisation: str, email: str, other_organisation: str, other_email: str
) -> bytes:
	"""Two cards: a new organisation's person (vCard 2.1, QUOTED-PRINTABLE) and a person of an existing
	Client (vCard 3.0); their phone numbers carry the run's digits."""
	qp = ";CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:"
	cards = [
		"BEGIN:VCARD",
		"VERSION:2.1",
		f"N{qp}{quoted_printable('Иванов')};{quoted_printable('Иван')};;;",
		f"FN{qp}{quoted_printable('Иван Иванов')}",
		f"ORG{qp}{quoted_printable(organisation)}",
		f"TITLE{qp}{quoted_printable('Директор по закупкам')}",
		f"TEL;CELL;PREF:+7916{number}101",
		f"EMAIL;INTERNET:{email}",
		"END:VCARD",
		"BEGIN:VCARD",
		"VERSION:3.0",
		"N:Петрова;Анна;Сергеевна;;",
		"FN:Анна Сергеевна Петрова",
		f"ORG:{other_organisation}",
		"TITLE:Главный инженер",
		f"TEL;TYPE=WORK:+7 343 {number[:3]}-{number[3]}2-02",
		f"EMAIL;TYPE=INTERNET:{other_email}",
		"END:VCARD",
	]
	return ("\r\n".join(cards) + "\r\n").encode()
