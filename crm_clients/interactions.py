"""Interactions planned with Clients («взаимодействия»): what they are, the Client's next one, and the rules every
change to them obeys.

An interaction is (CONTRACT.md, «Interactions») a Frappe **Event** with a participant row for the Client
(`event_participants`: reference_doctype "Client"), or a **ToDo** whose reference is the Client — ERPNext's own way
for Leads and Prospects. Made from the Client, from the Event or ToDo form, from the calendar or over REST, they
count the same: the rules live in the Event and ToDo document events (hooks.py), not in the Client's form.

- kind: an Event's category (Call, Meeting, Sent/Received Email → Email, anything else → Other); a ToDo is a Task;
- open: status Open; done: an Event Completed or Closed, a ToDo Closed; or Cancelled;
- the Client's `next_interaction`, `next_interaction_type` and `interaction_status` are derived here after every
  change to one of its Events or ToDos (insert, save — the calendar's drag is a save —, delete) and never taken
  from a request. Planned turns Overdue with time alone, so a scheduled job moves it (`mark_overdue`).
"""

from zoneinfo import ZoneInfo

import frappe
from frappe import _
from frappe.utils import (
	add_to_date,
	escape_html,
	format_date,
	format_datetime,
	get_datetime,
	get_link_to_form,
	get_system_timezone,
	getdate,
	now_datetime,
	nowdate,
)

CLIENT = "Client"
EVENT = "Event"
TODO = "ToDo"

# kinds (the Client's `next_interaction_type` options; labels are translated in the "Client" context)
CALL = "Call"
MEETING = "Meeting"
EMAIL = "Email"
OTHER = "Other"
TASK = "Task"
PLANNABLE_KINDS = (CALL, MEETING, EMAIL, OTHER)
ALL_KINDS = (*PLANNABLE_KINDS, TASK)

# a kind is an Event's category: Frappe's own field, shown in the Event form and the calendar
EVENT_CATEGORY_OF_KIND = {CALL: "Call", MEETING: "Meeting", EMAIL: "Sent/Received Email", OTHER: "Other"}
KIND_OF_EVENT_CATEGORY = {category: kind for kind, category in EVENT_CATEGORY_OF_KIND.items()}

# the Client's `interaction_status`
NOT_PLANNED = "Not Planned"
PLANNED = "Planned"
OVERDUE = "Overdue"

# statuses of the Event and ToDo doctypes
OPEN = "Open"
CANCELLED = "Cancelled"
EVENT_DONE = "Completed"
TODO_DONE = "Closed"

NEXT_INTERACTION_FIELDS = ("next_interaction", "next_interaction_type", "interaction_status")
NO_NEXT_INTERACTION = {
	"next_interaction": None,
	"next_interaction_type": None,
	"interaction_status": NOT_PLANNED,
}

# a time picked "now" in a dialog is a few seconds old when it is saved: that is not the past
PAST_GRACE_MINUTES = 5


def kind_of_event_category(category: str | None) -> str:
	return KIND_OF_EVENT_CATEGORY.get(category or "", OTHER)


def kind_of(doc) -> str:
	return kind_of_event_category(doc.event_category) if doc.doctype == EVENT else TASK


def kind_label(kind: str) -> str:
	labels = {
		CALL: _("Call", context="Client"),
		MEETING: _("Meeting", context="Client"),
		EMAIL: _("Email", context="Client"),
		OTHER: _("Other", context="Client"),
		TASK: _("Task", context="Client"),
	}
	return labels.get(kind, kind)


# --- which Clients an Event or a ToDo concerns


def clients_of(doc) -> list[str]:
	"""The Clients an Event (its participant rows) or a ToDo (its reference) is an interaction with."""
	if not doc:
		return []
	if doc.doctype == EVENT:
		return list(
			dict.fromkeys(
				row.reference_docname
				for row in doc.get("event_participants") or []
				if row.reference_doctype == CLIENT and row.reference_docname
			)
		)
	if doc.doctype == TODO and doc.get("reference_type") == CLIENT and doc.get("reference_name"):
		return [doc.reference_name]
	return []


def clients_of_event_name(event: str) -> list[str]:
	return frappe.get_all(
		"Event Participants",
		filters={"parenttype": EVENT, "parent": event, "reference_doctype": CLIENT},
		pluck="reference_docname",
		distinct=True,
	)


def affected_clients(doc) -> list[str]:
	"""The Clients of the document now and before this save (an interaction moved to another Client, or away)."""
	return list(dict.fromkeys(clients_of(doc.get_doc_before_save()) + clients_of(doc)))


def is_open(doc) -> bool:
	return doc.get("status") == OPEN


# --- the Client's next interaction


def next_interaction_values(client: str, now=None) -> dict:
	"""The Client's `next_interaction` (the earliest open Event's start or open ToDo's date), its kind and
	whether it is overdue; all empty (Not Planned) when nothing is open."""
	candidates = [c for c in (first_open_event(client), first_open_todo(client)) if c]
	if not candidates:
		return dict(NO_NEXT_INTERACTION)
	at, kind, whole_day = min(candidates, key=lambda candidate: candidate[0])
	return {
		"next_interaction": at,
		"next_interaction_type": kind,
		"interaction_status": status_of(at, whole_day, now),
	}


def first_open_event(client: str):
	event = frappe.qb.DocType(EVENT)
	participant = frappe.qb.DocType("Event Participants")
	rows = (
		frappe.qb.from_(event)
		.join(participant)
		.on((participant.parent == event.name) & (participant.parenttype == EVENT))
		.select(event.starts_on, event.event_category, event.all_day)
		.where(
			(participant.reference_doctype == CLIENT)
			& (participant.reference_docname == client)
			& (event.status == OPEN)
			& event.starts_on.isnotnull()
		)
		.orderby(event.starts_on)
		.limit(1)
		.run(as_dict=True)
	)
	if not rows:
		return None
	return (
		get_datetime(rows[0].starts_on),
		kind_of_event_category(rows[0].event_category),
		bool(rows[0].all_day),
	)


def first_open_todo(client: str):
	"""A ToDo's date is a day: the next interaction is that day at 00:00 (the contract's "ToDo's date")."""
	rows = frappe.get_all(
		TODO,
		filters={
			"reference_type": CLIENT,
			"reference_name": client,
			"status": OPEN,
			"date": ("is", "set"),
		},
		fields=["date"],
		order_by="date asc",
		limit=1,
	)
	return (get_datetime(rows[0].date), TASK, True) if rows else None


def status_of(at, whole_day: bool = False, now=None) -> str:
	"""Overdue once its time is past and it is still open: an Event when it was to start; a task or an all-day
	event (a day) the day after."""
	now = now or now_datetime()
	if whole_day:
		return OVERDUE if getdate(at) < getdate(now) else PLANNED
	return OVERDUE if get_datetime(at) < now else PLANNED


def update_next_interaction(client: str) -> None:
	"""Derive the Client's next interaction again (a row write, without the Client's own validation: an
	interaction may change while the Client is on the route or converted)."""
	current = frappe.db.get_value(CLIENT, client, NEXT_INTERACTION_FIELDS, as_dict=True)
	if not current:
		return  # the Client is being deleted, or never existed
	values = next_interaction_values(client)
	if values["next_interaction"]:
		values["next_interaction"] = get_datetime(values["next_interaction"])
	if current.next_interaction:
		current.next_interaction = get_datetime(current.next_interaction)
	if any(current.get(field) != values[field] for field in NEXT_INTERACTION_FIELDS):
		frappe.db.set_value(CLIENT, client, values, update_modified=False)


def update_next_interactions(clients) -> None:
	for client in clients:
		update_next_interaction(client)


def mark_overdue() -> None:
	"""Scheduled (hooks.py): Planned turns Overdue when its time has passed — nothing else changes then. The
	Clients whose planned time is behind are derived again (a task, or an all-day event, stays planned for
	its whole day)."""
	clients = frappe.get_all(
		CLIENT,
		filters={"interaction_status": PLANNED, "next_interaction": ("<", now_datetime())},
		pluck="name",
	)
	update_next_interactions(clients)


# --- rules for every Event and ToDo of a Client (doc_events in hooks.py)


def validate_event(event, method=None) -> None:
	clients = clients_of(event)
	if not clients:
		return
	check_clients_exist(clients)
	if event.repeat_this_event:
		frappe.throw(
			_(
				"An interaction with a Client happens once: plan each call or meeting as its own event (repeating events are not supported for Clients)."
			),
			title=_("Interactions"),
		)
	check_contacts_belong_to(event, clients)
	check_ends_after_it_starts(event.starts_on, event.ends_on)
	check_not_planned_in_the_past(event)
	name_clients_in_subject(event, clients)


def on_event_update(event, method=None) -> None:
	clients = affected_clients(event)
	if not clients:
		return
	if has_just_closed(event):
		close_event_assignments(event)
	record_outcome(event)
	update_next_interactions(clients)


def after_event_delete(event, method=None) -> None:
	update_next_interactions(clients_of(event))


def validate_todo(todo, method=None) -> None:
	clients = clients_of(todo)
	if clients:
		check_clients_exist(clients)
		check_user_can_be_responsible(todo.allocated_to)
		check_not_planned_in_the_past(todo)
	elif todo.reference_type == EVENT and todo.reference_name and todo.is_new():
		# an assignment of a Client's Event: the responsible user of the interaction
		if clients_of_event_name(todo.reference_name):
			check_user_can_be_responsible(todo.allocated_to)


def after_todo_insert(todo, method=None) -> None:
	share_event_with_assignee(todo)


def on_todo_update(todo, method=None) -> None:
	clients = affected_clients(todo)
	if not clients:
		return
	record_outcome(todo)
	update_next_interactions(clients)


def after_todo_delete(todo, method=None) -> None:
	update_next_interactions(clients_of(todo))


def check_clients_exist(clients: list[str]) -> None:
	missing = [client for client in clients if not frappe.db.exists(CLIENT, client)]
	if missing:
		frappe.throw(
			_("Client {0} does not exist.").format(", ".join(frappe.bold(name) for name in missing)),
			frappe.LinkValidationError,
		)


def check_contacts_belong_to(event, clients: list[str]) -> None:
	"""A contact person on a Client's interaction is one of the Client's contact persons."""
	contacts = [
		row.reference_docname for row in event.event_participants if row.reference_doctype == "Contact"
	]
	if not contacts:
		return
	known = set(
		frappe.get_all(
			"Client Contact",
			filters={"parenttype": CLIENT, "parent": ("in", clients), "contact": ("in", contacts)},
			pluck="contact",
		)
	)
	stranger = next((contact for contact in contacts if contact not in known), None)
	if stranger:
		frappe.throw(
			_(
				"Contact {0} is not a contact person of Client {1}: choose one of the Client's contact persons, or add {0} to the Client first."
			).format(frappe.bold(stranger), frappe.bold(", ".join(clients))),
			title=_("Interactions"),
		)


def check_ends_after_it_starts(starts_on, ends_on) -> None:
	"""To the minute (Frappe's own Event check compares the days only)."""
	if starts_on and ends_on and get_datetime(ends_on) < get_datetime(starts_on):
		frappe.throw(
			_("The interaction cannot end ({0}) before it starts ({1}).").format(
				format_datetime(ends_on), format_datetime(starts_on)
			),
			frappe.exceptions.InvalidDates,
			title=_("Interactions"),
		)


def check_not_planned_in_the_past(doc) -> None:
	"""An open interaction is planned for now or later: refused when it is made, reopened or moved into the
	past (an interaction that became overdue may still be edited, reassigned or closed)."""
	if not is_open(doc):
		return
	fieldname = "starts_on" if doc.doctype == EVENT else "date"
	value = doc.get(fieldname)
	if not value:
		return
	before = doc.get_doc_before_save()
	if before and is_open(before) and before.get(fieldname) and same_time(before.get(fieldname), value):
		return
	if doc.doctype == EVENT and not doc.all_day:
		past = get_datetime(value) < add_to_date(now_datetime(), minutes=-PAST_GRACE_MINUTES)
		shown = format_datetime(value)
	else:  # a task's or an all-day event's day
		past = getdate(value) < getdate(nowdate())
		shown = format_date(value)
	if past:
		frappe.throw(
			_(
				"An open interaction cannot be planned in the past ({0}): choose a later time, or log it as done if it has already happened."
			).format(shown),
			title=_("Interactions"),
		)


def same_time(a, b) -> bool:
	return get_datetime(a) == get_datetime(b)


def check_user_can_be_responsible(user: str | None) -> None:
	"""The responsible user exists and is enabled (the assignee gets the notifications and the reminders)."""
	if not user:
		return
	enabled = frappe.db.get_value("User", user, "enabled")
	if enabled is None:
		frappe.throw(_("User {0} does not exist.").format(frappe.bold(user)), frappe.LinkValidationError)
	if not enabled:
		frappe.throw(
			_("User {0} is disabled: choose someone else to be responsible for the interaction.").format(
				frappe.bold(user)
			),
			title=_("Interactions"),
		)


def name_clients_in_subject(event, clients: list[str]) -> None:
	"""The calendar shows an Event's subject: it names the Client, wherever the Event was made."""
	subject = (event.subject or "").strip()
	names = frappe.get_all(CLIENT, filters={"name": ("in", clients)}, pluck="client_name")
	missing = [name for name in names if name and name not in subject]
	if missing:
		event.subject = " — ".join([subject, *missing]) if subject else " — ".join(missing)


def has_just_closed(doc) -> bool:
	before = doc.get_doc_before_save()
	return not is_open(doc) and (before is None or is_open(before))


def close_event_assignments(event) -> None:
	"""A done or cancelled interaction leaves nothing open in its assignee's ToDo list."""
	from frappe.desk.form.assign_to import close_all_assignments

	# bookkeeping of the Event being closed (the assignees' ToDos may be other users')
	close_all_assignments(EVENT, event.name, ignore_permissions=True)


def share_event_with_assignee(todo) -> None:
	"""The responsible user of a Client's Event sees it in their calendar and in Frappe's daily reminder of
	today's events, which list the events a user owns or that are shared with them."""
	if todo.reference_type != EVENT or not todo.reference_name or not todo.allocated_to:
		return
	if not clients_of_event_name(todo.reference_name):
		return
	owner = frappe.db.get_value(EVENT, todo.reference_name, "owner")
	if owner == todo.allocated_to:
		return
	frappe.share.add_docshare(
		EVENT, todo.reference_name, todo.allocated_to, read=1, flags={"ignore_share_permission": True}
	)


def record_outcome(doc) -> None:
	"""Closing an interaction (done or cancelled), or changing the outcome of a done one, goes to the timeline
	of its Clients, with the outcome."""
	if is_open(doc):
		return
	outcome = (doc.get("interaction_outcome") or "").strip()
	if not has_just_closed(doc) and not (outcome and doc.has_value_changed("interaction_outcome")):
		return
	text = outcome_comment(doc, outcome)
	for client in clients_of(doc):
		# a comment on the timeline (the text links to the interaction), as Document.add_comment makes it
		frappe.get_doc(
			{
				"doctype": "Comment",
				"comment_type": "Comment",
				"comment_email": frappe.session.user,
				"reference_doctype": CLIENT,
				"reference_name": client,
				"content": text,
			}
		).insert(ignore_permissions=True)


def outcome_comment(doc, outcome: str) -> str:
	title = doc.subject if doc.doctype == EVENT else frappe.utils.strip_html(doc.description or "")
	kind = kind_label(kind_of(doc))
	# the subject planning gives («Meeting: ООО Ромашка») names the kind already: not twice
	title = (title or "").removeprefix(f"{kind}: ")
	link = get_link_to_form(doc.doctype, doc.name, escape_html(title or doc.name))
	if doc.status == CANCELLED:
		text = _("{0} {1}: cancelled.").format(kind, link)
		if outcome:
			text += " " + _("Reason: {0}").format(escape_html(outcome))
		return text
	text = _("{0} {1}: done.").format(kind, link)
	if outcome:
		text += " " + _("Outcome: {0}").format(escape_html(outcome))
	return text


# --- the Client's Activities tab


def show_events_in_user_time_zone(events: list[dict]) -> None:
	"""ERPNext's Activities tab prints an Event's start and end as they are stored, in the system's time zone:
	a user in another time zone saw the meeting they planned at 10:00 at 02:00. The open events of a Client
	are given to it in the user's time zone (an all-day event keeps its day)."""
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


# --- the Client's own lifecycle


def open_interactions(client: str) -> list[tuple[str, str]]:
	"""(doctype, name) of the Client's open Events and ToDos."""
	from erpnext.crm.utils import get_open_events, get_open_todos

	return [(EVENT, row.name) for row in get_open_events(CLIENT, client)] + [
		(TODO, row.name) for row in get_open_todos(CLIENT, client)
	]


def check_can_delete(client) -> None:
	"""A Client with open interactions is not deleted: they are colleagues' plans (in their calendars, with
	reminders), and cancelling them silently would surprise them. The message names them; complete or cancel
	them (or move them to another Client), then delete."""
	open_ones = open_interactions(client.name)
	if open_ones:
		links = ", ".join(get_link_to_form(doctype, name) for doctype, name in open_ones[:10])
		more = len(open_ones) - 10
		if more > 0:
			links += " " + _("and {0} more").format(more)
		frappe.throw(
			_(
				"Client {0} has open interactions: {1}. Complete or cancel them (or move them to another Client) before deleting it."
			).format(frappe.bold(client.name), links),
			frappe.LinkExistsError,
			title=_("Interactions"),
		)


def detach_closed_events(client) -> None:
	"""The Client's done and cancelled Events stay in their owners' calendars without it (otherwise Frappe's
	link check would refuse the delete for ever); its ToDos are removed by Frappe with the Client."""
	frappe.db.delete(
		"Event Participants",
		{"parenttype": EVENT, "reference_doctype": CLIENT, "reference_docname": client.name},
	)
