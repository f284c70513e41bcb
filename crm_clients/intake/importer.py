"""Import Clients from an uploaded file (CSV, XLSX, vCard): permissions, reading, background jobs.

A few records are imported in the request; more than `SYNC_LIMIT` by a background job that shows a
progress bar, commits record by record and sends the summary to the user when it ends (a msgprint and
the `DONE_EVENT` realtime event; `get_summary(job)` returns it afterwards).
"""

import os

import frappe
from frappe import _
from frappe.utils import cint

from crm_clients.intake import engine, spreadsheet, vcard

SYNC_LIMIT = 20  # more records than this are imported in the background
JOB_METHOD = "crm_clients.intake.importer.import_clients_job"
DONE_EVENT = "crm_clients_import_done"
SUMMARY_CACHE_KEY = "crm_clients_import_summary"
SUMMARY_TTL = 24 * 3600
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
	content = file.get_content()
	return content.encode() if isinstance(content, str) else content


def read_records(file) -> list:
	extension = file_extension(file)
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
	check_import_permissions()
	file = get_file(file_url)
	records = read_records(file)
	options = engine.Options(create_missing_masters=bool(cint(create_missing_masters)))
	if len(records) <= SYNC_LIMIT:
		return engine.import_records(records, options)

	job = f"crm_clients_import_{frappe.generate_hash(length=12)}"
	frappe.enqueue(
		JOB_METHOD,
		queue="long",
		timeout=max(1500, len(records) * 3),
		job_id=job,
		enqueue_after_commit=True,  # no job for a request that failed
		file_url=file.file_url,
		create_missing_masters=options.create_missing_masters,
		job=job,
	)
	return {"job": job, "total": len(records)}


def import_clients_job(file_url: str, create_missing_masters: bool = False, job: str | None = None) -> dict:
	"""The background job: record by record (each committed), a progress bar, the summary at the end."""
	check_import_permissions()
	records = read_records(get_file(file_url))
	options = engine.Options(create_missing_masters=create_missing_masters)
	summary = engine.import_records(
		records,
		options,
		on_progress=progress_publisher(),
		after_each=frappe.db.commit,  # the job runner's commit per record, never the engine's
	)
	summary["job"] = job
	if job:
		frappe.cache.set_value(
			f"{SUMMARY_CACHE_KEY}:{job}", summary, user=frappe.session.user, expires_in_sec=SUMMARY_TTL
		)
	message = {"message": summary["message"], "title": _("Import Clients"), "indicator": summary["indicator"]}
	frappe.publish_realtime("msgprint", message, user=frappe.session.user, after_commit=True)
	frappe.publish_realtime(DONE_EVENT, without_records(summary), user=frappe.session.user, after_commit=True)
	return summary


def without_records(summary: dict) -> dict:
	return {key: value for key, value in summary.items() if key != "records"}


def progress_publisher():
	"""A progress bar that moves by whole per cents (a realtime message per record would flood the desk)."""
	shown = {"percent": -1}

	def publish(done: int, total: int) -> None:
		percent = int(done * 100 / total)
		if percent == shown["percent"] and done != total:
			return
		shown["percent"] = percent
		frappe.publish_progress(
			percent,
			title=_("Importing Clients"),
			description=_("{0} of {1} records").format(done, total),
		)

	return publish


def get_summary(job: str) -> dict | None:
	"""The summary of the user's import job once it has ended (None while it runs)."""
	return frappe.cache.get_value(f"{SUMMARY_CACHE_KEY}:{job}", user=frappe.session.user)


# A vCard into a Client's form


def add_persons_from_vcard(client: str, file_url: str) -> dict:
	"""The persons of a .vcf file become contact persons of this Client (its ORG is not used)."""
	doc = frappe.get_doc("Client", client)
	doc.check_permission("write")
	check_contact_create_permission()
	file = get_file(file_url)
	if file_extension(file) not in VCARDS:
		frappe.throw(_("Choose a vCard file (.vcf)."), title=_("Add Contact Person from vCard"))
	records = vcard.records_from_vcf(get_content(file))
	if not records:
		frappe.throw(_("The file holds no cards."), title=_("Add Contact Person from vCard"))
	return engine.import_records(records, engine.Options(client=doc.name))
