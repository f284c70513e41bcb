app_name = "crm_clients"
app_title = "CRM Clients"
app_publisher = "crm_clients developers"
app_description = "Clients (prospects) registry for ERPNext, with conversion to Customer"
app_email = "crm-clients@example.com"
app_license = "mit"

required_apps = ["frappe/erpnext"]

# The apps screen (/apps) and where a user whose default app is this one lands: the «Маркетинг» workspace
add_to_apps_screen = [
	{
		"name": "crm_clients",
		"logo": "/assets/crm_clients/images/logo.svg",
		"title": "CRM Clients",
		"route": "/app/marketing",
		"has_permission": "crm_clients.apps_screen.can_open",
	}
]

# Desk-wide script: the search bar's «Клиенты» opens the Client list; «Search for …» lists the Clients the app
# finds (crm_clients.search.search_bar_clients) first, beside Frappe's own global search results
app_include_js = [
	"/assets/crm_clients/js/desk.js",
	# one way to show the result of Clients coming in (Leads, sheets, vCards), one listener for its jobs
	"/assets/crm_clients/js/intake.js",
	# the merge dialog of duplicate Clients (the Client form and list, the «Possible Duplicates» report)
	"/assets/crm_clients/js/duplicates.js",
]

# the Client registry and form laid out for a laptop and a phone: nothing cut (public/css/registry.css)
app_include_css = "/assets/crm_clients/css/registry.css"

# Forms and lists of ERPNext doctypes extended by this app
doctype_js = {
	"Lead": "public/js/lead.js",
	"Client": [
		"public/js/client_intake.js",
		"public/js/client_interactions.js",
		"public/js/client_duplicates.js",
		# requisites by ИНН: find, fill, «Обновить реквизиты», the register's status (crm_clients/requisites/)
		"public/js/client_requisites.js",
	],
}
doctype_list_js = {
	"Lead": "public/js/lead_list.js",
	"Client": [
		"public/js/client_intake.js",
		"public/js/client_duplicates.js",
		"public/js/client_requisites.js",
	],
}

# The app's words (statuses, interaction kinds, their labels and colours) reach the desk once per session
boot_session = "crm_clients.vocabulary.boot_session"

# Install, migrate, uninstall
after_install = "crm_clients.setup.install.after_install"
after_migrate = "crm_clients.setup.install.after_migrate"
before_uninstall = "crm_clients.setup.install.before_uninstall"

doc_events = {
	"Lead": {"on_trash": "crm_clients.overrides.lead.on_trash"},
	"Contact": {
		"validate": "crm_clients.overrides.contact.validate",
		"on_update": "crm_clients.overrides.contact.on_update",
	},
	# interactions with Clients: from any place an Event or a ToDo is changed (crm_clients/interactions/)
	"Event": {
		"validate": "crm_clients.overrides.event.validate",
		"on_update": "crm_clients.overrides.event.on_update",
		"after_delete": "crm_clients.overrides.event.after_delete",
	},
	"ToDo": {
		"validate": "crm_clients.overrides.todo.validate",
		"after_insert": "crm_clients.overrides.todo.after_insert",
		"on_update": "crm_clients.overrides.todo.on_update",
		"after_delete": "crm_clients.overrides.todo.after_delete",
	},
}

# a Client's interactions follow the Client's permissions (crm_clients/interactions/access.py)
has_permission = {
	"Event": "crm_clients.overrides.event.has_permission",
	"ToDo": "crm_clients.overrides.todo.has_permission",
}
permission_query_conditions = {
	"Event": "crm_clients.overrides.event.get_permission_query_conditions",
	"ToDo": "crm_clients.overrides.todo.get_permission_query_conditions",
}

# the search bar's results include Clients (crm_clients/setup/search_settings.py adds it on install)
global_search_doctypes = {"Default": [{"doctype": "Client"}]}

# the Client link field's search through the registry's indexes (crm_clients/search.py)
standard_queries = {"Client": "crm_clients.search.client_query"}

scheduler_events = {
	# the register's status of the Clients re-checked (every CRM Clients Settings' days, within its daily quota)
	"daily": ["crm_clients.intake.requisites_source.scheduled_recheck"],
	# a planned interaction whose time has passed turns overdue
	"cron": {"*/5 * * * *": ["crm_clients.interactions.next_interaction.mark_overdue"]},
}

# a site that reads from a replica (read_from_replica): a user's reads after their own writes go to the primary
# until the replica has applied them (crm_clients/replica.py)
after_request = ["crm_clients.replica.remember_write"]
after_job = ["crm_clients.replica.remember_write"]
auth_hooks = ["crm_clients.replica.read_own_writes"]
