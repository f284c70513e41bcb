"""The report: the table on the terminal and `docs/benchmarks.md` (only its generated part is replaced)."""

import os
import platform
import subprocess
from pathlib import Path

import frappe

from .measure import ratio_of

START = "<!-- generated: scripts/benchmark writes from here; edits below are replaced -->"
END = "<!-- generated: end -->"
NARRATIVE = "<!-- narrative -->"
GROUPS = {
	"list": "1. The registry list (desk: `frappe.desk.reportview.get` + `get_count`)",
	"search": "2. Link search and the search bar",
	"form": "3. Opening the form (`getdoc` + `get_open_count`)",
	"write": "4–5. Lead → Client, Client → Customer (one process, each rolled back)",
}
HEADER = "| operation | Client median | Client p95 | ERPNext median | ERPNext p95 | ratio median | ratio p95 | target | met? |"


def machine() -> dict:
	cpu = next(
		(
			line.split(":", 1)[1].strip()
			for line in Path("/proc/cpuinfo").read_text().splitlines()
			if line.startswith("model name")
		),
		platform.processor(),
	)
	memory = next(
		line for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")
	)
	return {"cpu": cpu, "cores": os.cpu_count(), "ram_gb": int(memory.split()[1]) / 2**20}


def versions(repo: Path) -> dict:
	import erpnext

	commit = subprocess.run(
		["git", "-C", str(repo), "log", "-1", "--format=%h %cd", "--date=short"],
		capture_output=True,
		text=True,
	).stdout.strip()
	dirty = subprocess.run(
		["git", "-C", str(repo), "status", "--porcelain", "crm_clients"], capture_output=True, text=True
	).stdout
	return {
		"frappe": frappe.__version__,
		"erpnext": erpnext.__version__,
		"mariadb": frappe.db.sql("select version()")[0][0],
		"python": platform.python_version(),
		"app": commit + (" (with uncommitted changes in crm_clients/)" if dirty.strip() else ""),
	}


def fmt(value, digits=1) -> str:
	return "—" if value is None else f"{value:.{digits}f}"


def met(row: dict) -> str:
	"""yes, or by how much the p95 ratio (and the median's, when the target is on both) misses the target."""
	if row["target"] is None or not row["client"] or not row["erpnext"] or not row["erpnext"].get("p95"):
		return ""
	keys = ("median", "p95") if row.get("both") else ("p95",)
	missed = [
		f"{key} {row['client'][key] / row['erpnext'][key]:.2f}× > {row['target']}×"
		for key in keys
		if row["client"][key] / row["erpnext"][key] > row["target"]
	]
	return "yes" if not missed else "**no**: " + ", ".join(missed)


def table_lines(rows: list[dict]) -> list[str]:
	lines = [HEADER, "|---|---:|---:|---:|---:|---:|---:|---:|---|"]
	for row in rows:
		client, erpnext = row["client"] or {}, row["erpnext"] or {}
		target = f"≤ {row['target']}×" if row["target"] else ""
		lines.append(
			f"| {row['operation']} | {fmt(client.get('median'))} | {fmt(client.get('p95'))} | {fmt(erpnext.get('median'))} "
			f"| {fmt(erpnext.get('p95'))} | {ratio_of(row, 'median')} | {ratio_of(row)} | {target} | {met(row)} |"
		)
	notes = [f"- *{row['operation']}*: {row['note']}" for row in rows if row["note"]]
	floors = [
		f"- floor of *{row['operation']}* (bare SQL): "
		+ ", ".join(
			f"{doctype} median {fmt(v['median'], 2)} ms, p95 {fmt(v['p95'], 2)} ms"
			for doctype, v in row["floor"].items()
		)
		for row in rows
		if row.get("floor")
	]
	return [*lines, "", *notes, *floors]


def background_lines(background: dict) -> list[str]:
	if not background:
		return ["(not run: `--skip-workers`)"]
	lines = [
		"| work | workers | records | seconds | records/s | speed-up | target | met? | peak RSS per worker (MB) |",
		"|---|---:|---:|---:|---:|---:|---|---|---|",
	]
	for label, phases in background.get("phases", {}).items():
		one = phases.get(1)
		for count, phase in sorted(phases.items()):
			speedup = phase["rate"] / one["rate"] if one and one["rate"] and count > 1 else None
			if "intake" in label:
				target = "≥ 50/s" if count == 1 else "≥ 1.7×"
				ok = phase["rate"] >= 50 if count == 1 else (speedup or 0) >= 1.7
			else:
				target, ok = ("", None) if count == 1 else ("≥ 1.7×", (speedup or 0) >= 1.7)
			peaks = ", ".join(f"{mb:.0f}" for mb in phase["peak_mb"])
			lines.append(
				f"| {label} | {count} | {phase['done']}/{phase['records']} | {phase['seconds']:.1f} | {phase['rate']:.1f} "
				f"| {fmt(speedup, 2) + '×' if speedup else ''} | {target} | {'' if ok is None else ('yes' if ok else '**no**')} | {peaks} |"
			)
	lines.append("")
	for label, phases in background.get("phases", {}).items():
		growth = (phases.get(1) or {}).get("growth") or {}
		if growth.get("growth") is not None:
			flat = "flat" if growth["growth"] < max(5, 0.05 * growth["first_10"]) else "**grows**"
			lines.append(
				f"- memory, {label} (1 worker, first job): work horse {growth['first_10']:.0f} MB over its first 10 % of "
				f"records, {growth['last_10']:.0f} MB over its last 10 %: {growth['growth']:+.1f} MB "
				f"({growth['per_record_kb']:.1f} KB per record) — {flat}"
			)
		for count, phase in sorted(phases.items()):
			failed = [
				job
				for job in phase["jobs"]
				if job["status"] != "finished" or (job.get("counts") or {}).get("failed")
			]
			if failed:
				lines.append(f"- {label}, {count} worker(s): jobs with failures: {failed}")
	overlap = background.get("overlap")
	if overlap:
		verdict = "no duplicates" if overlap["ok"] else "**DUPLICATES OR FAILURES**"
		lines.append(
			f"- two overlapping runs at once on 2 workers ({overlap['leads']} Leads of {overlap['companies']} companies, "
			f"{overlap['overlap']} Leads in both, {overlap['seconds']:.1f} s): {verdict} — Leads without a Client "
			f"{overlap['leads_without_client']}, companies with more than one Client {overlap['companies_with_several_clients']}, "
			f"duplicate company keys {overlap['duplicate_company_keys']}, Leads with several Clients "
			f"{overlap['leads_with_several_clients']}; jobs {overlap['jobs']}"
		)
	return lines


def breakdown_lines(breakdowns: dict) -> list[str]:
	"""Where each write's time goes: its phases under cProfile, mean ms per run (nested phases overlap: the
	Customer's insert holds what ERPNext does on insert; the rest is what the app adds)."""
	labels = list(dict.fromkeys(label for b in breakdowns.values() for label in b["phases"]))
	names = list(breakdowns)
	lines = [
		"Where the time goes (cProfile over the first runs, each rolled back; mean ms per run, slowed alike by "
		"the profiler — read the shares; a phase inside another is counted in both):",
		"",
		"| phase | " + " | ".join(names) + " |",
		"|---|" + "---:|" * len(names),
		"| **whole operation** | " + " | ".join(f"**{fmt(breakdowns[n]['total'])}**" for n in names) + " |",
	]
	for label in labels:
		cells = []
		for name in names:
			ms = breakdowns[name]["phases"].get(label)
			share = f" ({ms / breakdowns[name]['total']:.0%})" if ms and breakdowns[name]["total"] else ""
			cells.append(f"{fmt(ms)}{share}" if ms else "")
		lines.append(f"| {label} | " + " | ".join(cells) + " |")
	return [*lines, ""]


def explain_lines(explains: list[dict]) -> list[str]:
	lines = []
	for item in explains:
		lines.append(f"**{item['operation']}** ({fmt(item['ms'], 2)} ms)")
		lines.append("")
		lines.append("```sql")
		lines.append(" ".join(item["query"].split())[:1500])
		lines.append("```")
		lines.append("")
		plan = item["plan"]
		if plan and "error" not in plan[0]:
			keys = ["table", "type", "possible_keys", "key", "rows", "Extra"]
			lines.append("| " + " | ".join(keys) + " |")
			lines.append("|" + "---|" * len(keys))
			for step in plan:
				lines.append("| " + " | ".join(str(step.get(k) or "").replace("|", "/") for k in keys) + " |")
		else:
			lines.append(f"(no plan: {plan})")
		lines.append("")
	return lines


PARTS = ("lists", "searches", "forms", "writes", "duplicates", "workers", "import")
GROUP_OF_PART = {"lists": "list", "searches": "search", "forms": "form", "writes": "write"}


def part_markers(part: str) -> tuple[str, str]:
	return f"<!-- part: {part} -->", f"<!-- part end: {part} -->"


def render(context: dict) -> str:
	m, v = context["machine"], context["versions"]
	fill = context["fill"]
	lines = [
		START,
		"",
		f"Generated by `scripts/benchmark --n {context['n']} --repeat {context['repeat']}"
		f"{' --only ' + context['only'] if context.get('only') else ''}` on {context['date']} "
		f"(site `{context['site']}`); a part this run did not measure is kept from the run it names.",
		"",
		f"- machine: {m['cpu']}, {m['cores']} cores, {m['ram_gb']:.1f} GB RAM",
		f"- versions: Frappe {v['frappe']}, ERPNext {v['erpnext']}, MariaDB {v['mariadb']}, Python {v['python']}, "
		f"crm_clients {v['app']}",
		f"- N = {context['n']}: {context['counts']}",
		f"- fill: {fill_text(fill)}",
		f"- measured in {context['measure_seconds']:.0f} s: {context['repeat']} runs per operation after "
		f"{context['warmup']} warm-up runs, as `{context['user']}` (Sales User, Sales Manager, Sales Master Manager; "
		"not a System Manager); times in ms",
		"",
		"How: every desk call runs in the benchmark's process, dispatched as `frappe.handler.execute_cmd` does "
		"(`override_whitelisted_methods`, whitelisting, `frappe.call`; `standard_queries` inside `search_link`), "
		"with the request state reset before and the transaction rolled back after each call (outside the "
		"timing): the figures are the server's work without HTTP, the same for both sides. The ratio is Client ÷ "
		"ERPNext; targets are on the p95 ratio (and the median's where the note says so); a missed target says by "
		"how much.",
		"",
	]
	for part in PARTS:
		section = part_lines(part, context)
		if section is None:
			continue
		start, end = part_markers(part)
		stamp = f"_From the run of {context['date']} (crm_clients {v['app']})._"
		lines += [start, "", *section[:2], stamp, "", *section[2:], end, ""]
	lines.append(END)
	return "\n".join(lines)


def part_lines(part: str, context: dict) -> list[str] | None:
	"""The section of a part this run measured (its title line and a blank line first), or None."""
	if part not in context.get("parts", PARTS):
		return None
	if part in GROUP_OF_PART:
		group = GROUP_OF_PART[part]
		rows = [row for row in context["rows"] if row["group"] == group]
		if not rows:
			return None
		lines = [f"### {GROUPS[group]}", "", *table_lines(rows), ""]
		if group == "write" and context.get("breakdowns"):
			lines += breakdown_lines(context["breakdowns"])
	elif part == "duplicates":
		rows = [row for row in context["rows"] if row["group"] == "duplicates"]
		if not rows:
			return None
		lines = [
			"### 8. The duplicate report («Possible Duplicates», `crm_clients.api.find_duplicates`)",
			"",
			*table_lines(rows),
			"",
		]
	elif part == "workers":
		if not context.get("background"):
			return None
		lines = [
			"### 6–7. Background work on RQ workers, and their memory",
			"",
			*background_lines(context.get("background")),
			"",
		]
	elif part == "import":
		if not context.get("import"):
			return None
		lines = [
			"### 9. A sheet through the intake vs Frappe's Data Import",
			"",
			*import_lines(context["import"]),
			"",
		]
	explains = [item for item in context.get("explains") or [] if item.get("part") == part]
	if explains:
		lines += ["The slowest queries, with EXPLAIN:", "", *explain_lines(explains)]
	return lines


def import_lines(result: dict) -> list[str]:
	"""Documents per second: the intake (a Client and its Contact per row) on 1 and 2 workers vs Frappe's Data
	Import (a Customer per row, then its Contact) on 1."""
	base = result.get("data import") or {}
	rate = base.get("rate") or 0
	lines = [
		"| way in | processes | documents | seconds | documents/s | vs Data Import | target | met? | peak RSS per process (MB) |",
		"|---|---:|---:|---:|---:|---:|---|---|---|",
	]
	for key, target in (("data import", None), ("intake 1", 1.0), ("intake 2", 1.7)):
		phase = result.get(key)
		if not phase:
			continue
		ratio = phase["rate"] / rate if rate else None
		ok = (
			""
			if target is None or ratio is None
			else ("yes" if ratio >= target else f"**no**: {ratio:.2f}× < {target}×")
		)
		peaks = ", ".join(f"{mb:.0f}" for mb in phase["peak_mb"])
		lines.append(
			f"| {phase['label']} | {phase['workers']} | {phase['done']}/{phase['records']} | {phase['seconds']:.1f} "
			f"| {phase['rate']:.1f} | {fmt(ratio, 2) + '×' if ratio else ''} | {'≥ ' + str(target) + '×' if target else ''} "
			f"| {ok} | {peaks} |"
		)
	lines += [
		"",
		f"- the sheet: {result['rows']} rows, an organisation and its contact person (e-mail, phone) per row, the "
		"same shape on both sides (new organisations for each run, so nothing is matched); the intake's file is "
		"its import template, split in two files (two jobs); Data Import's are two files, the Customers' and the "
		"Contacts' (with their link to the Customer), imported one after the other as an ERPNext user does",
		"- each job's function (`crm_clients.intake.runner.run_job`, `frappe.core.doctype.data_import.data_import."
		"start_import`) runs as an RQ work horse runs it, as the benchmark user, in processes of this bench started "
		"for it (one process: the jobs one after the other, as one worker; two: a job each, as two workers) — not "
		"through the bench's RQ queue, which other work on the machine shares",
		f"- Data Import statuses: {base.get('statuses')}",
	]
	for key in ("data import", "intake 1", "intake 2"):
		phase = result.get(key) or {}
		failed = [
			job
			for job in phase.get("jobs", [])
			if job["status"] != "finished" or (job.get("counts") or {}).get("failed")
		]
		if failed:
			lines.append(f"- {key}: jobs with failures: {failed}")
	return lines


def fill_text(fill: dict) -> str:
	method = (
		"masters and the user through Frappe documents; Clients, Contacts (with Contact Email, Contact Phone, "
		"Dynamic Link), Client Contact rows, Customers, Leads and `__global_search` rows by bulk SQL "
		"(`frappe.db.bulk_insert`, chunks of 1,000 organisations, a commit per chunk), names from the naming "
		"series with `tabSeries` moved on, `tax_key` / `normalized_name` by the app's own functions"
	)
	if not fill.get("filled"):
		return f"already filled ({fill.get('existing')} organisations), nothing added this run; {method}"
	return f"{fill['filled']} organisations ({fill.get('rows')} rows) in {fill['seconds']:.0f} s; {method}"


def write(path: Path, context: dict) -> None:
	"""Replace the generated part of `path`; a part this run did not measure keeps its old section."""
	generated = render(context)
	old = path.read_text() if path.exists() else ""
	if START in old and END in old:
		old_generated = old[old.index(START) : old.index(END)]
		for part in PARTS:
			start, end = part_markers(part)
			if start in generated or start not in old_generated or end not in old_generated:
				continue
			kept = old_generated[old_generated.index(start) : old_generated.index(end) + len(end)]
			generated = generated.replace(END, f"{kept}\n\n{END}")
		generated = reorder(generated)
		text = old[: old.index(START)] + generated + old[old.index(END) + len(END) :]
	else:
		text = (
			"# Benchmarks: the registry at scale, side by side with ERPNext\n\n"
			"`scripts/benchmark` fills a dedicated site and measures; what follows is its last run.\n\n"
			f"{generated}\n\n## What limits each figure\n\n{NARRATIVE}\n\n(to be written)\n"
		)
	path.parent.mkdir(parents=True, exist_ok=True)
	path.write_text(text)


def reorder(generated: str) -> str:
	"""The parts' sections in PARTS order, after the run's header."""
	sections = {}
	for part in PARTS:
		start, end = part_markers(part)
		if start in generated:
			sections[part] = generated[generated.index(start) : generated.index(end) + len(end)]
			generated = generated.replace(sections[part], "")
	head = generated[: generated.index(END)].rstrip() + "\n\n"
	body = "\n\n".join(sections[part] for part in PARTS if part in sections)
	return head + body + "\n\n" + END
