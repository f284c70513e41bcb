app_name = "crm_clients"
app_title = "CRM Clients"
app_publisher = "crm_clients developers"
app_description = "Clients (prospects) registry for ERPNext, with conversion to Customer"
app_email = "crm-clients@example.com"
app_license = "mit"

required_apps = ["frappe/erpnext"]

# Desk-wide script: the search bar's «Клиенты» opens the Client list
app_include_js = "/assets/crm_clients/js/desk.js"

# Forms and lists of ERPNext doctypes extended by this app
doctype_js = {"Lead": "public/js/lead.js"}
doctype_list_js = {"Lead": "public/js/lead_list.js"}

# Install, migrate, uninstall
after_install = "crm_clients.setup.install.after_install"
after_migrate = "crm_clients.setup.install.after_migrate"
before_uninstall = "crm_clients.setup.install.before_uninstall"

doc_events = {
	"Lead": {"on_trash": "crm_clients.leads.on_lead_trash"},
}
