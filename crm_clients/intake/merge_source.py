"""Several Clients merged into one (the Client list's bulk «Объединить»), as a source of the intake runner.

A record is one Client to merge into the Client that stays, by `duplicates.merge`: each merge all or nothing in
its own savepoint. A few (`SYNC_LIMIT` merges: up to 5 Clients selected) run in the request; more in the
runner's background job, which commits merge by merge — a worker killed half-way leaves every Client merged
completely or untouched, and running the same selection again skips the Clients already merged into it — with
a progress bar and a summary for the user.
"""

import frappe
from frappe import _
from frappe.utils import escape_html, get_link_to_form

from crm_clients import duplicates
from crm_clients.intake import runner

MERGED = "merged"
SOURCE = "crm_clients.intake.merge_source.make_source"
SYNC_LIMIT = 4  # merges in the request (5 Clients selected); more go to the background job


def merge_clients_into(survivor: str, others: list[str]) -> dict:
	"""Merge `others` into `survivor`, one by one: the summary with `survivor` (the Client that stays), or, for
	many Clients, the background job's `{"job", "total", "survivor"}`."""
	others = [name for name in dict.fromkeys(others or []) if name and name != survivor]
	if not survivor or not others:
		frappe.throw(_("Select two Clients or more."), title=_("Merge Clients"))
	frappe.has_permission("Client", "delete", throw=True)
	source = make_source(survivor, others)
	result = runner.start(source)
	result["survivor"] = source.merger.survivor
	return result


class Merger:
	"""Merges one Client after the other into the Client that stays (which a merge may change: the converted
	Client stays)."""

	def __init__(self, survivor: str):
		self.survivor = survivor

	def merge(self, name: str) -> runner.Outcome:
		if not frappe.db.exists(duplicates.CLIENT, name):
			if duplicates.merged_into(name) == self.survivor:
				return runner.Outcome(runner.SKIPPED, self.survivor)  # merged by an earlier run
			frappe.throw(
				_("Client {0} no longer exists: it was merged or deleted meanwhile.").format(
					frappe.bold(name)
				),
				frappe.DoesNotExistError,
			)
		survivor = duplicates.merge(self.survivor, name)
		self.survivor = survivor
		return runner.Outcome(MERGED, survivor)


def make_source(survivor: str, others: list[str]) -> runner.Source:
	"""The Clients to merge as a source of the runner (also in its background job)."""
	frappe.has_permission("Client", "write", throw=True)
	frappe.has_permission("Client", "delete", throw=True)
	survivor, others = stays(survivor, others)
	merger = Merger(survivor)
	link = escape_braces(get_link_to_form(duplicates.CLIENT, survivor))
	source = runner.Source(
		factory=SOURCE,
		params={"survivor": survivor, "others": others},
		records=others,
		process=lambda name, summary: merger.merge(name),
		record_id=lambda name: name,
		record_label=lambda name: frappe.bold(name),
		texts=runner.Texts(
			title=_("Merge Clients"),
			progress=_("Merging Clients"),
			progress_of=_("{0} of {1} Clients"),
			records=_("Client that stays: {0}").format(link) + "<br>" + _("Clients to merge into it: {0}"),
			skipped=_("Clients merged into it before: {0}"),
			failed=_("Clients not merged: {0}"),
			failed_list=_("Clients not merged:"),
			created="",
			matched="",
			outcomes={MERGED: _("Clients merged: {0}")},
		),
		refresh=duplicates.CLIENT,
		savepoint="crm_clients_bulk_merge",
		sync_limit=SYNC_LIMIT,
	)
	source.merger = merger
	return source


def stays(survivor: str, others: list[str]) -> tuple[str, list[str]]:
	"""The Client that stays, and the Clients merged into it: a survivor merged away by an earlier run is its
	own survivor now; of a converted and a non-converted Client the converted one stays, whichever the user
	chose (as `duplicates.merge` decides for two)."""
	if not frappe.db.exists(duplicates.CLIENT, survivor):
		survivor = duplicates.merged_into(survivor) or survivor
	others = [name for name in others if name != survivor]
	if frappe.db.get_value(duplicates.CLIENT, survivor, "customer"):
		return survivor, others
	converted = frappe.get_all(
		duplicates.CLIENT,
		filters={"name": ("in", others), "customer": ("is", "set")},
		pluck="name",
		order_by="name",
		limit=1,
	)
	if not converted:
		return survivor, others
	return converted[0], [survivor] + [name for name in others if name != converted[0]]


def escape_braces(text: str) -> str:
	"""Text put into a summary line that is formatted later (`str.format`)."""
	return text.replace("{", "{{").replace("}", "}}")
