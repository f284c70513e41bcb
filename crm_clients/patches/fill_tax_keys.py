"""Fill Client.tax_key (the unique ИНН/КПП key) for Clients saved before it existed.

A Client whose key another (older) Client already holds keeps no key, and is listed in the Error Log, so an
admin can merge or correct the duplicates the old check let through."""

import frappe

from crm_clients.data_quality import tax_key


def execute():
	holders = {}
	duplicates = []
	clients = frappe.get_all(
		"Client",
		filters={"tax_id": ("is", "set")},
		fields=["name", "country", "client_type", "tax_id", "kpp"],
		order_by="creation asc",
	)
	for client in clients:
		key = tax_key(client.country, client.client_type, client.tax_id, client.kpp)
		if not key:
			continue
		if key in holders:
			duplicates.append(f"{client.name} ({key}, held by {holders[key]})")
			continue
		holders[key] = client.name
		frappe.db.set_value("Client", client.name, "tax_key", key, update_modified=False)
	if duplicates:
		frappe.log_error(
			title="crm_clients: Clients with the same INN/KPP",
			message="These Clients repeat another Client's INN/KPP and were left without a tax key:\n"
			+ "\n".join(duplicates),
		)
