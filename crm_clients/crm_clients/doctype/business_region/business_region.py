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
		self.prefer_same_named_territory()

	def prefer_same_named_territory(self):
		"""A Territory named like the region maps it, unless the user chose another than the default one."""
		default = frappe.defaults.get_user_default("territory")
		if self.territory in (None, "", default) and frappe.db.exists("Territory", self.region_name):
			self.territory = self.region_name
