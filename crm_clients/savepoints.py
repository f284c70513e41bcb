"""All-or-nothing blocks inside the caller's transaction (a conversion, one record of a bulk run)."""

from contextlib import contextmanager

import frappe
from frappe import _

SAVEPOINT_DOES_NOT_EXIST = 1305  # MariaDB: the transaction that held the savepoint has ended


class TransactionLost(frappe.ValidationError):
	"""The transaction ended inside the block (a deadlock rolled it back, or something committed)."""


# What a record can lose to another worker's simultaneous work, and win when done again from a fresh view of
# the database (after the job runner's rollback): the transaction ended by a deadlock, or a unique value chosen
# from this transaction's snapshot taken meanwhile (two Contacts of the same person's name, two Clients with
# the same ИНН) — done again, it finds what the other worker committed.
LOST_RACES = (TransactionLost, frappe.DuplicateEntryError)


def all_or_nothing_once_more(savepoint: str, work, retry: bool):
	"""`work()` all or nothing. With a commit per record (`retry`: the job runner's), work that lost a race
	(LOST_RACES) is done once more, after a rollback: it then finds what the other worker committed."""
	try:
		with all_or_nothing(savepoint):
			return work()
	except LOST_RACES:
		if not retry:
			raise
		frappe.db.rollback()
		with all_or_nothing(savepoint):
			return work()


@contextmanager
def all_or_nothing(savepoint: str):
	"""Undo every write of the block when it fails, and re-raise the error.

	A savepoint that no longer exists means the writes of the block may already be undone (MariaDB rolls
	the whole transaction back on a deadlock) or committed half-way: that is never reported as success.
	"""
	frappe.db.savepoint(savepoint)
	try:
		yield
	except Exception as error:
		try:
			frappe.db.rollback(save_point=savepoint)
		except Exception as rollback_error:
			if not _savepoint_is_gone(rollback_error):
				raise
			raise TransactionLost(_lost_message()) from error
		raise
	try:
		frappe.db.release_savepoint(savepoint)
	except Exception as error:
		if _savepoint_is_gone(error):
			raise TransactionLost(_lost_message()) from error
		raise


def _savepoint_is_gone(error: Exception) -> bool:
	return bool(error.args) and error.args[0] == SAVEPOINT_DOES_NOT_EXIST


def _lost_message() -> str:
	return _("The database ended the transaction before the work was complete: nothing was saved. Try again.")
