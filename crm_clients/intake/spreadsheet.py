"""Flat spreadsheets (CSV, XLSX): one row per contact person, Russian or English headers; the template.

Rows of the same Client (same ИНН+КПП or name) are matched to the one Client by the engine; a record's
number is its row number in the sheet (the header is row 1), as the user sees it in the spreadsheet.
"""

import csv
import io
import re

import frappe
from frappe import _

from crm_clients.intake.records import Record
from crm_clients.persons import MOBILE, WORK, Person, Phone

# column → the headers it is recognised by (lower case; the first one is the template's)
COLUMNS = {
	"client_name": (
		"название клиента",
		"клиент",
		"организация",
		"наименование",
		"client name",
		"client",
		"company",
		"organization",
		"organisation",
	),
	"client_type": ("тип клиента", "тип", "client type", "type"),
	"country": ("страна", "country"),
	"tax_id": ("инн", "inn", "tax id", "taxid"),
	"kpp": ("кпп", "kpp"),
	"industry": ("отрасль", "industry"),
	"business_region": ("бизнес-регион", "бизнес регион", "регион", "business region", "region"),
	"last_name": ("фамилия", "last name", "surname"),
	"first_name": ("имя", "first name", "given name"),
	"middle_name": ("отчество", "middle name"),
	"designation": ("должность", "position", "designation", "job title", "title"),
	"phone": ("телефон", "phone", "telephone"),
	"mobile_no": ("мобильный телефон", "мобильный", "mobile", "mobile phone", "mobile no"),
	"email": ("email", "e-mail", "электронная почта", "эл. почта", "почта", "mail"),
}
TEMPLATE_HEADERS = {
	"client_name": "Название клиента",
	"client_type": "Тип клиента",
	"country": "Страна",
	"tax_id": "ИНН",
	"kpp": "КПП",
	"industry": "Отрасль",
	"business_region": "Бизнес-регион",
	"last_name": "Фамилия",
	"first_name": "Имя",
	"middle_name": "Отчество",
	"designation": "Должность",
	"phone": "Телефон",
	"mobile_no": "Мобильный телефон",
	"email": "E-mail",
}
TEXT_COLUMNS = ("tax_id", "kpp", "phone", "mobile_no")  # typed as text in the template: leading zeros stay
TEMPLATE_FILE_NAME = "clients-import-template.xlsx"
_HEADER_NOISE = re.compile(r"[*:]|\(.*?\)")
_LIST_SEPARATORS = re.compile(r"[;,\n]")


# Reading


def read_rows(content: bytes | str, extension: str) -> list[list[str]]:
	"""The sheet's rows as lists of text (the first worksheet of an .xlsx file)."""
	if extension == "xlsx":
		return read_xlsx(content)
	return read_csv(content)


def read_xlsx(content: bytes) -> list[list[str]]:
	from openpyxl import load_workbook

	try:
		workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
	except Exception:
		frappe.throw(
			_("The file is not an Excel workbook (.xlsx) that can be read."), title=_("Import Clients")
		)
	try:
		sheet = workbook.worksheets[0]
		return [[cell_text(value) for value in row] for row in sheet.iter_rows(values_only=True)]
	finally:
		workbook.close()


def cell_text(value) -> str:
	if value is None:
		return ""
	if isinstance(value, float) and value.is_integer():
		value = int(value)  # ИНН and phones typed as numbers
	return str(value).strip()


def read_csv(content: bytes | str) -> list[list[str]]:
	"""UTF-8 (with or without BOM) or Windows-1251 text; comma, semicolon (Russian Excel) or tab."""
	text = content if isinstance(content, str) else decode_text(content)
	sample = text[:4096]
	try:
		dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
	except csv.Error:
		dialect = csv.excel
	return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text), dialect)]


def decode_text(content: bytes) -> str:
	try:
		return content.decode("utf-8-sig")
	except UnicodeDecodeError:
		return content.decode("cp1251")


def header_key(header: str) -> str:
	text = _HEADER_NOISE.sub(" ", (header or "").lower().replace("ё", "е"))
	return " ".join(text.split())


def map_columns(headers: list[str]) -> dict[str, int]:
	"""{column: index} of the recognised headers; a sheet without a client-name column is refused."""
	aliases = {alias.replace("ё", "е"): column for column, names in COLUMNS.items() for alias in names}
	columns = {}
	for index, header in enumerate(headers):
		column = aliases.get(header_key(header))
		if column and column not in columns:
			columns[column] = index
	if "client_name" not in columns and "last_name" not in columns and "first_name" not in columns:
		frappe.throw(
			_(
				"The first row of the sheet must hold the column headers, e.g. «Название клиента» or «Client Name»: download the template."
			),
			title=_("Import Clients"),
		)
	return columns


def records_from_rows(rows: list[list[str]]) -> list[Record]:
	"""One Record per non-empty row below the header."""
	if not rows:
		return []
	columns = map_columns(rows[0])
	records = []
	for number, row in enumerate(rows[1:], start=2):
		if not any(cell.strip() for cell in row):
			continue
		records.append(record_from_row(number, row, columns))
	return records


def record_from_row(number: int, row: list[str], columns: dict[str, int]) -> Record:
	def value(column: str) -> str:
		index = columns.get(column)
		return row[index].strip() if index is not None and index < len(row) else ""

	person = Person(
		first_name=value("first_name"),
		middle_name=value("middle_name"),
		last_name=value("last_name"),
		designation=value("designation"),
		emails=split_list(value("email")),
		phones=[Phone(number, WORK) for number in split_list(value("phone"))]
		+ [Phone(number, MOBILE) for number in split_list(value("mobile_no"))],
	)
	return Record(
		number=number,
		client_name=value("client_name"),
		client_type=value("client_type"),
		country=value("country"),
		tax_id=pad_digits(value("tax_id"), (10, 12)),
		kpp=pad_digits(value("kpp"), (9,)),
		industry=value("industry"),
		business_region=value("business_region"),
		persons=[person],
	)


def split_list(text: str) -> list[str]:
	return [part.strip() for part in _LIST_SEPARATORS.split(text or "") if part.strip()]


def pad_digits(text: str, lengths: tuple[int, ...]) -> str:
	"""An ИНН or КПП a spreadsheet stored as a number lost its leading zero: 105012345 → 0105012345."""
	if text.isdigit():
		for length in lengths:
			if len(text) == length - 1:
				return "0" + text
	return text


# The template


def make_template() -> bytes:
	"""An .xlsx workbook: the sheet to fill (Russian headers, tax IDs and phones as text) and a help sheet."""
	from openpyxl import Workbook
	from openpyxl.styles import Font
	from openpyxl.worksheet.datavalidation import DataValidation

	workbook = Workbook()
	sheet = workbook.active
	sheet.title = "Клиенты"
	sheet.append(list(TEMPLATE_HEADERS.values()))
	for index, column in enumerate(TEMPLATE_HEADERS, start=1):
		cell = sheet.cell(row=1, column=index)
		cell.font = Font(bold=True)
		letter = cell.column_letter
		sheet.column_dimensions[letter].width = max(14, len(cell.value) + 4)
		if column in TEXT_COLUMNS:
			for row in range(2, 1002):
				sheet.cell(row=row, column=index).number_format = "@"
		if column == "client_type":
			types = DataValidation(
				type="list", formula1='"Юридическое лицо,Физическое лицо"', allow_blank=True
			)
			sheet.add_data_validation(types)
			types.add(f"{letter}2:{letter}1001")
	sheet.freeze_panes = "A2"

	help_sheet = workbook.create_sheet("Инструкция")
	for line in TEMPLATE_HELP:
		help_sheet.append([line])
	help_sheet.column_dimensions["A"].width = 120

	output = io.BytesIO()
	workbook.save(output)
	return output.getvalue()


TEMPLATE_HELP = (
	"Одна строка — одно контактное лицо клиента. Несколько контактных лиц одного клиента — несколько строк с тем же клиентом.",
	"Название клиента — обязательно (для физического лица можно оставить пустым и заполнить фамилию и имя).",
	"Тип клиента — «Юридическое лицо» или «Физическое лицо» (Company / Individual); пусто — по длине ИНН.",
	"Страна — например «Россия» или «Russian Federation»; пусто — страна сайта по умолчанию.",
	"ИНН — 10 цифр для юридического лица, 12 для физического; КПП — 9 символов, только для юридических лиц.",
	"Отрасль и Бизнес-регион — как в справочниках системы; неизвестные значения попадут в отчёт об ошибках.",
	"Телефон, мобильный телефон и e-mail — несколько значений через «;».",
	"Клиент, уже имеющийся в системе (тот же ИНН и КПП или то же название), не создаётся повторно:",
	"к нему добавляются новые контактные лица. Повторная загрузка того же файла ничего не создаёт.",
	"Заголовки можно писать и по-английски: Client Name, Client Type, Country, INN, KPP, Industry,",
	"Business Region, Last Name, First Name, Middle Name, Position, Phone, Mobile, E-mail.",
)
