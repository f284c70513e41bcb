"""Requisites for many Clients: «Обновить реквизиты» for a selection (a source of the intake runner: a few in
the request, more in the background with progress and a summary) and the scheduled re-check of the register's
statuses within the provider's daily quota."""

import frappe
from frappe import _
from frappe.utils import add_days, get_link_to_form, now_datetime, today

from crm_clients.intake import runner
from crm_clients.requisites import fill, provider

UPDATED = "updated"
UNCHANGED = "unchanged"
NOT_FOUND = "not_found"
SOURCE = "crm_clients.intake.requisites_source.make_source"
# the fields a re-check writes (the register's, read-only on the Client: no user reviews them)
RECHECKED = ("register_status", "register_status_date", "requisites_fetched_on", "requisites_source")


def update_clients(clients: list[str]) -> dict:
	"""«Обновить реквизиты» for the selected Clients: the summary, or the background job's `{"job", "total"}`."""
	if not clients:
		frappe.throw(_("Select at least one Client."), title=_("Update Requisites"))
	if not provider.is_configured():
		raise provider.NotConfigured(provider.not_configured_message())
	return runner.start(make_source(clients))


def make_source(clients: list[str]) -> runner.Source:
	"""The Clients as a source of the runner (also in its background job)."""
	frappe.has_permission("Client", "write", throw=True)
	return runner.Source(
		factory=SOURCE,
		params={"clients": clients},
		records=clients,
		process=lambda name, summary: update_client(name),
		record_id=lambda name: name,
		record_label=lambda name: get_link_to_form("Client", name),
		texts=runner.Texts(
			title=_("Update Requisites"),
			progress=_("Updating requisites from the register"),
			progress_of=_("{0} of {1} Clients"),
			records=_("Clients: {0}"),
			skipped=_("Clients unchanged: {0}"),
			failed=_("Clients failed: {0}"),
			failed_list=_("Failed Clients:"),
			created="",
			matched=_("Clients updated: {0}"),
			outcomes={NOT_FOUND: _("Not found in the register: {0}")},
		),
		refresh="Client",
		savepoint="crm_clients_requisites",
	)


def update_client(name: str) -> runner.Outcome:
	"""One Client's empty fields filled and its register status updated (differing values are kept: the form
	shows them)."""
	client = frappe.get_doc("Client", name, for_update=True)
	client.check_permission("write")
	if not client.tax_id:
		return runner.Outcome(NOT_FOUND, name)
	try:
		changed = fill.fill(client)
	except fill.NotFound:
		return runner.Outcome(NOT_FOUND, name)
	return runner.Outcome(runner.MATCHED if changed else runner.SKIPPED, name)


# The scheduled re-check


def scheduled_recheck() -> None:
	"""hooks.py `scheduler_events` (daily): each Client whose check is older than the settings' days, oldest
	first, each committed on its own."""
	recheck(after_each=frappe.db.commit)


def recheck(after_each=None) -> dict:
	"""Re-check the register's status of the Clients due, within the daily quota; stop when the provider says
	the quota is spent (HTTP 403) — the next run goes on from the Clients not checked. `{"checked", "changed",
	"failed", "stopped"}`."""
	settings = frappe.get_single(provider.SETTINGS)
	result = {"checked": 0, "changed": [], "failed": 0, "stopped": None}
	days = settings.requisites_recheck_days or 0
	if not days or not provider.is_configured():
		return result
	if str(settings.requisites_quota_spent_on or "") == today():
		result["stopped"] = "quota"
		return result
	limit = settings.requisites_daily_quota or 0
	threshold = add_days(now_datetime(), -days)
	due = frappe.get_all(
		"Client",
		filters={"tax_id": ("is", "set")},
		or_filters=[["requisites_fetched_on", "is", "not set"], ["requisites_fetched_on", "<", threshold]],
		fields=["name", "tax_id", "kpp", "register_status"],
		order_by="requisites_fetched_on asc, creation asc",
		limit=limit or None,
	)
	for client in due:
		try:
			org = provider.find_one(client.tax_id, client.kpp)
		except provider.QuotaSpent:
			frappe.db.set_single_value(provider.SETTINGS, "requisites_quota_spent_on", today())
			result["stopped"] = "quota"
			break
		except provider.RequisitesError:
			result["failed"] += 1
			frappe.log_error(title=_("Register re-check of Client {0}").format(client.name))
			continue
		result["checked"] += 1
		record_recheck(client, org)
		if org and org.register_status != client.register_status:
			result["changed"].append(client.name)
		if after_each:
			after_each()
	if after_each:
		after_each()
	return result


def record_recheck(client, org) -> None:
	values = {"requisites_fetched_on": now_datetime()}
	if org:
		values.update(
			{
				"register_status": org.register_status,
				"register_status_date": org.register_status_date,
				"requisites_source": org.source,
			}
		)
	frappe.db.set_value("Client", client.name, values, update_modified=False)
	if org and org.register_status != client.register_status and client.register_status:
		doc = frappe.get_doc("Client", client.name)
		doc.add_comment(
			"Info",
			_("The register's status changed from {0} to {1}.").format(
				client.register_status, org.register_status
			),
		)
