"""The app's words, defined once: Client types and statuses, interaction kinds and states, legal forms and the
country. Python imports the values from here; the desk gets the labels, colours and icons once, with the boot
(`for_desk`, hooks.py `boot_session`), as `frappe.boot.crm_clients`.

Labels are translated in the "Client" context (the registry's own words: «Юридическое лицо», «Звонок»);
the list's short status pills in the "Client list" context («Переведен»).
"""

from frappe import _

RUSSIA = "Russian Federation"

# Client types (the Client's `client_type`)
COMPANY = "Company"
INDIVIDUAL = "Individual"
CLIENT_TYPES = (COMPANY, INDIVIDUAL)

# Client statuses (the Client's `status`, derived by its controller: crm_clients/status.py)
OPEN = "Open"
PENDING = "Pending Conversion"
CONVERTED = "Converted"
STATUSES = (OPEN, PENDING, CONVERTED)
STATUS_COLOURS = {OPEN: "blue", PENDING: "orange", CONVERTED: "green"}

# Interaction kinds (the Client's `next_interaction_type`): an Event's category, or a ToDo (a task)
CALL = "Call"
MEETING = "Meeting"
EMAIL = "Email"
OTHER = "Other"
TASK = "Task"
PLANNABLE_KINDS = (CALL, MEETING, EMAIL, OTHER)
ALL_KINDS = (*PLANNABLE_KINDS, TASK)
KIND_ICONS = {CALL: "call", MEETING: "share-people", EMAIL: "mail", OTHER: "calendar", TASK: "small-message"}

# Interaction states of a Client (the Client's `interaction_status`)
NOT_PLANNED = "Not Planned"
PLANNED = "Planned"
OVERDUE = "Overdue"
INTERACTION_STATUSES = (NOT_PLANNED, PLANNED, OVERDUE)
INTERACTION_STATUS_COLOURS = {NOT_PLANNED: "gray", PLANNED: "blue", OVERDUE: "red"}

# Legal forms: they mark an organisation's name on a card, and are left out when names are compared
LEGAL_FORMS = (
	"ооо", "оао", "зао", "пао", "нао", "ао", "ип", "нко", "ано", "фгуп", "гуп", "муп", "тоо", "чуп",
	"llc", "ltd", "limited", "inc", "corp", "corporation", "gmbh", "ag", "ab", "plc", "jsc", "pjsc", "llp",
	"co", "sa", "bv", "srl", "oy", "as",
)  # fmt: skip
# the legal forms of an individual (an individual entrepreneur's card)
INDIVIDUAL_FORMS = ("ип",)


def client_type_label(client_type: str | None) -> str:
	labels = {COMPANY: _("Company", context="Client"), INDIVIDUAL: _("Individual", context="Client")}
	return labels.get(client_type or "", client_type or "")


def status_label(status: str | None, short: bool = False) -> str:
	"""A Client's status in the user's language: in full («Переведен в контрагенты»), or short for the list."""
	if short:
		labels = {
			OPEN: _("Open", context="Client list"),
			PENDING: _("Pending Conversion", context="Client list"),
			CONVERTED: _("Converted", context="Client list"),
		}
	else:
		labels = {
			OPEN: _("Open", context="Client"),
			PENDING: _("Pending Conversion", context="Client"),
			CONVERTED: _("Converted", context="Client"),
		}
	return labels.get(status or "", status or "")


def kind_label(kind: str | None) -> str:
	labels = {
		CALL: _("Call", context="Client"),
		MEETING: _("Meeting", context="Client"),
		EMAIL: _("Email", context="Client"),
		OTHER: _("Other", context="Client"),
		TASK: _("Task", context="Client"),
	}
	return labels.get(kind or "", kind or "")


def interaction_status_label(interaction_status: str | None) -> str:
	labels = {
		NOT_PLANNED: _("Not Planned", context="Client"),
		PLANNED: _("Planned", context="Client"),
		OVERDUE: _("Overdue", context="Client"),
	}
	return labels.get(interaction_status or "", interaction_status or "")


def for_desk() -> dict:
	"""What the desk's scripts show of the vocabulary, in the user's language (sent once, with the boot)."""
	return {
		"client_types": {value: client_type_label(value) for value in CLIENT_TYPES},
		"statuses": {
			value: {
				"label": status_label(value),
				"short_label": status_label(value, short=True),
				"colour": STATUS_COLOURS[value],
			}
			for value in STATUSES
		},
		"kinds": {
			value: {
				"label": kind_label(value),
				"icon": KIND_ICONS[value],
				"plannable": value in PLANNABLE_KINDS,
			}
			for value in ALL_KINDS
		},
		"interaction_statuses": {
			value: {"label": interaction_status_label(value), "colour": INTERACTION_STATUS_COLOURS[value]}
			for value in INTERACTION_STATUSES
		},
	}


def boot_session(bootinfo) -> None:
	"""hooks.py `boot_session`: the vocabulary reaches the desk once per session."""
	bootinfo.crm_clients = for_desk()
