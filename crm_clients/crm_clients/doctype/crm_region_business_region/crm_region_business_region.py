# Copyright (c) 2026, crm_clients developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document


class CRMRegionBusinessRegion(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		business_region: DF.Link
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		region: DF.Data
	# end: auto-generated types

	pass
