// Desk-wide (crm_clients): the search bar finds the Clients registry by its plural, as the seed says —
// typing «Клиенты» offers the Client list first. Frappe matches a DocType by its singular name only
// («Клиент»), so the registry is added under its plural, the way Frappe adds its own "Background Jobs".

$(document).on("startup", () => {
	if (!frappe.search?.utils?.make_function_searchable || !frappe.model.can_read("Client")) return;
	frappe.search.utils.make_function_searchable(
		() => frappe.set_route("List", "Client"),
		__("Clients")
	);
});
