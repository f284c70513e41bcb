# Copyright (c) 2026, crm_clients developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document


class CRMOKVEDIndustry(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		industry: DF.Link
		okved: DF.Data
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
	# end: auto-generated types

	pass
