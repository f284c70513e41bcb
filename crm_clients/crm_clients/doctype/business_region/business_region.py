# Copyright (c) 2026, crm_clients developers and contributors
# For license information, please see license.txt

import frappe
from frappe.model.document import Document


class BusinessRegion(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		description: DF.SmallText | None
		region_name: DF.Data
		territory: DF.Link | None
	# end: auto-generated types

	def before_insert(self):
		self.replace_default_territory()

	def replace_default_territory(self):
		"""The desk pre-fills `territory` with the user's default Territory (ERPNext's root, usually), which
		tells nothing about the region: a Territory named like the region maps it instead, else none does
		(conversion then falls back to the default anyway)."""
		if self.territory and self.territory != frappe.defaults.get_user_default("territory"):
			return
		self.territory = self.region_name if frappe.db.exists("Territory", self.region_name) else None
