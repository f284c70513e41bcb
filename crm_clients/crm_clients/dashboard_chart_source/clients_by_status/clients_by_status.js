frappe.provide("frappe.dashboards.chart_sources");

frappe.dashboards.chart_sources["Clients by Status"] = {
	method: "crm_clients.crm_clients.dashboard_chart_source.clients_by_status.clients_by_status.get",
	filters: [],
};
