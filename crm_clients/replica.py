"""A user's reads after their own writes, on a site that reads from a replica (Frappe's `read_from_replica`).

Frappe sends the methods it marks `@frappe.read_only()` (the list's and report view's `get`, `get_list`,
`get_count`, the sidebar's stats, query reports, the workspace, notifications) to the replica; everything else,
and every write, goes to the primary. A replica applies the primary's writes a moment later (more while it is
paused or busy), so a user who has just saved or converted a Client could list the registry without it.

So a request that wrote remembers the position of its last transaction in the primary's binary log (its GTID,
MariaDB's `@@last_gtid`), per user, in the site's cache; a later request of that user reads from the primary
until the replica has applied that transaction (`MASTER_GTID_WAIT` on the replica), then from the replica
again. The same after a background job, for the user who started it. Nothing changes without a replica.
"""

import frappe

CACHE_KEY = "crm_clients_replica_written"
REMEMBER_FOR = 3600  # seconds: a replica further behind than this is broken, not lagging
WAIT = 0.05  # seconds a request waits for the replica to reach the user's write before it reads the primary


def uses_replica() -> bool:
	return bool(frappe.conf.get("read_from_replica") and frappe.conf.get("replica_host"))


def remember_write(*args, **kwargs) -> None:
	"""After a request (`after_request`) or a job (`after_job`): the position of what it committed, if it did."""
	if not uses_replica() or not getattr(frappe.local, "db", None):
		return
	db = getattr(frappe.local, "primary_db", None) or frappe.db
	try:
		gtid = db.sql("SELECT @@last_gtid")[0][0]
	except Exception:
		return  # the connection is gone (a failed request): it committed nothing more
	user = frappe.session.user if getattr(frappe.local, "session", None) else None
	if gtid and user:
		frappe.cache.set_value(f"{CACHE_KEY}:{user}", gtid, expires_in_sec=REMEMBER_FOR)


def read_own_writes() -> None:
	"""Before a request is handled (an `auth_hooks` function: the user is known then): read from the primary
	while the replica has not applied this user's last write."""
	if not uses_replica() or frappe.session.user in (None, "Guest"):
		return
	key = f"{CACHE_KEY}:{frappe.session.user}"
	gtid = frappe.cache.get_value(key)
	if not gtid:
		return
	if replica_has_applied(gtid):
		frappe.cache.delete_value(key)
	else:
		frappe.local.conf.read_from_replica = False  # this request only: the next one reads the config again


def replica_has_applied(gtid: str) -> bool:
	"""Whether the replica has applied the primary's transaction `gtid` (False when it cannot be asked)."""
	from frappe.database import get_db

	conf = frappe.local.conf
	user, password = conf.db_name, conf.db_password
	if conf.get("different_credentials_for_replica"):
		user, password = conf.replica_db_name, conf.replica_db_password
	try:
		replica = get_db(
			socket=None,
			host=conf.replica_host,
			port=conf.replica_db_port,
			user=user,
			password=password,
			cur_db_name=conf.db_name,
		)
		try:
			# 0: reached; -1: not within WAIT
			return replica.sql("SELECT MASTER_GTID_WAIT(%s, %s)", (gtid, WAIT))[0][0] == 0
		finally:
			replica.close()
	except Exception:
		return False  # a replica that cannot be reached is not one to read this user's writes from
