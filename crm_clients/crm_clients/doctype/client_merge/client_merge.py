# Copyright (c) 2026, crm_clients developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document


class ClientMerge(Document):
	"""A Client merged into another (crm_clients/duplicates.py): its old ID opens the survivor. Written by the
	merge only; `survivor` follows a later merge of the survivor itself (Frappe's rename-merge moves Links)."""

	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		merged_client: DF.Data
		merged_client_name: DF.Data | None
		survivor: DF.Link
	# end: auto-generated types

	pass
