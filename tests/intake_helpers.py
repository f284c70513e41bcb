"""Helpers of the intake tests: files uploaded as a user would, the records an import leaves, clean-up."""

import json
import os

import frappe
import pytest


@pytest.fixture(name="upload")
def upload_fixture(site):
	"""upload(name, content, user=None) → the file_url of a private File (its file removed after the test)."""
	paths = []

	def make(name: str, content: bytes | str, is_private: int = 1) -> str:
		if isinstance(content, str):
			content = content.encode("utf-8")
		file = frappe.get_doc(
			{"doctype": "File", "file_name": name, "content": content, "is_private": is_private}
		)
		file.insert()
		paths.append(file.get_full_path())
		return file.file_url

	yield make
	for path in paths:
		if os.path.exists(path):
			os.remove(path)


def counts() -> dict:
	return {doctype: frappe.db.count(doctype) for doctype in ("Client", "Contact", "Address")}


def client_by_name(name: str):
	return frappe.get_doc("Client", frappe.db.get_value("Client", {"client_name": name}, "name"))


def contacts_of(client) -> list:
	return [frappe.get_doc("Contact", row.contact) for row in client.contacts]


def delete_imported(summary: dict) -> None:
	"""Remove what a committed import made (Clients first: their contact rows link the Contacts)."""
	for client in summary.get("created", []):
		for address in frappe.get_all(
			"Dynamic Link",
			{"link_doctype": "Client", "link_name": client, "parenttype": "Address"},
			pluck="parent",
		):
			frappe.delete_doc("Address", address, force=True, ignore_permissions=True)
		frappe.delete_doc("Client", client, force=True, ignore_permissions=True)
	for contact in summary.get("contacts", {}).get("created", []):
		frappe.delete_doc("Contact", contact, force=True, ignore_permissions=True)
	frappe.db.commit()


def realtime_events(action) -> tuple[object, list[dict]]:
	"""What `action()` returns, and the realtime messages published meanwhile (Frappe's Redis channel)."""
	from frappe.utils.background_jobs import get_redis_connection_without_auth

	pubsub = get_redis_connection_without_auth().pubsub()
	pubsub.subscribe("events")
	try:
		result = action()
		events = []
		while message := pubsub.get_message(timeout=1):
			if message["type"] == "message":
				events.append(json.loads(message["data"]))
	finally:
		pubsub.close()
	return result, events
