"""A photo of a business card → a prefilled Client and contact person, checked by the user, then saved.

Recognition (Tesseract, up to `ocr.time_limit()` seconds) runs where it does not hold a web worker:
`start_scan` queues `scan_job` on the "long" queue and returns the job's id; the job reads the File (by
its name: the worker may run on another host), shows its progress to the user, keeps the result for the
user (`get_scan(job)`) and tells the desk by the `DONE_EVENT` realtime event. `scan` does the same
recognition in the request, for API clients: bounded by the time limit and by `SCANS_PER_MINUTE` per user.
Either way the result is an unsaved Client as the form would open it, with the contact person and the
recognised text; nothing is saved. `save` saves what the user checked through the matching engine (an
existing Client or Contact is matched, not duplicated) and attaches the photo to the Contact.
"""

import frappe
from frappe import _
from frappe.utils import cint

from crm_clients import contacts, phones
from crm_clients.intake import card_text, engine, importer, ocr
from crm_clients.intake.matching import ClientNotVisibleError, find_client
from crm_clients.intake.records import Record
from crm_clients.persons import FAX, MOBILE, WORK, Person, Phone
from crm_clients.vocabulary import COMPANY, INDIVIDUAL, RUSSIA

PHOTOS = ("jpg", "jpeg", "png")
# the heavy queue, as the app's imports: a scan keeps a CPU busy for seconds to a minute, which would hold up
# the quick jobs Frappe and ERPNext put on "short" (README: «Photos of business cards»)
QUEUE = "long"
JOB_METHOD = "crm_clients.intake.business_cards.scan_job"
JOB_OVERHEAD = 120  # seconds the job may take beyond the recognition's limit (reading, preparing the photo)
DONE_EVENT = "crm_clients_card_scanned"
RESULT_CACHE_KEY = "crm_clients_card_scan"
RESULT_TTL = 3600
SCANS_PER_MINUTE = 10  # per user, unless the site config's SCANS_PER_MINUTE_CONFIG says otherwise
SCANS_PER_MINUTE_CONFIG = "crm_clients_card_scans_per_minute"


def check_photo(file) -> None:
	if importer.file_extension(file) not in PHOTOS:
		frappe.throw(
			_("Choose a photo of the business card (JPEG or PNG); {0} is not one.").format(
				frappe.bold(file.file_name)
			),
			title=_("Scan Business Card"),
		)


def get_photo(file_url: str):
	"""The uploaded photo at this URL that the user may read (a JPEG or PNG)."""
	file = importer.get_file(file_url)
	check_photo(file)
	return file


def scan(file_url: str) -> dict:
	"""In the request: an unsaved Client with its contact person read from the photo, the text, and what it
	matches (at most `SCANS_PER_MINUTE` a minute per user, each within the recognition's time limit)."""
	importer.check_import_permissions()
	limit_rate()
	return scan_file(get_photo(file_url))


def scan_file(file, on_progress=None) -> dict:
	"""The card on the photo of this File, as `scan` returns it."""
	ocr.check_available()
	content = importer.get_content(file)
	if on_progress:
		on_progress(
			20,
			_("Recognising the text (at most {0} seconds)...").format(f"{ocr.time_limit():g}"),
		)
	card = card_text.parse(ocr.recognise(content))
	if on_progress:
		on_progress(90, _("Reading the card's fields..."))
	client = client_from_card(card)
	client["file_url"] = file.file_url
	client["matches"] = find_matches(client)
	return client


def limit_rate() -> None:
	"""Refuse (HTTP 429) a user's scan beyond `scans_per_minute()` in a minute. Frappe's `rate_limit` counts
	per IP address or per request argument; an office behind one address would share one count."""
	if not getattr(frappe.local, "request", None):
		return  # not a web request (a job, the console, a test): nothing to protect
	key = frappe.cache.make_key(f"crm_clients_card_scans:{frappe.session.user}")
	count = frappe.cache.incrby(key, 1)
	if count == 1:
		frappe.cache.expire(key, 60)
	limit = scans_per_minute()
	if count > limit:
		frappe.throw(
			_(
				"You have scanned {0} business cards within a minute, the most allowed: try again in a minute."
			).format(limit),
			frappe.RateLimitExceededError,
			title=_("Scan Business Card"),
		)


def scans_per_minute() -> int:
	return cint(frappe.conf.get(SCANS_PER_MINUTE_CONFIG)) or SCANS_PER_MINUTE


# In the background


def start_scan(file_url: str) -> dict:
	"""Queue the recognition of the photo: `{"job", "time_limit"}`; the result follows (`get_scan`)."""
	importer.check_import_permissions()
	limit_rate()
	file = get_photo(file_url)
	job = f"crm_clients_card_{frappe.generate_hash(length=12)}"
	frappe.enqueue(
		JOB_METHOD,
		queue=QUEUE,
		timeout=int(ocr.time_limit()) + JOB_OVERHEAD,
		job_id=job,
		enqueue_after_commit=True,  # no job for a request that failed
		file=file.name,  # the job reads the File itself: nothing of this process is passed on
		job=job,
	)
	return {"job": job, "time_limit": ocr.time_limit()}


def scan_job(file: str, job: str) -> dict:
	"""The background job (run as the user who started it): the card, or the reason it could not be read,
	kept for the user and announced to the desk, in the user's language."""
	from frappe.translate import get_user_lang

	frappe.local.lang = get_user_lang()
	publish_progress(5, _("Reading the photo..."))
	try:
		importer.check_import_permissions()
		doc = frappe.get_doc("File", file)
		if not doc.has_permission("read"):
			raise frappe.PermissionError(
				_("You are not permitted to read file {0}.").format(frappe.bold(doc.file_url))
			)
		check_photo(doc)
		result = {"job": job, "status": "done", "card": scan_file(doc, publish_progress)}
	except (frappe.ValidationError, frappe.PermissionError) as error:
		result = {"job": job, "status": "failed", "error": str(error)}
	except Exception:
		finish(job, {"job": job, "status": "failed", "error": unexpected_failure()})
		raise  # the job runner logs it (Error Log) and marks the job failed
	finish(job, result)
	return result


def unexpected_failure() -> str:
	return _(
		"The business card could not be recognised because of an error on the server (see the Error Log)."
	)


def finish(job: str, result: dict) -> None:
	"""Keep the result for the user, close the progress bar, and tell the desk (nothing to commit: a scan
	saves nothing, so the messages go at once)."""
	frappe.cache.set_value(
		f"{RESULT_CACHE_KEY}:{job}", result, user=frappe.session.user, expires_in_sec=RESULT_TTL
	)
	publish_progress(100, _("Done") if result["status"] == "done" else _("Not recognised"))
	frappe.publish_realtime(DONE_EVENT, {"job": job, "status": result["status"]}, user=frappe.session.user)


def publish_progress(percent: int, description: str) -> None:
	frappe.publish_progress(percent, title=_("Scan Business Card"), description=description)


def get_scan(job: str) -> dict:
	"""The user's scan job: `{"job", "status": "queued" | "started"}` while it runs, then `{"status": "done",
	"card"}` or `{"status": "failed", "error"}` (kept for an hour)."""
	from frappe.utils.background_jobs import get_job_status

	importer.check_import_permissions()
	if not job or not isinstance(job, str):
		frappe.throw(_("Which scan? The job's id is missing."), title=_("Scan Business Card"))
	result = frappe.cache.get_value(f"{RESULT_CACHE_KEY}:{job}", user=frappe.session.user)
	if result:
		return result
	status = get_job_status(job) if job.startswith("crm_clients_card_") else None
	status = str(getattr(status, "value", status) or "")
	if status in ("queued", "started", "deferred", "scheduled"):
		return {"job": job, "status": status}
	return {
		"job": job,
		"status": "failed",
		"error": _("The recognition ended without a result (or it was another user's): scan the card again."),
	}


def client_from_card(card: card_text.CardData) -> dict:
	"""What the Client form would open with: name, type, country, tax IDs and a `contact` dict."""
	person_name = " ".join(filter(None, (card.first_name, card.middle_name, card.last_name)))
	individual = card.individual_entrepreneur or not card.organisation
	contact = {
		"first_name": card.first_name,
		"middle_name": card.middle_name,
		"last_name": card.last_name,
		"designation": card.designation,
		"company_name": card.organisation if not individual else "",
		"email_ids": [{"email_id": email, "is_primary": int(i == 0)} for i, email in enumerate(card.emails)],
		"phone_nos": phone_rows(card.phones),
	}
	return {
		"doctype": "Client",
		"client_name": card.organisation or person_name,
		"client_type": INDIVIDUAL if individual else COMPANY,
		"country": guess_country(card),
		"tax_id": card.tax_id or None,
		"kpp": (card.kpp or None) if not individual else None,
		"contact": contact,
		"website": card.website,
		"address": card.address.as_text() if card.address else "",
		"text": card.text,
	}


def phone_rows(numbers: list[Phone]) -> list[dict]:
	rows = []
	for phone in numbers:
		mobile = phone.kind == MOBILE
		rows.append(
			{
				"phone": phone.number,
				"is_primary_mobile_no": int(mobile and not any(r["is_primary_mobile_no"] for r in rows)),
				"is_primary_phone": int(
					not mobile and phone.kind != FAX and not any(r["is_primary_phone"] for r in rows)
				),
				"kind": phone.kind,
			}
		)
	return rows


def guess_country(card: card_text.CardData) -> str | None:
	"""Russia for an ИНН or a Russian address, else the country of the first phone number."""
	if card.tax_id or (card.address and card.address.country):
		return (card.address.country if card.address and card.address.country else None) or RUSSIA
	for phone in card.phones:
		number = phones.parse(phone.number)
		region = number and phones.phonenumbers.region_code_for_number(number)
		if region:
			return frappe.db.get_value("Country", {"code": region.lower()}, "name")
	return None


def find_matches(client: dict) -> dict:
	"""The existing Client and Contact the card would be saved into (shown to the user before saving), by the
	rules saving applies; one the user may not read is not named."""
	values = {key: client.get(key) for key in ("client_name", "client_type", "country", "tax_id", "kpp")}
	try:
		existing_contact = contacts.find_person(person_from_contact(client["contact"]))
	except contacts.InvalidPersonError:  # a misread e-mail: the user corrects it before saving
		existing_contact = None
	try:
		existing_client = find_client(values) if values["client_name"] else None
	except ClientNotVisibleError:
		existing_client = None
	return {"client": existing_client, "contact": existing_contact}


# Saving what the user checked


def save(card: str | dict, file_url: str | None = None, client: str | None = None) -> dict:
	"""Save the checked card: into the given Client, or a matched or new one; the photo goes to the Contact."""
	importer.check_import_permissions()
	card = frappe.parse_json(card) if isinstance(card, str) else frappe._dict(card)
	file = importer.get_file(file_url) if file_url else None
	if file:
		check_photo(file)
	contact_values = frappe._dict(card.get("contact") or {})
	record = Record(
		number=1,
		client_name=(card.get("client_name") or "").strip(),
		client_type=card.get("client_type") or "",
		country=card.get("country") or "",
		tax_id=card.get("tax_id") or "",
		kpp=card.get("kpp") or "",
		persons=[person_from_contact(contact_values, card.get("address"), card.get("website"))],
	)
	options = engine.Options(client=client)
	outcome = engine.import_record(record, options)
	contact = next(iter(outcome.contacts_created + outcome.contacts_matched), None)
	if file and contact:
		attach_photo(file, contact)
	return {
		"client": outcome.client,
		"client_name": frappe.db.get_value("Client", outcome.client, "client_name"),
		"outcome": outcome.outcome,
		"contact": contact,
	}


def person_from_contact(values: dict, address: str | None = None, website: str | None = None) -> Person:
	values = frappe._dict(values)
	return Person(
		first_name=(values.first_name or "").strip(),
		middle_name=(values.middle_name or "").strip(),
		last_name=(values.last_name or "").strip(),
		designation=(values.designation or "").strip(),
		emails=[row.get("email_id", "") for row in values.get("email_ids") or [] if row.get("email_id")],
		phones=[
			Phone(
				row["phone"],
				MOBILE
				if row.get("is_primary_mobile_no") or row.get("kind") == MOBILE
				else row.get("kind") or WORK,
			)
			for row in values.get("phone_nos") or []
			if row.get("phone")
		],
		addresses=[card_text.split_address(address)] if address else [],
		website=(website or "").strip(),
	)


def attach_photo(file, contact: str) -> None:
	"""The photo belongs to the Contact now (private: its uploader and who may read the Contact see it)."""
	if file.attached_to_doctype == "Contact" and file.attached_to_name == contact:
		return
	if not file.attached_to_doctype and file.owner == frappe.session.user:
		file.attached_to_doctype, file.attached_to_name = "Contact", contact
		file.is_private = 1 if file.file_url.startswith("/private/") else file.is_private
		file.save()
		return
	frappe.get_doc(
		{
			"doctype": "File",
			"file_url": file.file_url,
			"file_name": file.file_name,
			"is_private": file.is_private,
			"attached_to_doctype": "Contact",
			"attached_to_name": contact,
		}
	).insert()
