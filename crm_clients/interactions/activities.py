"""The Client's Activities tab («Дела»): ERPNext's open tasks and events of the Client (its `CRMActivities`, with
the app's own method: `crm_clients.api.get_client_activities`), for whoever may read the Client, with the events'
times on the user's clock."""

from zoneinfo import ZoneInfo

import frappe
from frappe.utils import get_datetime, get_system_timezone

from crm_clients.interactions.clients import CLIENT, EVENT


def get_client_activities(client: str) -> dict:
	"""ERPNext's Activities data of the Client (open tasks and events, and on Frappe 16 the closed ones too)."""
	from erpnext.crm.utils import get_open_activities

	frappe.get_doc(CLIENT, client).check_permission("read")
	activities = get_open_activities(CLIENT, client)
	for key in ("events", "events_history"):
		show_events_in_user_time_zone(activities.get(key) or [])
	return activities


def show_events_in_user_time_zone(events: list[dict]) -> None:
	"""ERPNext's Activities tab prints an Event's start and end as they are stored, in the system's time zone:
	a user in another time zone saw the meeting they planned at 10:00 at 02:00. The events of a Client are given
	to it in the user's time zone (an all-day event keeps its day)."""
	system_zone = get_system_timezone()
	user_zone = frappe.db.get_value("User", frappe.session.user, "time_zone") or system_zone
	if user_zone == system_zone or not events:
		return
	all_day = set(
		frappe.get_all(
			EVENT, filters={"name": ("in", [event.name for event in events]), "all_day": 1}, pluck="name"
		)
	)
	for event in events:
		if event.name in all_day:
			continue
		for fieldname in ("starts_on", "ends_on"):
			if event.get(fieldname):
				event[fieldname] = in_time_zone(event[fieldname], system_zone, user_zone)


def in_time_zone(value, from_zone: str, to_zone: str):
	"""A naive datetime of one time zone as the same moment in another (naive too)."""
	moment = get_datetime(value).replace(tzinfo=ZoneInfo(from_zone))
	return moment.astimezone(ZoneInfo(to_zone)).replace(tzinfo=None)
