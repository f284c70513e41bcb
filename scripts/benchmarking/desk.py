"""Calling the server as the desk does, in this process, and timing it.

A call is dispatched like `frappe.handler.execute_cmd` dispatches an HTTP request: the last
`override_whitelisted_methods` hook wins, the method must be whitelisted, the arguments are the form's
(JSON strings, as the desk sends them) filtered by `frappe.call`; `standard_queries` hooks apply inside
`search_link` itself. Before each call the request-level state is reset as `frappe.init` does for a request
(response, messages, form, the user's cached roles and permissions); after it the transaction is rolled
back (outside the timing), so reads that write (a form's view log, `_seen`) do not pile up.
"""

import json
import statistics
import time

import frappe


def new_request(user: str) -> None:
	frappe.local.message_log = []
	frappe.local.response = frappe._dict({"docs": []})
	frappe.local.form_dict = frappe._dict()
	frappe.local.role_permissions = {}
	frappe.local.user_perms = None
	frappe.local.cache = {}
	frappe.set_user(user)


def call(method: str, **form):
	"""`method` with the form `form`, as `/api/method/<method>` runs it."""
	for hook in reversed(frappe.get_hooks("override_whitelisted_methods", {}).get(method, [])):
		method = hook
		break
	function = frappe.get_attr(method)
	frappe.is_whitelisted(function)
	frappe.local.form_dict = frappe._dict(
		{key: json.dumps(value) if isinstance(value, list | dict) else value for key, value in form.items()}
	)
	return frappe.call(function, **frappe.local.form_dict)


def timed(operation, repeat: int, warmup: int, user: str, keep: bool = False) -> dict:
	"""Run `operation(i)` warmup + repeat times, each as a new request; the timings of the last `repeat` (ms),
	and the last result. The transaction is rolled back after each run unless `keep`."""
	timings = []
	result = None
	for iteration in range(warmup + repeat):
		new_request(user)
		started = time.perf_counter()
		result = operation(iteration)
		elapsed = (time.perf_counter() - started) * 1000
		if not keep:
			frappe.db.rollback()
		if iteration >= warmup:
			timings.append(elapsed)
	return {**stats(timings), "result": result}


def stats(timings: list[float]) -> dict:
	ordered = sorted(timings)
	if not ordered:
		return {"median": None, "p95": None, "n": 0}
	p95 = ordered[max(0, -(-len(ordered) * 95 // 100) - 1)]  # nearest rank
	return {"median": statistics.median(ordered), "p95": p95, "n": len(ordered)}


class QueryLog:
	"""The SQL statements one call runs, each with its time (ms): `with QueryLog() as log: …`."""

	def __init__(self):
		self.queries = []

	def __enter__(self):
		db = frappe.db
		self.original = db.sql

		def sql(query, *args, **kwargs):
			started = time.perf_counter()
			try:
				return self.original(query, *args, **kwargs)
			finally:
				self.queries.append(((time.perf_counter() - started) * 1000, db.last_query or str(query)))

		db.sql = sql
		return self

	def __exit__(self, *exc):
		frappe.db.sql = self.original
		return False

	def slowest(self, count: int = 3, table: str | None = None) -> list[tuple[float, str]]:
		selects = [
			(ms, query)
			for ms, query in self.queries
			if query.lstrip().lower().startswith("select") and (not table or table in query)
		]
		return sorted(selects, reverse=True)[:count]


def explain(query: str) -> list[dict]:
	try:
		return frappe.db.sql(f"explain {query}", as_dict=True)
	except Exception as error:
		return [{"error": str(error)}]
