# Copyright (c) 2026, crm_clients developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document


class ClientNotDuplicate(Document):
	"""Two Clients a user marked «not a duplicate» (crm_clients/duplicates.py): the pair is never offered
	again. Kept in name order (`client` < `other`), once per pair."""

	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		client: DF.Link
		client_name: DF.Data | None
		other: DF.Link
		other_name: DF.Data | None
	# end: auto-generated types

	def validate(self):
		if self.client == self.other:
			frappe.throw(_("A Client cannot be marked as not a duplicate of itself."))
		if self.client > self.other:
			self.client, self.other = self.other, self.client  # their names are fetched after validate
		for name in (self.client, self.other):
			frappe.has_permission("Client", "read", doc=name, throw=True)
