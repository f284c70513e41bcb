"""The desk's reads and the single writes, Client side by side with ERPNext's equivalent.

Each result row: operation, the Client figures, the ERPNext figures (or None), the target ratio of p95, and
notes (hits, the floor, the slowest queries with their EXPLAIN).
"""

import json
import random

import frappe

from crm_clients import status

from . import data, desk
from .fill import FILL_OWNER, USER

STANDARD_LIST_FIELDS = ("name", "owner", "creation", "modified", "modified_by", "_user_tags", "_comments")
STANDARD_LIST_FIELDS += ("_assign", "_liked_by", "docstatus", "idx")
COUNT_UPPER_BOUND = 1001  # the list view counts up to this many (list_view.js)


class Measure:
	def __init__(self, repeat: int, warmup: int, say=print):
		self.repeat = repeat
		self.warmup = warmup
		self.say = say
		self.rows = []
		self.explains = []
		self.rng = random.Random(13)
		self.breakdowns = {}
		self.part = None

	def run(self, operation, repeat=None, keep=False):
		return desk.timed(operation, repeat or self.repeat, self.warmup, USER, keep=keep)

	def add(self, group, label, client, erpnext, target, note="", floor=None, both=False):
		row = {
			"part": self.part,
			"both": both,
			"group": group,
			"operation": label,
			"client": {k: v for k, v in client.items() if k != "result"} if client else None,
			"erpnext": {k: v for k, v in erpnext.items() if k != "result"} if erpnext else None,
			"target": target,
			"note": note,
			"floor": floor,
		}
		self.rows.append(row)
		self.say(format_row(row))
		return row

	def capture(self, label: str, operation, tables: tuple[str, ...]):
		"""Run the operation once more, logging its SQL; keep the slowest SELECTs on `tables` with EXPLAIN."""
		desk.new_request(USER)
		with desk.QueryLog() as log:
			operation(0)
		frappe.db.rollback()
		for table in tables:
			for ms, query in log.slowest(2, table):
				self.explains.append(
					{
						"operation": label,
						"ms": ms,
						"query": query,
						"plan": desk.explain(query),
						"part": self.part,
					}
				)

	# --- 1. the registry list

	def lists(self):
		common = most_common_filters()
		client_filters = [
			["Client", "industry", "=", common["industry"]],
			["Client", "business_region", "=", common["region"]],
			["Client", "status", "=", status.OPEN],
		]
		customer_filters = [
			["Customer", "customer_group", "=", common["industry"]],
			["Customer", "territory", "=", common["region"]],
			["Customer", "disabled", "=", 0],
		]
		for label, filters in (("filtered", (client_filters, customer_filters)), ("unfiltered", ([], []))):
			results = {}
			for doctype, doctype_filters in zip(("Client", "Customer"), filters, strict=True):
				operation = list_and_count(doctype, doctype_filters)
				results[doctype] = self.run(operation)
				self.capture(f"list {label}: {doctype}", operation, (f"`tab{doctype}`",))
			rows = results["Client"]["result"]
			floor = {
				doctype: self.list_floor(doctype, filters[i])
				for i, doctype in enumerate(("Client", "Customer"))
			}
			note = f"rows {rows[0]} / {results['Customer']['result'][0]}, count {rows[1]} / {results['Customer']['result'][1]}"
			if label == "filtered":
				note += f"; filters: {common['industry']}, {common['region']}, {status.OPEN}"
			self.add(
				"list", f"list + count, {label}", results["Client"], results["Customer"], 1.0, note, floor
			)

	def list_floor(self, doctype, filters):
		conditions = " and ".join(f"`{f[1]}` = %s" for f in filters) or "1=1"
		values = [f[3] for f in filters]
		query = f"select name from `tab{doctype}` where {conditions} order by modified desc limit 20"
		count = f"select count(*) from (select name from `tab{doctype}` where {conditions} limit {COUNT_UPPER_BOUND}) p"
		result = self.run(lambda i: (frappe.db.sql(query, values), frappe.db.sql(count, values)))
		self.explains.append(
			{
				"operation": f"floor list: {doctype}",
				"ms": result["median"],
				"query": frappe.db.mogrify(query, values),
				"plan": desk.explain(frappe.db.mogrify(query, values)),
				"part": self.part,
			}
		)
		return {k: v for k, v in result.items() if k != "result"}

	# --- 2. searches

	def searches(self):
		count = self.warmup + self.repeat
		samples = sample_organisations(count, self.rng)
		foreign = sample_organisations(count, self.rng, foreign=True)
		shapes = search_shapes(samples, foreign)
		for label, (fragments, target, picked) in shapes.items():
			if label == "contact person's last name":
				continue
			for kind, search in (("link search", link_search), ("search bar", bar_search)):
				self.search_case(kind, label, fragments, picked, True, search, target)
		fragments, target, picked = shapes["contact person's last name"]
		self.search_case("link search", "contact person's last name", fragments, picked, False, link_search)
		self.search_floor(shapes["ИНН start (6 digits)"][0])

	def search_case(self, kind, label, fragments, samples, both, search, target=1.0):
		results = {}
		hits = {}
		for doctype in ("Client", "Customer") if both else ("Client",):
			operation = search(doctype, fragments)
			results[doctype] = self.run(operation)
			hits[doctype] = self.hit_rate(doctype, fragments, samples, search)
			self.capture(
				f"{kind} {label}: {doctype}",
				operation,
				("`tabClient`", "`tabCustomer`", "__global_search", "`tabContact`"),
			)
		note = "; ".join(f"{doctype}: {value}" for doctype, value in hits.items())
		self.add(
			"search",
			f"{kind}: {label}",
			results["Client"],
			results.get("Customer"),
			target if both else None,
			note,
		)

	def hit_rate(self, doctype, fragments, samples, search):
		"""How many of the first 10 searches return something, and how many return the sampled record."""
		found = expected = 0
		tried = min(10, len(fragments))
		for i in range(tried):
			desk.new_request(USER)
			names = [r.get("value") or r.get("name") for r in search(doctype, fragments)(i) or []]
			frappe.db.rollback()
			found += bool(names)
			expected += bool(samples) and samples[i][doctype.lower()] in names
		if not samples:
			return f"{found}/{tried} found something"
		return f"{found}/{tried} found something, {expected}/{tried} found the sampled record"

	def search_floor(self, inn):
		query = "select name from `tabClient` where tax_id like %s limit 10"
		result = self.run(lambda i: frappe.db.sql(query, (inn[i] + "%",)))
		self.explains.append(
			{
				"operation": "floor ИНН prefix: Client",
				"ms": result["median"],
				"query": frappe.db.mogrify(query, (inn[0] + "%",)),
				"plan": desk.explain(frappe.db.mogrify(query, (inn[0] + "%",))),
				"part": self.part,
			}
		)
		self.add(
			"search", "floor: tax_id prefix on tabClient (bare SQL)", result, None, None, "indexed range scan"
		)

	# --- 8. the duplicate report (measured only: no ERPNext equivalent)

	def duplicates(self) -> dict:
		samples = [s["client"] for s in sample_organisations(self.warmup + self.repeat, self.rng)]
		one = self.run(duplicates_of(samples))
		self.capture("duplicates: one Client", duplicates_of(samples), ("`tabClient",))
		self.add(
			"duplicates",
			"one Client (its form's «Possible Duplicates»)",
			one,
			None,
			None,
			f"{len(one['result'] or [])} pairs in the last run",
		)
		whole = self.whole_registry_duplicates()
		note = (
			f"{whole['pairs']} pairs; {whole['n']} run(s)"
			if whole["finished"]
			else f"not finished: MariaDB stopped it after {DUPLICATES_LIMIT_S} s (max_statement_time)"
		)
		self.add("duplicates", "whole registry, first page (500 pairs)", whole, None, None, note)
		return {"whole": whole, "one": one}

	def whole_registry_duplicates(self) -> dict:
		"""The whole registry's first page, run `min(repeat, 3)` times without warm-up, each query stopped by
		MariaDB after DUPLICATES_LIMIT_S; its slowest query with EXPLAIN either way."""
		import time

		timings, pairs, finished = [], 0, True
		frappe.db.sql(f"set session max_statement_time = {DUPLICATES_LIMIT_S}")
		try:
			for _ in range(min(self.repeat, 3)):
				desk.new_request(USER)
				with desk.QueryLog() as log:
					started = time.perf_counter()
					try:
						pairs = len(duplicates_of()(0) or [])
					except Exception as error:
						if "max_statement_time" not in str(error) and "1969" not in str(error):
							raise
						finished = False
					timings.append((time.perf_counter() - started) * 1000)
				frappe.db.rollback()
				if not finished or timings[-1] > 30_000:  # a slow one is said once
					break
		finally:
			frappe.db.sql("set session max_statement_time = 0")
		for ms, query in log.slowest(1, "`tabClient"):
			self.explains.append(
				{
					"operation": "duplicates: whole registry",
					"ms": ms,
					"query": query,
					"plan": desk.explain(query),
					"part": self.part,
				}
			)
		return {**desk.stats(timings), "pairs": pairs, "finished": finished}

	# --- 3. the form

	def forms(self):
		samples = sample_organisations(self.warmup + self.repeat, self.rng)
		results = {}
		for doctype in ("Client", "Customer"):
			names = [s[doctype.lower()] for s in samples]
			operation = form_load(doctype, names)
			results[doctype] = self.run(operation)
			self.capture(f"form: {doctype}", operation, ("`tab",))
		floor = self.run(
			lambda i: frappe.db.sql("select * from `tabClient` where name=%s", samples[i]["client"])
		)
		self.add(
			"form",
			"form load (getdoc + get_open_count)",
			results["Client"],
			results["Customer"],
			1.0,
			"",
			{"Client": {k: v for k, v in floor.items() if k != "result"}},
		)

	# --- 4. and 5. single writes

	def writes(self):
		count = self.warmup + self.repeat
		leads = free_leads(2 * count)
		if len(leads) < 2 * count:
			self.say(f"  only {len(leads)} free Leads: Lead → Client / Customer skipped")
			return
		client_leads, customer_leads = leads[:count], leads[count:]
		to_client = self.run(lambda i: lead_to_client(client_leads[i]))
		to_customer = self.run(lambda i: lead_to_customer(customer_leads[i]))
		self.add(
			"write",
			"Lead → Client (mapper + insert)",
			to_client,
			to_customer,
			1.0,
			"vs Lead → Customer; rolled back; target at median and p95",
			both=True,
		)
		clients = open_clients(count, self.rng)
		conversion = self.run(lambda i: convert(clients[i]))
		self.add(
			"write",
			"Client → Customer (convert)",
			conversion,
			to_customer,
			1.2,
			"vs Lead → Customer; rolled back; target at median and p95",
			both=True,
		)
		self.breakdowns = {
			"Client → Customer (convert)": breakdown(
				lambda i: convert(clients[i]), len(clients), CONVERSION_PHASES
			),
			"Lead → Customer (ERPNext)": breakdown(
				lambda i: lead_to_customer(customer_leads[i]), len(customer_leads), CONVERSION_PHASES
			),
			"Lead → Client (mapper + insert)": breakdown(
				lambda i: lead_to_client(client_leads[i]), len(client_leads), CONVERSION_PHASES
			),
		}
		self.capture(
			"Lead → Client",
			lambda i: lead_to_client(client_leads[0]),
			("`tabCustomer`", "`tabClient`", "`tabLead`", "`tabContact`"),
		)
		self.capture(
			"Client → Customer",
			lambda i: convert(clients[0]),
			("`tabCustomer`", "`tabClient`", "`tabLead`", "`tabContact`"),
		)
		self.capture(
			"Lead → Customer",
			lambda i: lead_to_customer(customer_leads[0]),
			("`tabCustomer`", "`tabLead`", "`tabContact`"),
		)


# --- the duplicate report

DUPLICATES_LIMIT_S = 180  # the whole registry's query is stopped after this long


def duplicates_of(client=None):
	return lambda i: desk.call(
		"crm_clients.api.find_duplicates", client=client[i] if client else None, page_length=500
	)


# --- where a write's time goes

# (label, file, function, calling file or None): the mean cumulative time of the function under cProfile
# (called from that file only, when given)
CONVERSION_PHASES = (
	(
		"Customer.insert (ERPNext's own work on a new Customer: the floor)",
		"frappe/model/document.py",
		"insert",
		"crm_clients/conversion.py",
	),
	(
		"Customer.insert (ERPNext's own work on a new Customer: the floor)",
		"frappe/model/document.py",
		"insert",
		"scripts/benchmarking/measure.py:lead_to_customer",
	),
	("Client.insert", "frappe/model/document.py", "insert", "scripts/benchmarking/measure.py:lead_to_client"),
	("Lead → Customer mapper (make_customer)", "erpnext/crm/doctype/lead/lead.py", "make_customer", None),
	("Lead → Client mapper (make_client)", "crm_clients/leads.py", "make_client", None),
	(
		"loading the Client (get_doc, locked)",
		"frappe/__init__.py",
		"get_doc",
		"scripts/benchmarking/measure.py:convert",
	),
	("permission checks (check_can_convert)", "crm_clients/conversion.py", "check_can_convert", None),
	("live Customer? (locking read)", "crm_clients/conversion.py", "has_live_customer", None),
	("same-ИНН Customer lookup", "crm_clients/conversion.py", "find_customer_by_tax_id", None),
	(
		"the new Customer's masters (group, territory)",
		"crm_clients/conversion.py",
		"get_customer_group",
		None,
	),
	("the new Customer's masters (group, territory)", "crm_clients/conversion.py", "get_territory", None),
	("comment «Created from Client»", "frappe/model/document.py", "add_comment", "crm_clients/conversion.py"),
	(
		"contacts and addresses relinked (Dynamic Link rows)",
		"crm_clients/conversion.py",
		"link_contacts",
		None,
	),
	("Leads marked Converted and relinked", "crm_clients/conversion.py", "link_leads", None),
	("history: notes, comments, e-mails, events, tasks", "crm_clients/history.py", "carry_to_customer", None),
	(
		"the Client's record: db_set, ToDos closed, comment",
		"crm_clients/doctype/client/client.py",
		"record_conversion",
		None,
	),
)


def breakdown(operation, count: int, phases) -> dict:
	"""`operation(i)` for i < count (at most 10) under cProfile, each as a new request and rolled back: the
	mean ms of the whole and of each phase that ran (profiling slows everything alike, about 1.5-2×: the
	shares matter, not the figures)."""
	import cProfile
	import pstats
	import time

	count = min(count, 10)
	profiler = cProfile.Profile()
	total = 0.0
	for i in range(count):
		desk.new_request(USER)
		started = time.perf_counter()
		profiler.enable()
		operation(i)
		profiler.disable()
		total += time.perf_counter() - started
		frappe.db.rollback()
	stats = pstats.Stats(profiler).stats
	result = {"total": total * 1000 / count, "phases": {}, "runs": count}
	for label, path, function, caller in phases:
		seconds = 0.0
		for (file, _line, name), (_cc, _nc, _tt, cumulative, callers) in stats.items():
			if name != function or not file.endswith(path):
				continue
			if caller is None:
				seconds += cumulative
				continue
			caller_file, _, caller_name = caller.partition(":")
			seconds += sum(
				value[3]
				for (c_file, _l, c_name), value in callers.items()
				if c_file.endswith(caller_file) and (not caller_name or c_name == caller_name)
			)
		if seconds:
			result["phases"][label] = result["phases"].get(label, 0) + seconds * 1000 / count
	return result


# --- the operations, as the desk calls them


def list_fields(doctype: str) -> list[str]:
	meta = frappe.get_meta(doctype)
	names = list(STANDARD_LIST_FIELDS)
	if meta.title_field:
		names.append(meta.title_field)
	names += [f.fieldname for f in meta.fields if f.in_list_view]
	names += [f for f in ("status", "disabled", "next_interaction", "customer_type") if meta.has_field(f)]
	seen = []
	for name in names:
		if name not in seen:
			seen.append(name)
	return [f"`tab{doctype}`.`{name}`" for name in seen]


def list_and_count(doctype: str, filters: list):
	fields = list_fields(doctype)

	def operation(i):
		rows = desk.call(
			"frappe.desk.reportview.get",
			doctype=doctype,
			fields=fields,
			filters=filters,
			order_by=f"`tab{doctype}`.`modified` desc",
			start=0,
			page_length=20,
			view="List",
			group_by="",
			with_comment_count=1,
		)
		count = desk.call(
			"frappe.desk.reportview.get_count",
			doctype=doctype,
			filters=filters,
			fields=[],
			distinct="false",
			limit=COUNT_UPPER_BOUND,
		)
		return (len(rows.get("values", [])) if isinstance(rows, dict) else len(rows or [])), count

	return operation


def link_search(doctype, fragments):
	return lambda i: desk.call(
		"frappe.desk.search.search_link", doctype=doctype, txt=fragments[i], page_length=10
	)


def bar_search(doctype, fragments):
	"""The search bar's results of the doctype: the app's Clients (what the desk shows for Client), Frappe's
	global search for the Customer."""
	if doctype == "Client":
		return lambda i: desk.call(
			"crm_clients.search.search_bar_clients", text=fragments[i], start=0, limit=20
		)
	return lambda i: desk.call(
		"frappe.utils.global_search.search", text=fragments[i], start=0, limit=20, doctype=doctype
	)


def form_load(doctype, names):
	meta = frappe.get_meta(doctype)
	dashboard = meta.get_dashboard_data()
	items = [item for group in dashboard.transactions for item in group.get("items")]
	method = dashboard.get("method") or "frappe.desk.notifications.get_open_count"

	def operation(i):
		desk.call("frappe.desk.form.load.getdoc", doctype=doctype, name=names[i])
		return desk.call(method, doctype=doctype, name=names[i], items=items)

	return operation


def lead_to_client(lead: str) -> str:
	from crm_clients.leads import make_client

	doc = make_client(lead)
	doc.insert()
	return doc.name


def lead_to_customer(lead: str) -> str:
	from erpnext.crm.doctype.lead.lead import make_customer

	doc = make_customer(lead)
	doc.insert()
	return doc.name


def convert(client: str) -> str:
	return frappe.get_doc("Client", client, for_update=True).convert()


# --- the data to measure on


def most_common_filters() -> dict:
	row = frappe.db.sql(
		"""select industry, business_region from `tabClient` where status=%s and industry is not null
		group by industry, business_region order by count(*) desc limit 1""",
		status.OPEN,
	)
	return {"industry": row[0][0], "region": row[0][1]}


def sample_organisations(count: int, rng: random.Random, foreign: bool = False) -> list[dict]:
	"""Random filled Clients with their Customer twin (same name) and a contact's last name (`foreign`: of
	the foreign companies, whose names are Latin)."""
	where = "owner=%(owner)s and country " + ("!=" if foreign else "=") + " %(russia)s"
	values = {"owner": FILL_OWNER, "russia": data.RUSSIA}
	total = frappe.db.sql(f"select count(*) from `tabClient` where {where}", values)[0][0]
	samples = []
	for offset in rng.sample(range(total), min(count, total)):
		client = frappe.db.sql(
			f"""select name, client_name, tax_id, customer from `tabClient` where {where}
			order by name limit 1 offset %(offset)s""",
			{**values, "offset": offset},
			as_dict=True,
		)[0]
		customer = client.customer or frappe.db.get_value(
			"Customer", {"customer_name": client.client_name}, "name"
		)
		last_name = frappe.db.sql(
			"""select c.last_name from `tabClient Contact` cc join `tabContact` c on c.name = cc.contact
			where cc.parent=%s order by cc.idx limit 1""",
			client.name,
		)[0][0]
		samples.append({**client, "client": client.name, "customer": customer, "last_name": last_name})
	return samples


# every shape of text a user types in a link field or the search bar: (fragments, target p95 ratio, the
# sampled records the fragments come from, or [] when they name no one record)
COMMON_WORD = "Компания"  # a word of many names (data.NOUNS), alone
NO_INN_DIGITS = ("00012", "099999")  # digits no ИНН starts with (ИНН start with a region code)


def search_shapes(samples: list[dict], foreign: list[dict]) -> dict:
	def number(name: str) -> str:
		return name.rsplit("-", 1)[-1].split()[0].strip("»") if "-" in name else ""

	word = [data.word_of(s["client_name"]) for s in samples]
	latin_word = [data.word_of(s["client_name"], 0) for s in foreign]
	count = len(samples)
	return {
		"name word start (4 letters)": ([w[:4] for w in word], 0.3, samples),
		"whole word of the name": (word, 1.0, samples),
		"ИНН start (6 digits)": ([s["tax_id"][:6] for s in samples], 0.3, samples),
		"a common word alone («Компания»)": ([COMMON_WORD] * count, 1.0, []),
		"the legal form alone («ООО», most names)": (["ООО"] * count, 1.0, []),
		"digits not an ИНН start («00012», «099999»)": (
			[NO_INN_DIGITS[i % 2] for i in range(count)],
			1.0,
			[],
		),
		"digits from the middle of the ИНН (5)": ([s["tax_id"][3:8] for s in samples], 1.0, samples),
		"fragment from the middle of a word (4)": ([w[1:5] for w in word], 1.0, samples),
		"Latin word start (4 letters)": ([w[:4] for w in latin_word], 0.3, foreign),
		"mixed: word + the name's number": (
			[f"{w} {number(s['client_name'])}".strip() for w, s in zip(word, samples, strict=True)],
			1.0,
			samples,
		),
		"mixed: Latin word + Cyrillic word": (
			[f"{w[:4]} {c[:4]}" for w, c in zip(latin_word, word, strict=False)],
			1.0,
			[],
		),
		"contact person's last name": ([s["last_name"] for s in samples], None, samples),
	}


def free_leads(count: int) -> list[str]:
	"""Leads with no Client and no Customer (the fill's even Leads)."""
	return frappe.db.sql(
		"""select l.name from `tabLead` l where l.owner=%s and l.client is null and l.status='Lead'
		and not exists (select 1 from `tabClient` c where c.lead = l.name)
		order by l.name desc limit %s""",
		(FILL_OWNER, count),
		pluck=True,
	)


def open_clients(count: int, rng: random.Random) -> list[str]:
	names = frappe.db.sql(
		"select name from `tabClient` where owner=%s and status=%s and customer is null limit %s",
		(FILL_OWNER, status.OPEN, 20 * count),
		pluck=True,
	)
	return rng.sample(names, min(count, len(names)))


def format_row(row: dict) -> str:
	def figures(side):
		return (
			f"{side['median']:8.1f} {side['p95']:8.1f}"
			if side and side.get("median") is not None
			else f"{'—':>8} {'—':>8}"
		)

	ratio = ratio_of(row)
	text = f"  {row['operation'][:48]:48} {figures(row['client'])} | {figures(row['erpnext'])} | {ratio}"
	return text + (f"\n      {row['note']}" if row["note"] else "")


def ratio_of(row: dict, key: str = "p95") -> str:
	client, erpnext = row["client"], row["erpnext"]
	if not client or not erpnext or not erpnext.get(key):
		return "—"
	return f"{client[key] / erpnext[key]:.2f}×"


def as_json(value) -> str:
	return json.dumps(value, ensure_ascii=False, default=str)
