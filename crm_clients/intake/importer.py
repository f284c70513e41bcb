"""Import Clients from an uploaded file (CSV, XLSX, vCard): permissions and reading; the file's records are a
source of the one runner (`intake/runner.py`: in the request or a background job, the summary).
"""

import os

import frappe
from frappe import _
from frappe.utils import cint, escape_html

from crm_clients.intake import engine, runner, spreadsheet, vcard

SHEETS = ("csv", "xlsx")
VCARDS = ("vcf", "vcard")
EXTENSIONS = SHEETS + VCARDS


# Permissions and files


def check_import_permissions() -> None:
	"""Importing makes Clients and Contacts: the user is told before anything is read."""
	if not frappe.has_permission("Client", "create"):
		raise frappe.PermissionError(
			_("You are not permitted to create Clients: importing needs that right.")
		)
	check_contact_create_permission()


def check_contact_create_permission() -> None:
	if not frappe.has_permission("Contact", "create"):
		raise frappe.PermissionError(
			_("You are not permitted to create Contacts: importing needs that right.")
		)


def get_file(file_url: str):
	"""The uploaded File at this URL that the user may read."""
	if not file_url:
		frappe.throw(_("Upload a file first."), title=_("Import Clients"))
	names = frappe.get_all(
		"File", filters={"file_url": file_url, "is_folder": 0}, pluck="name", order_by="creation desc"
	)
	if not names:
		frappe.throw(
			_("File {0} was not found: upload it again.").format(frappe.bold(file_url)),
			frappe.DoesNotExistError,
			title=_("Import Clients"),
		)
	for name in names:
		file = frappe.get_doc("File", name)
		if file.has_permission("read"):
			return file
	raise frappe.PermissionError(_("You are not permitted to read file {0}.").format(frappe.bold(file_url)))


def file_extension(file) -> str:
	return os.path.splitext(file.file_name or file.file_url or "")[1].lstrip(".").lower()


def get_content(file) -> bytes:
	"""The file's bytes as stored; the readers decode them (a Russian CSV is often Windows-1251). Not
	`File.get_content` for a stored file: Frappe 16 decodes text there, trying Windows-1250/1252 too, which
	turns Cyrillic Windows-1251 into other letters before the app can tell."""
	if file.get("content"):  # a File made in this request still holds what was uploaded
		content = file.get_content()
		return content.encode() if isinstance(content, str) else content
	if file.file_url:
		file.validate_file_url()
	with open(file.get_full_path(), "rb") as stored:
		return stored.read()


def read_records(file, vcards_only: bool = False) -> list:
	extension = file_extension(file)
	if vcards_only and extension not in VCARDS:
		frappe.throw(_("Choose a vCard file (.vcf)."), title=_("Add Contact Person from vCard"))
	if extension not in EXTENSIONS:
		frappe.throw(
			_("Import takes .csv, .xlsx and .vcf files; {0} is not one of them.").format(
				frappe.bold(file.file_name)
			),
			title=_("Import Clients"),
		)
	content = get_content(file)
	if extension in VCARDS:
		records = vcard.records_from_vcf(content)
	else:
		records = spreadsheet.records_from_rows(spreadsheet.read_rows(content, extension))
	if not records:
		frappe.throw(_("The file holds no clients to import."), title=_("Import Clients"))
	return records


# Import


def import_clients(file_url: str, create_missing_masters=False) -> dict:
	"""The summary of importing the file, or, for more than 20 records, the background job's id."""
	return runner.start(make_file_source(file_url, bool(cint(create_missing_masters))))


def make_file_source(file_url: str, create_missing_masters: bool = False, client: str | None = None):
	"""A file's records as a source of the runner (also in its background job, which reads the file again).
	`client`: the persons of the file become contact persons of this Client (its form's vCard upload)."""
	if client:
		check_contact_create_permission()
	else:
		check_import_permissions()
	options = engine.Options(create_missing_masters=create_missing_masters, client=client)
	return runner.Source(
		factory="crm_clients.intake.importer.make_file_source",
		params={"file_url": file_url, "create_missing_masters": create_missing_masters, "client": client},
		records=read_records(get_file(file_url), vcards_only=bool(client)),
		process=lambda record, summary: engine.import_record(record, options, summary),
		record_id=lambda record: record.number,
		record_label=lambda number: escape_html(_("Record {0}").format(number)),
		texts=runner.Texts(
			title=_("Import Clients") if not client else _("Add Contact Person from vCard"),
			progress=_("Importing Clients"),
			progress_of=_("{0} of {1} records"),
			records=_("Records: {0}"),
			skipped=_("Records skipped: {0}"),
			failed=_("Records failed: {0}"),
			failed_list=_("Failed records:"),
		),
		refresh="Client",
	)


def get_summary(job: str) -> dict | None:
	"""The summary of the user's import job once it has ended (None while it runs)."""
	return runner.get_summary(job)


# A vCard into a Client's form


def add_persons_from_vcard(client: str, file_url: str) -> dict:
	"""The persons of a .vcf file become contact persons of this Client (its ORG is not used)."""
	doc = frappe.get_doc("Client", client)
	doc.check_permission("write")
	return runner.run(make_file_source(file_url, client=doc.name))
