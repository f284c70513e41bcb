"""One runner for every way Clients come in: Leads (*Create Clients*), spreadsheets, vCard files.

A way in is a `Source`: its records and the function that makes one record's Client (`process`). The runner
owns the rest, the same for every source:

- each record all or nothing (a savepoint), and in a background job once more when it lost a race with
  another worker (`savepoints.all_or_nothing_once_more`); a failed record is reported with its reason, the
  others go on;
- a few records (`SYNC_LIMIT`) in the request, more in a background job that commits record by record (the job
  runner's commit: nothing of the app commits), speaks the language of the user who started it, moves a
  progress bar by whole per cents, keeps the summary for the user (`get_summary`) and tells the desk once
  (`DONE_EVENT`, one listener: public/js/intake.js);
- one summary: Clients created and matched, records skipped and failed, contact persons created and matched,
  unknown masters, one row per record, and its HTML.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

import frappe
from frappe import _
from frappe.translate import get_user_lang
from frappe.utils import escape_html, get_link_to_form, strip_html

from crm_clients.savepoints import TransactionLost, all_or_nothing_once_more, is_lost_race

SYNC_LIMIT = 20  # more records than this are processed in the background
RUNS = 5  # times a few records processed in the request are run when they lost a race with another request
JOB_METHOD = "crm_clients.intake.runner.run_job"
JOB_PREFIX = "crm_clients_intake_"
DONE_EVENT = "crm_clients_intake_done"
SUMMARY_CACHE_KEY = "crm_clients_intake_summary"
SUMMARY_TTL = 24 * 3600
LISTED_FAILURES = 50  # the summary's HTML lists this many failed records, then "and N more"

CREATED = "created"
MATCHED = "matched"
SKIPPED = "skipped"
FAILED = "failed"

# the sources a background job may make again (their factories take the source's `params`)
SOURCES = (
	"crm_clients.intake.lead_source.make_source",
	"crm_clients.intake.importer.make_file_source",
	"crm_clients.intake.requisites_source.make_source",
	"crm_clients.intake.merge_source.make_source",
)


@dataclass
class Outcome:
	"""What processing one record did."""

	outcome: str  # CREATED, MATCHED or SKIPPED
	client: str
	contacts_created: list[str] = field(default_factory=list)
	contacts_matched: list[str] = field(default_factory=list)


@dataclass
class Texts:
	"""A source's words in the summary and the progress bar (translated by the source)."""

	title: str  # the summary's title: «Создать клиентов», «Импорт клиентов»
	progress: str  # the progress bar's title
	progress_of: str  # "{0} of {1} Leads"
	records: str  # "Leads: {0}"
	skipped: str  # "Leads skipped (they already have a Client): {0}"
	failed: str  # "Leads failed: {0}"
	failed_list: str  # "Failed Leads:"
	created: str | None = None  # "Clients created: {0}" unless given; "" leaves the line out
	matched: str | None = None  # "Existing Clients matched: {0}" unless given
	outcomes: dict = field(default_factory=dict)  # a source's own outcome → its line: "Not found: {0}"


@dataclass
class Source:
	"""A way in. `factory` and `params` make it again in a background job (`SOURCES`)."""

	factory: str
	params: dict
	records: list
	process: Callable  # (record, summary) → Outcome; raises to fail the record
	record_id: Callable  # record → its number (sheet row, card) or name (Lead)
	record_label: Callable  # record id → HTML naming it in the summary
	texts: Texts
	refresh: str  # the doctype whose open list the desk refreshes when a job ends
	savepoint: str = "crm_clients_intake"
	sync_limit: int = SYNC_LIMIT  # more records than this go to the background job


@dataclass
class Summary:
	total: int = 0
	created: list[str] = field(default_factory=list)
	matched: list[str] = field(default_factory=list)
	skipped: list = field(default_factory=list)
	failed: list[dict] = field(default_factory=list)
	contacts_created: list[str] = field(default_factory=list)
	contacts_matched: list[str] = field(default_factory=list)
	unknown: dict = field(default_factory=lambda: {"industry": [], "business_region": []})
	records: list[dict] = field(default_factory=list)
	other: dict = field(default_factory=dict)  # a source's own outcome → its records
	from_register: list = field(default_factory=list)  # records whose Client was named by the register
	lost_races: int = 0  # records that failed because a simultaneous transaction took what they chose

	def add(self, record, outcome: Outcome) -> None:
		if outcome.outcome == SKIPPED:
			self.skipped.append(record)
		elif outcome.outcome not in (CREATED, MATCHED):
			self.other.setdefault(outcome.outcome, []).append(record)
		# a Client created by an earlier record of the same run stays "created"
		elif outcome.outcome == CREATED and outcome.client not in self.created:
			self.created.append(outcome.client)
		elif outcome.client not in self.created and outcome.client not in self.matched:
			self.matched.append(outcome.client)
		add_new(self.contacts_created, outcome.contacts_created)
		add_new(
			self.contacts_matched,
			[name for name in outcome.contacts_matched if name not in self.contacts_created],
		)
		self.records.append(
			{
				"record": record,
				"outcome": outcome.outcome,
				"client": outcome.client,
				"contacts": outcome.contacts_created + outcome.contacts_matched,
			}
		)

	def fail(self, record, error: str) -> None:
		self.failed.append({"record": record, "error": error})
		self.records.append({"record": record, "outcome": FAILED, "error": error})

	def as_dict(self, source: Source) -> dict:
		counts = {
			"records": self.total,
			"created": len(self.created),
			"matched": len(self.matched),
			"skipped": len(self.skipped),
			"failed": len(self.failed),
			"contacts_created": len(self.contacts_created),
			"contacts_matched": len(self.contacts_matched),
			**{key: len(records) for key, records in self.other.items()},
		}
		return {
			"created": self.created,
			"matched": self.matched,
			"skipped": self.skipped,
			"failed": self.failed,
			"contacts": {"created": self.contacts_created, "matched": self.contacts_matched},
			"unknown": self.unknown,
			"records": self.records,
			"from_register": self.from_register,
			"counts": counts,
			"total": self.total,
			"title": source.texts.title,
			"message": summary_message(self, counts, source),
			"indicator": "orange" if self.failed else "green",
		}


def add_new(target: list, values) -> None:
	for value in values:
		if value not in target:
			target.append(value)


# Starting


def start(source: Source) -> dict:
	"""The summary of a few records at once; for more, the background job's `{"job", "total"}`."""
	if len(source.records) <= source.sync_limit:
		return run_in_request(source)
	job = JOB_PREFIX + frappe.generate_hash(length=12)
	frappe.enqueue(
		JOB_METHOD,
		queue="long",
		timeout=max(1500, len(source.records) * 5),
		job_id=job,
		enqueue_after_commit=True,  # no job for a request that failed, nor before its data is committed
		source=source.factory,
		params=source.params,
		job=job,
	)
	return {"job": job, "total": len(source.records)}


def run_job(source: str, params: dict, job: str | None = None) -> dict:
	"""The background job: the source made again from its parameters, each record committed on its own (a job
	that dies half-way keeps what it did; running it again matches it), in the user's language, with a progress
	bar; the summary kept for the user and sent to the desk."""
	if source not in SOURCES:
		frappe.throw(_("Unknown source of Clients: {0}").format(source))
	frappe.local.lang = get_user_lang(frappe.session.user)  # a job runs in the site's language otherwise
	made = frappe.get_attr(source)(**params)
	summary = run(made, after_each=frappe.db.commit, on_progress=progress_publisher(made.texts))
	summary["job"] = job
	if job:
		frappe.cache.set_value(
			f"{SUMMARY_CACHE_KEY}:{job}", summary, user=frappe.session.user, expires_in_sec=SUMMARY_TTL
		)
	message = {"message": summary["message"], "title": summary["title"], "indicator": summary["indicator"]}
	frappe.publish_realtime("msgprint", message, user=frappe.session.user, after_commit=True)
	done = {key: value for key, value in summary.items() if key != "records"}
	done["refresh"] = made.refresh
	frappe.publish_realtime(DONE_EVENT, done, user=frappe.session.user, after_commit=True)
	return summary


def get_summary(job: str) -> dict | None:
	"""The summary of the user's background job once it has ended (None while it runs, or another user's)."""
	if not job or not isinstance(job, str):
		return None
	return frappe.cache.get_value(f"{SUMMARY_CACHE_KEY}:{job}", user=frappe.session.user)


# Running


def run_in_request(source: Source) -> dict:
	"""A few records in the request's own transaction. When the run lost a race with a simultaneous one — the
	database ended the transaction under it (a deadlock: two requests each waiting for a row the other holds), or
	a record chose a name or an ИНН that its snapshot saw free and another request committed meanwhile — and the
	request had written nothing before the run, the whole run is done again from a fresh transaction, which sees
	what the others committed (the background job does the same record by record), up to `RUNS` times. The last
	run's summary is the answer, failures and all."""
	fresh = not frappe.db.transaction_writes
	for attempt in range(1, RUNS + 1):
		last = attempt == RUNS or not fresh
		try:
			summary = run_records(source)
		except TransactionLost:
			if last:
				raise
		else:
			if last or not summary.lost_races:
				return summary.as_dict(source)
		frappe.db.rollback()


def run(source: Source, after_each=None, on_progress=None) -> dict:
	"""Process every record in its own savepoint; the summary."""
	return run_records(source, after_each, on_progress).as_dict(source)


def run_records(source: Source, after_each=None, on_progress=None) -> Summary:
	"""Process every record in its own savepoint.

	`after_each` is the background job runner's commit per record. When the database ends the transaction (a
	deadlock): with a commit per record only that record is lost (reported failed); without, the run stops, as
	the records before it are gone too and a summary must not say otherwise."""
	summary = Summary(total=len(source.records))
	for index, record in enumerate(source.records):
		record_id = source.record_id(record)
		messages = len(frappe.local.message_log)
		try:
			outcome = all_or_nothing_once_more(
				source.savepoint, lambda record=record: source.process(record, summary), bool(after_each)
			)
		except TransactionLost as error:
			if not after_each:
				raise
			frappe.db.rollback()  # only this record was in it: the earlier ones are committed
			summary.fail(record_id, error_message(error))
		except Exception as error:
			if is_lost_race(error):
				summary.lost_races += 1
			elif not isinstance(error, frappe.ValidationError | frappe.PermissionError):
				frappe.log_error(title=_("{0}: record {1}").format(source.texts.title, record_id))
			summary.fail(record_id, error_message(error))
		else:
			summary.add(record_id, outcome)
		del frappe.local.message_log[messages:]  # the Client's own warnings (similar names) are not for here
		if after_each:
			after_each()
		if on_progress:
			on_progress(index + 1, len(source.records))
	return summary


def error_message(error: Exception) -> str:
	message = strip_html(str(error)).strip()
	if not message and isinstance(error, frappe.DoesNotExistError):
		message = _("not found")
	if not message and isinstance(error, frappe.PermissionError):
		message = _("not permitted")
	return message or _("{0}: an unexpected error, see the Error Log").format(type(error).__name__)


def progress_publisher(texts: Texts):
	"""A progress bar that moves by whole per cents (a realtime message per record would flood the desk)."""
	shown = {"percent": -1}

	def publish(done: int, total: int) -> None:
		percent = int(done * 100 / total)
		if percent == shown["percent"] and done != total:
			return
		shown["percent"] = percent
		frappe.publish_progress(
			percent, title=texts.progress, description=texts.progress_of.format(done, total)
		)

	return publish


# The summary shown to the user


def summary_message(summary: Summary, counts: dict, source: Source) -> str:
	texts = source.texts
	created = _("Clients created: {0}") if texts.created is None else texts.created
	matched = _("Existing Clients matched: {0}") if texts.matched is None else texts.matched
	lines = [texts.records.format(counts["records"])]
	lines += [line.format(counts[key]) for key, line in (("created", created), ("matched", matched)) if line]
	lines += [line.format(counts.get(key, 0)) for key, line in texts.outcomes.items()]
	if summary.from_register:
		lines.append(
			_("Named from the register by their ИНН: {0} ({1})").format(
				len(summary.from_register), ", ".join(str(record) for record in summary.from_register[:20])
			)
		)
	if counts["skipped"]:
		lines.append(texts.skipped.format(counts["skipped"]))
	if counts["contacts_created"] or counts["contacts_matched"]:
		lines.append(
			_("Contact persons created: {0}, matched: {1}").format(
				counts["contacts_created"], counts["contacts_matched"]
			)
		)
	lines.append(texts.failed.format(counts["failed"]))
	html = "<br>".join(lines)
	unknown = summary.unknown
	if unknown["industry"]:
		html += "<br><br>" + _("Unknown industries: {0}").format(escape_html(", ".join(unknown["industry"])))
	if unknown["business_region"]:
		html += "<br>" + _("Unknown business regions: {0}").format(
			escape_html(", ".join(unknown["business_region"]))
		)
	if summary.failed:
		items = "".join(
			"<li>{}: {}</li>".format(source.record_label(row["record"]), escape_html(row["error"]))
			for row in summary.failed[:LISTED_FAILURES]
		)
		more = len(summary.failed) - LISTED_FAILURES
		if more > 0:
			items += "<li>" + _("and {0} more").format(more) + "</li>"
		html += "<br><br>" + texts.failed_list + f"<ul>{items}</ul>"
	if summary.created:
		links = ", ".join(get_link_to_form("Client", name) for name in summary.created[:20])
		html += "<br>" + _("New Clients: {0}").format(links)
	return html
