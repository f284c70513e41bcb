# Copyright (c) 2026, crm_clients developers and contributors
# For license information, please see license.txt

import frappe
from erpnext.crm.utils import CRMNote
from frappe import _
from frappe.model.naming import set_name_by_naming_series
from frappe.model.workflow import validate_workflow
from frappe.utils import cstr, get_link_to_form, now

from crm_clients import contacts, conversion, data_quality, duplicates, history, leads, route, status
from crm_clients.interactions import lifecycle, next_interaction
from crm_clients.savepoints import all_or_nothing, ended_by_the_database, once_more_if_ended


class Client(CRMNote):
	"""A prospect; its Notes tab's methods are ERPNext's `CRMNote`'s, as on ERPNext's Prospect. The controller
	is the one owner of its state:

	- `customer` and `status` change only through conversion (`convert`); `status` is derived from data
	  (a Customer → Converted, else the route's state, else Open), never taken from a request;
	- who may edit the Client in its current state is the route's *allow edit* (`route.may_edit`), the same
	  rows the form uses;
	- the Contacts' links to the Client follow its contact rows, and go with the Client;
	- uniqueness lives in the database: one Client per ИНН+КПП (`tax_key`) and per source Lead (`lead`);
	- its next interaction (`next_interaction`, `next_interaction_type`, `interaction_status`) is derived from
	  its Events and ToDos whenever they change (`interactions/`), never from a save of the Client.
	"""

	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from erpnext.crm.doctype.crm_note.crm_note import CRMNote
		from frappe.types import DF

		from crm_clients.crm_clients.doctype.client_contact.client_contact import ClientContact

		business_region: DF.Link | None
		client_name: DF.Data
		client_type: DF.Literal["Company", "Individual"]
		contacts: DF.Table[ClientContact]
		country: DF.Link | None
		customer: DF.Link | None
		industry: DF.Link | None
		interaction_status: DF.Literal["Not Planned", "Planned", "Overdue"]
		kpp: DF.Data | None
		lead: DF.Link | None
		naming_series: DF.Literal["CL-.YYYY.-"]
		next_interaction: DF.Datetime | None
		next_interaction_type: DF.Literal["", "Call", "Meeting", "Email", "Other", "Task"]
		normalized_name: DF.Data | None
		notes: DF.Table[CRMNote]
		status: DF.Literal["Open", "Pending Conversion", "Converted"]
		tax_id: DF.Data | None
		tax_key: DF.Data | None
		workflow_state: DF.Link | None
	# end: auto-generated types

	def onload(self):
		self.set_onload("can_convert", not self.customer and conversion.can_convert(self))

	def before_insert(self):
		leads.add_lead_contact_person(self)

	def validate(self):
		self.client_name = (self.client_name or "").strip()
		if not self.client_name:
			frappe.throw(_("Client Name is required."), frappe.MandatoryError)
		self.check_state_allows_edit()
		self.check_fields_set_by_conversion()
		contacts.validate_contact_rows(self)
		contacts.fill_contact_rows(self)
		data_quality.validate_client(self)
		self.status = self.derived_status()
		self.stamp_notes()

	def before_save(self):
		self.keep_next_interaction()
		self.convert_when_the_route_reaches_converted()

	def on_update(self):
		contacts.sync_client_links(self)
		history.link_contact_emails(self)
		leads.link_source_lead(self)

	def on_trash(self):
		lifecycle.check_can_delete(self)
		lifecycle.detach_closed_events(self)
		contacts.unlink_client(self)
		leads.release_leads(self)
		duplicates.forget_client(self)

	def keep_next_interaction(self):
		"""The next interaction comes from the Client's Events and ToDos (kept by their own changes), whatever a
		request sends: a save keeps what the database has."""
		before = self.get_doc_before_save()
		for fieldname, empty in next_interaction.NO_NEXT_INTERACTION.items():
			self.set(fieldname, before.get(fieldname) if before else empty)

	def stamp_notes(self):
		"""Who wrote a note and when is recorded by the server: a new row gets the current user and time, a
		stored row keeps its own (a request cannot sign a note in someone else's name)."""
		before = self.get_doc_before_save()
		stored = {row.name: row for row in before.notes} if before else {}
		for row in self.notes:
			if row.name in stored:
				row.added_by, row.added_on = stored[row.name].added_by, stored[row.name].added_on
			else:
				row.added_by, row.added_on = frappe.session.user, now()

	# --- notes (the Notes tab): ERPNext's CRM Note rows, as on a Lead or a Prospect

	@frappe.whitelist()
	def edit_note(self, note, row_id):
		"""Not ERPNext's `CRMNote.edit_note`: it writes the row without the right to edit the Client (calling a
		document's method takes only reading it). Editing a note is a save, like adding or deleting one."""
		for row in self.notes:
			if cstr(row.name) == cstr(row_id):
				row.note = note
				break
		self.save()

	# --- state

	def derived_status(self) -> str:
		workflow = route.get_workflow()
		return status.derive(self.customer, route.status_of_state(workflow, route.state_of(self, workflow)))

	def check_state_allows_edit(self):
		"""In each state of the route only its *allow edit* roles may change the Client (a transition is
		checked by Frappe itself against the workflow's transitions)."""
		before = self.get_doc_before_save()
		workflow = route.get_workflow()
		if not before or not workflow or route.is_transition(before, self, workflow):
			return
		if not route.may_edit(before):
			state = route.state_of(before, workflow)
			# state and role names are data: the desk translates them the same way (Frappe's workflow does too)
			roles = ", ".join(_(role) for role in sorted(route.editors(workflow, state)))
			frappe.throw(
				_("Client {0} is in state {1}: only {2} may edit it.").format(
					frappe.bold(self.name), frappe.bold(_(state)), roles or _("nobody")
				),
				frappe.PermissionError,
			)

	def check_fields_set_by_conversion(self):
		"""`customer` and `status` are the controller's: a save that changes them is refused, whoever sends it.

		A check against the document before save, not a permission level: permission levels are granted per
		role (a System Manager has them all, an admin may grant them), while no role may set these by hand.
		"""
		before = self.get_doc_before_save()
		if (self.customer or None) != ((before and before.customer) or None):
			frappe.throw(
				_("The Customer of a Client is set by its conversion only («Convert to Customer»)."),
				frappe.PermissionError,
			)
		previous = before.status if before else status.OPEN
		if self.status and self.status not in (previous, self.derived_status()):
			frappe.throw(
				_("The status of a Client follows its conversion and route: it cannot be set to {0}.").format(
					frappe.bold(self.status)
				),
				frappe.PermissionError,
			)

	# --- conversion

	def convert_when_the_route_reaches_converted(self):
		"""The route's transition into its converted state converts, in the same save: keyed on the transition,
		checked by Frappe's own workflow rules first (Frappe checks it again later in the save), never on a
		`status` a request sends. Before the Client is written, so a failed conversion leaves it as it was."""
		workflow = route.get_workflow()
		if not route.reaches_converted_state(self.get_doc_before_save(), self, workflow):
			return
		validate_workflow(self)
		self.flags.converting_in_save = True
		try:
			self.convert()
		finally:
			self.flags.converting_in_save = False
		# the conversion moved the Client's open tasks to the Customer
		self.update(next_interaction.next_interaction_values(self.name))

	def convert(self) -> str:
		"""Turn the saved Client into a Customer, or return the Customer it has: permission-checked, all or nothing.

		The one way to convert: the button and `crm_clients.api.convert_to_customer` (which lock the Client
		first), and the route's transition into its converted state (`before_save`, in the same save).
		"""
		conversion.check_can_convert(self)
		if conversion.has_live_customer(self, for_update=True):
			return self.customer
		with all_or_nothing(conversion.CONVERSION_SAVEPOINT):
			customer = conversion.make_customer(self)
			self.record_conversion(customer)
		return customer

	def record_conversion(self, customer: str) -> None:
		"""The Client says Converted, with its Customer, and the route is in its converted state."""
		values = {"customer": customer, "status": status.CONVERTED}
		workflow = route.get_workflow()
		state = route.converted_state(workflow)
		if state:
			values[workflow.workflow_state_field] = state
		if self.flags.converting_in_save:
			self.update(values)  # the save under way writes them
		else:
			self.db_set(values, notify=True)
		conversion.close_assignments(self)
		self.add_comment(
			"Info", _("Converted into Customer {0}").format(get_link_to_form("Customer", customer))
		)

	# --- the database's uniqueness, in the user's words

	def autoname(self):
		"""The naming series' next number. Two Clients saved at the same time take it one after the other; with
		MariaDB's snapshot isolation the second finds the series changed since its snapshot and the database
		ends its transaction: the number is taken again from a fresh one (`once_more_if_ended`)."""
		once_more_if_ended(lambda: set_name_by_naming_series(self))

	def db_insert(self, *args, **kwargs):
		"""With MariaDB's snapshot isolation, a Client with the same ИНН committed meanwhile ends this
		transaction instead of failing the unique index: told as the duplicate it is (HTTP 409)."""
		try:
			return super().db_insert(*args, **kwargs)
		except Exception as error:
			if ended_by_the_database(error) and self.tax_key:
				data_quality.raise_if_tax_key_taken(self)
			raise

	def show_unique_validation_message(self, e):
		fieldname = self.unique_field_of(e)
		if fieldname == "tax_key":
			data_quality.raise_duplicate_tax_id(self)
		if fieldname == "lead":
			leads.raise_lead_taken(self)
		super().show_unique_validation_message(e)

	def unique_field_of(self, error: Exception) -> str | None:
		"""The field of the unique index the database refused, found as Frappe finds it: the key MariaDB names
		("Duplicate entry 'x' for key 'tax_key'") mapped to its column (`get_field_name_by_key_name`)."""
		parts = str(error).split("'")
		if len(parts) < 2:
			return None
		try:
			return self.get_field_name_by_key_name(parts[-2])
		except IndexError:
			return parts[-2]
