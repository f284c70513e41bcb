"""Flow 7a: an interaction planned with a Client, seen in the registry, and done.

The Sales User opens a Client and plans a meeting for tomorrow at 10:00 with «Запланировать взаимодействие»:
the kind, the time, a colleague responsible for it, the Client's contact person and notes. The meeting is on
the Client's «Дела» tab, and the registry shows it as the Client's next interaction (when, with the kind) and
finds the Client under «Запланировано». Ticking it on the «Дела» tab asks «Как всё прошло?»; «Выполнено» with
the outcome puts the outcome on the Client's timeline, and the registry's next interaction empties: the Client
is «Без запланированных». «Просрочено» finds the run's overdue Client, in red.
"""

import re
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import frappe
from playwright.sync_api import expect

from tests.e2e.data import USER_TIME_ZONE

MEETING_AT = "10:00"


def test_plan_an_interaction_see_it_in_the_registry_and_mark_it_done(desk, e2e_data):
	token = e2e_data.token
	client, name = e2e_data.client_to_plan, e2e_data.client_to_plan_name
	colleague = e2e_data.users["sales_manager"]
	me = desk("sales_user")
	me.open_form("Client", client)

	# «Запланировать взаимодействие»: a meeting tomorrow at 10:00, for a colleague, with the contact person
	before = user_now()
	me.button("Запланировать взаимодействие").click()
	plan = me.dialog()
	expect(plan.locator(".modal-title")).to_have_text("Запланировать взаимодействие")
	starts_on = me.control("starts_on", scope=plan).locator("input")
	# it offers the next full hour of the user's clock
	expect(starts_on).not_to_have_value("")
	assert starts_on.input_value() in {next_full_hour(before), next_full_hour(user_now())}
	me.expect_value("responsible", e2e_data.users["sales_user"].email, scope=plan)
	me.snap("plan-dialog")
	me.select("kind", "Встреча", scope=plan)
	tomorrow = user_today() + timedelta(days=1)
	meeting_at = datetime.combine(tomorrow, time.fromisoformat(MEETING_AT))
	starts_on.click()
	starts_on.press("Control+a")
	starts_on.press_sequentially(meeting_at.strftime(f"{date_format()} {time_format()}"))
	me.choose("responsible", colleague.full_name.split()[0], colleague.full_name, scope=plan)
	me.expect_value("responsible", colleague.email, scope=plan)
	me.select("contact", e2e_data.contact_name, scope=plan)
	notes = f"Обсудить поставку металлопроката {token}"
	me.type_into("notes", notes, scope=plan)
	me.snap("plan-dialog-filled")
	plan.get_by_role("button", name="Сохранить").click()
	expect(me.alert("Взаимодействие запланировано")).to_be_visible()
	expect(plan).to_be_hidden()
	me.wait_for_form("Client", client)
	frappe.db.rollback()
	event = frappe.get_doc("Event", {"subject": f"Встреча: {name}"})
	assert (event.event_category, event.status, event.description) == ("Meeting", "Open", notes)
	assert as_user_time(event.starts_on) == meeting_at
	assert {(row.reference_doctype, row.reference_docname) for row in event.event_participants} == {
		("Client", client),
		("Contact", e2e_data.contact),
	}
	assert frappe.get_all(
		"ToDo", filters={"reference_type": "Event", "reference_name": event.name}, pluck="allocated_to"
	) == [colleague.email]

	# «Дела»: the meeting, open
	me.tab("Дела").click()
	subject = f"Встреча: {name}"
	meeting = me.main.locator(".open-events .single-activity").filter(has_text=subject)
	expect(meeting).to_be_visible()
	expect(meeting).to_contain_text(f"{MEETING_AT} AM")  # on the user's clock
	me.snap("activities-tab")

	# the registry: the next interaction, and the «Взаимодействия» filter
	me.open_list("Client").clear_list_filters()
	with me.list_refresh():
		me.type_into("client_name", "Планета")  # this Client, and the run's overdue one
	row = me.list_row(name)
	next_interaction = row.locator(".list-row-col").filter(has_text=MEETING_AT)
	expect(next_interaction.first).to_contain_text(f"{short_date(tomorrow)} {MEETING_AT}")
	expect(next_interaction.first.locator("[title]").first).to_have_attribute("title", re.compile(r"Встреча"))
	me.snap("registry-planned")
	interactions_filter(me, "Запланировано")
	expect(me.list_row(name)).to_be_visible()
	expect(me.list_row(e2e_data.overdue_client_name)).to_have_count(0)
	interactions_filter(me, "Просрочено")
	overdue = me.list_row(e2e_data.overdue_client_name)
	expect(overdue).to_be_visible()
	expect(overdue.locator(".text-danger")).to_be_visible()
	expect(me.list_row(name)).to_have_count(0)
	me.snap("registry-overdue")
	interactions_filter(me, "")

	# done, with its outcome: on the «Дела» tab
	me.list_row(name).locator(".list-subject a").first.click()
	me.wait_for_form("Client", client)
	me.tab("Дела").click()
	meeting = me.main.locator(".open-events .single-activity").filter(has_text=subject)
	meeting.hover()
	meeting.locator(".completion-checkbox").click()
	done = me.dialog()
	expect(done.locator(".modal-title")).to_have_text("Как всё прошло?")
	outcome = f"Договорились о поставке в декабре {token}"
	me.type_into("outcome", outcome, scope=done)
	me.snap("done-dialog")
	done.get_by_role("button", name="Выполнено").click()
	expect(done).to_be_hidden()
	me.wait_for_form("Client", client)
	expect(me.main.locator(".open-events")).to_contain_text("Открытых событий нет")
	expect(me.main.locator(".new-timeline")).to_contain_text(f"Встреча {name}: выполнено. Итог: {outcome}")
	me.snap("done-on-the-timeline")

	# the registry: nothing planned now
	me.open_list("Client")
	row = me.list_row(name)
	expect(row).to_be_visible()
	expect(row).not_to_contain_text(MEETING_AT)
	interactions_filter(me, "Без запланированных")
	expect(me.list_row(name)).to_be_visible()
	expect(me.list_row(e2e_data.overdue_client_name)).to_have_count(0)
	me.snap("registry-nothing-planned")
	me.clear_list_filters()

	frappe.db.rollback()
	assert frappe.db.get_value(
		"Client", client, ["next_interaction", "next_interaction_type", "interaction_status"]
	) == (None, None, "Not Planned")


def interactions_filter(me, label: str) -> None:
	"""The registry's «Взаимодействия» filter set to `label` (empty: any)."""
	with me.list_refresh():
		me.select("interaction_status", label)


def as_user_time(value) -> datetime:
	"""A time stored by the site (in its time zone) on the user's clock."""
	system_zone = ZoneInfo(frappe.utils.get_system_timezone())
	return value.replace(tzinfo=system_zone).astimezone(ZoneInfo(USER_TIME_ZONE)).replace(tzinfo=None)


def user_now() -> datetime:
	return datetime.now(ZoneInfo(USER_TIME_ZONE)).replace(tzinfo=None)


def user_today():
	return user_now().date()


def next_full_hour(now: datetime) -> str:
	return (
		(now + timedelta(hours=1))
		.replace(minute=0, second=0, microsecond=0)
		.strftime(f"{date_format()} %H:%M:%S")
	)


def date_format() -> str:
	"""The site's date format (System Settings) as strftime's."""
	site_format = frappe.db.get_single_value("System Settings", "date_format") or "yyyy-mm-dd"
	return site_format.replace("yyyy", "%Y").replace("dd", "%d").replace("mm", "%m")


def time_format() -> str:
	site_format = frappe.db.get_single_value("System Settings", "time_format") or "HH:mm:ss"
	return site_format.replace("HH", "%H").replace("mm", "%M").replace("ss", "%S")


def user_date(day) -> str:
	return day.strftime(date_format())


def short_date(day) -> str:
	"""As the registry shows a day of this year: without the year (and the separator next to it)."""
	if day.year != user_today().year:
		return user_date(day)
	return day.strftime(re.sub(r"^[^%]+|(?<=[dm])[^%]+$", "", date_format().replace("%Y", "")))
