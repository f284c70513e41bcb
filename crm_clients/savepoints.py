"""All-or-nothing blocks inside the caller's transaction (conversion, each Lead of a bulk action)."""

from contextlib import contextmanager

import frappe

SAVEPOINT_DOES_NOT_EXIST = 1305  # MariaDB


@contextmanager
def all_or_nothing(savepoint: str):
	"""Undo every write of the block when it fails, and re-raise the error."""
	frappe.db.savepoint(savepoint)
	try:
		yield
	except Exception:
		_end(savepoint, rollback=True)
		raise
	_end(savepoint)


def _end(savepoint: str, rollback: bool = False) -> None:
	try:
		if rollback:
			frappe.db.rollback(save_point=savepoint)
		else:
			frappe.db.release_savepoint(savepoint)
	except Exception as error:
		# the transaction already ended (a hook that commits, a deadlock): there is nothing left to undo
		if not (error.args and error.args[0] == SAVEPOINT_DOES_NOT_EXIST):
			raise
