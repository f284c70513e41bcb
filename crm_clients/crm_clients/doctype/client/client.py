# Copyright (c) 2026, crm_clients developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document

from crm_clients import contacts, conversion, data_quality, leads
from crm_clients.savepoints import all_or_nothing

STATUS_OPEN = "Open"
STATUS_PENDING = "Pending Conversion"
STATUS_CONVERTED = conversion.STATUS_CONVERTED
CONVERTED_CLIENT_EDITORS = ("Sales Manager", "Sales Master Manager", "System Manager")


class Client(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from crm_clients.crm_clients.doctype.client_contact.client_contact import ClientContact

		business_region: DF.Link | None
		client_name: DF.Data
		client_type: DF.Literal["Company", "Individual"]
		contacts: DF.Table[ClientContact]
		country: DF.Link | None
		customer: DF.Link | None
		industry: DF.Link | None
		kpp: DF.Data | None
		lead: DF.Link | None
		naming_series: DF.Literal["CL-.YYYY.-"]
		normalized_name: DF.Data | None
		status: DF.Literal["Open", "Pending Conversion", "Converted"]
		tax_id: DF.Data | None
		workflow_state: DF.Link | None
	# end: auto-generated types

	def onload(self):
		self.set_onload("can_convert", conversion.can_convert(self))
		self.set_onload("locked_after_conversion", self.is_locked_after_conversion())

	def is_locked_after_conversion(self) -> bool:
		"""A converted Client is read-only except for managers."""
		return bool(self.customer) and not set(frappe.get_roles()) & set(CONVERTED_CLIENT_EDITORS)

	def validate(self):
		self.client_name = (self.client_name or "").strip()
		if not self.client_name:
			frappe.throw(_("Client Name is required."), frappe.MandatoryError)
		contacts.validate_contact_rows(self)
		contacts.fill_contact_rows(self)
		data_quality.validate_client(self)
		self.validate_converted_client_is_read_only()
		self.convert_when_route_reaches_converted()
		self.set_status()

	def on_update(self):
		contacts.link_contacts_to([row.contact for row in self.contacts], "Client", self.name)
		leads.link_source_lead(self)

	def validate_converted_client_is_read_only(self):
		before = self.get_doc_before_save()
		if not before or not before.customer or before.customer != self.customer:
			return
		if before.is_locked_after_conversion():
			frappe.throw(
				_("Client {0} has been converted into Customer {1}: only managers can edit it.").format(
					frappe.bold(self.name), frappe.bold(self.customer)
				),
				frappe.PermissionError,
			)

	def convert_when_route_reaches_converted(self):
		"""The route's Converted state (status set by the workflow) creates the Customer in the same save."""
		if self.status == STATUS_CONVERTED and not self.is_new() and not conversion.has_live_customer(self):
			with all_or_nothing(conversion.CONVERSION_SAVEPOINT):
				conversion.convert(self)

	def set_status(self):
		"""`status` is the app's: Converted once a Customer is set, else what the route says (Open by default)."""
		if self.customer:
			self.status = STATUS_CONVERTED
		elif self.status not in (STATUS_OPEN, STATUS_PENDING):
			self.status = STATUS_OPEN
