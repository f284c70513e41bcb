"""Committed test data, for tests that need other connections (HTTP requests, threads, worker processes) to see
it: everything made through `Committed` is deleted and committed again when the test ends."""

import frappe


class Committed:
	def __init__(self):
		self.records: list[tuple[str, str]] = []

	def add(self, doc):
		self.records.append((doc.doctype, doc.name))
		return doc

	def track(self, doctype: str, filters: dict) -> None:
		"""Also delete, at the end, whatever `doctype` rows match `filters` then (made by the code under test)."""
		self.records.append((doctype, filters))

	def cleanup(self) -> None:
		frappe.db.rollback()
		frappe.set_user("Administrator")
		names: list[tuple[str, str]] = []
		for doctype, what in self.records:
			if isinstance(what, dict):
				names += [(doctype, name) for name in frappe.get_all(doctype, filters=what, pluck="name")]
			else:
				names.append((doctype, what))
		# interactions and Customers first (they link to Clients), Clients before their Contacts and Leads
		order = {"Event": 0, "ToDo": 0, "Customer": 0, "Client": 1, "Lead": 2, "Contact": 3}
		for doctype, name in sorted(dict.fromkeys(names), key=lambda item: order.get(item[0], 9)):
			if not frappe.db.exists(doctype, name):
				continue
			if doctype == "Client":
				frappe.db.set_value("Client", name, "customer", None, update_modified=False)
			frappe.delete_doc(doctype, name, force=True, ignore_permissions=True, delete_permanently=True)
		frappe.db.commit()
