# Copyright (c) 2026, crm_clients developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document


class ClientContact(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		contact: DF.Link
		email: DF.Data | None
		full_name: DF.Data | None
		is_primary: DF.Check
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		phone: DF.Data | None
	# end: auto-generated types

	pass
