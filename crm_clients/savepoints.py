"""All-or-nothing blocks inside the caller's transaction (a conversion, one record of a bulk run)."""

from contextlib import contextmanager

import frappe
from frappe import _

SAVEPOINT_DOES_NOT_EXIST = 1305  # MariaDB: the transaction that held the savepoint has ended
# MariaDB errors that end (roll back) the whole transaction: a deadlock, and a locking read or write of a row
# another transaction changed after this one's snapshot ("Record has changed since last read", raised when
# innodb_snapshot_isolation is on: the default from MariaDB 11.8)
DEADLOCK, RECORD_CHANGED = 1213, 1020


class TransactionLost(frappe.ValidationError):
	"""The transaction ended inside the block (a deadlock rolled it back, or something committed)."""


# What a record can lose to another worker's simultaneous work, and win when done again from a fresh view of
# the database (after the job runner's rollback): the transaction ended by a deadlock, or a unique value chosen
# from this transaction's snapshot taken meanwhile (two Contacts of the same person's name, two Clients with
# the same ИНН) — done again, it finds what the other worker committed.
LOST_RACES = (TransactionLost, frappe.DuplicateEntryError, frappe.QueryDeadlockError)


def ended_by_the_database(error: Exception) -> bool:
	"""The database rolled the whole transaction back: a deadlock, or a row changed after this transaction's
	snapshot (MariaDB's snapshot isolation). Frappe raises both as QueryDeadlockError; an older Frappe may pass
	the driver's own error (OperationalError 1213 or 1020)."""
	if isinstance(error, frappe.QueryDeadlockError):
		return True
	return bool(error.args) and error.args[0] in (DEADLOCK, RECORD_CHANGED)


def is_lost_race(error: Exception) -> bool:
	return isinstance(error, LOST_RACES) or ended_by_the_database(error)


def all_or_nothing_once_more(savepoint: str, work, retry: bool):
	"""`work()` all or nothing. With a commit per record (`retry`: the job runner's), work that lost a race
	(`is_lost_race`) is done once more, after a rollback: it then finds what the other worker committed."""
	try:
		with all_or_nothing(savepoint):
			return work()
	except Exception as error:
		if not (retry and is_lost_race(error)):
			raise
		frappe.db.rollback()
		with all_or_nothing(savepoint):
			return work()


def once_more_if_ended(work):
	"""`work()` (a locking read, taking a number), done once more from a fresh transaction when the database
	ended this one under it (`ended_by_the_database`: another transaction changed the row meanwhile) before
	this transaction wrote anything; when it had, those writes are lost: TransactionLost.

	The savepoints of the enclosing `all_or_nothing` blocks went with the ended transaction; as nothing had been
	written, each marked the fresh transaction's state, so they are set again there — the block goes on (a
	record of a bulk run whose Client took its number while another worker took the next one)."""
	writes = frappe.db.transaction_writes
	try:
		return work()
	except Exception as error:
		if not ended_by_the_database(error):
			raise
		frappe.db.rollback()
		if writes:
			raise TransactionLost(_lost_message()) from error
		for savepoint in _open_savepoints():
			frappe.db.savepoint(savepoint)
		return work()


@contextmanager
def all_or_nothing(savepoint: str):
	"""Undo every write of the block when it fails, and re-raise the error.

	A savepoint that no longer exists means the writes of the block may already be undone (MariaDB rolls
	the whole transaction back on a deadlock) or committed half-way: that is never reported as success.
	"""
	frappe.db.savepoint(savepoint)
	_open_savepoints().append(savepoint)
	try:
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
	finally:
		_open_savepoints().pop()


def _open_savepoints() -> list[str]:
	"""The savepoints of the `all_or_nothing` blocks under way on this connection, outermost first."""
	if not hasattr(frappe.local, "crm_clients_savepoints"):
		frappe.local.crm_clients_savepoints = []
	return frappe.local.crm_clients_savepoints


def _savepoint_is_gone(error: Exception) -> bool:
	return bool(error.args) and error.args[0] == SAVEPOINT_DOES_NOT_EXIST


def _lost_message() -> str:
	return _("The database ended the transaction before the work was complete: nothing was saved. Try again.")
