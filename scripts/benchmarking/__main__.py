"""python -m benchmarking (from the bench's sites folder, the bench's Python): see scripts/benchmark --help."""

import argparse
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import frappe

REPO = Path(__file__).resolve().parents[2]
ALL_PARTS = ("fill", "lists", "searches", "forms", "writes", "duplicates", "workers", "import")


def parse_args(argv=None):
	parser = argparse.ArgumentParser(prog="scripts/benchmark")
	parser.add_argument("--site", required=True)
	parser.add_argument("--n", type=int, default=100_000)
	parser.add_argument("--repeat", type=int, default=30)
	parser.add_argument("--warmup", type=int, default=3)
	parser.add_argument("--output", default=str(REPO / "docs" / "benchmarks.md"))
	parser.add_argument("--jobs", type=int, default=4, help="jobs per background run")
	parser.add_argument(
		"--per-job", type=int, default=250, help="Leads per bulk job (intake: half as many Clients)"
	)
	parser.add_argument("--only", default=",".join(ALL_PARTS))
	parser.add_argument(
		"--import-rows", type=int, default=1000, help="rows of the intake vs Data Import sheet"
	)
	parser.add_argument("--log", default="../logs/crm-clients-benchmark.log")
	return parser.parse_args(argv)


def say(text: str) -> None:
	print(text, flush=True)


def main(argv=None):
	args = parse_args(argv)
	parts = set(args.only.split(","))
	frappe.init(site=args.site, sites_path=".")
	frappe.connect()
	frappe.set_user("Administrator")
	sys.path.insert(0, str(REPO))
	from . import fill, measure, report, workers

	context = {
		"n": args.n,
		"repeat": args.repeat,
		"warmup": args.warmup,
		"site": args.site,
		"user": fill.USER,
		"date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
		"rows": [],
		"explains": [],
		"fill": {},
		"background": {},
		"parts": parts,
		"only": args.only if parts != set(ALL_PARTS) else "",
	}
	try:
		say(f"\n=== fill {args.site} to N = {args.n}")
		context["fill"] = fill.fill(args.n, say) if "fill" in parts else {"existing": fill.filled_count()}
		fill.ensure_masters()
		context["counts"] = counts()
		say(f"  {context['counts']}")

		started = time.monotonic()
		measurer = measure.Measure(args.repeat, args.warmup, say)
		header = f"  {'operation':48} {'median':>8} {'p95':>8} | {'ERPNext':>8} {'p95':>8} | ratio p95"
		for part, title in (
			("lists", "1. the registry list"),
			("searches", "2. link search and the search bar"),
			("forms", "3. the form"),
			("writes", "4-5. Lead → Client, Client → Customer"),
		):
			if part in parts:
				measurer.part = part
				say(f"\n=== {title} (ms; Client | ERPNext)\n{header}")
				try:
					getattr(measurer, part)()
				except Exception:
					frappe.db.rollback()
					say(f"  !!! {title} failed:")
					import traceback

					traceback.print_exc()
				frappe.set_user("Administrator")
		if "duplicates" in parts:
			say("\n=== 8. the duplicate report («Possible Duplicates»)")
			measurer.part = "duplicates"
			try:
				context["duplicates"] = measurer.duplicates()
			except Exception:
				frappe.db.rollback()
				import traceback

				traceback.print_exc()
			frappe.set_user("Administrator")
		if "workers" in parts:
			say("\n=== 6-7. background work on RQ workers")
			context["background"] = background(args, Path(args.log))
		if "import" in parts:
			say(f"\n=== 9. the intake vs Frappe's Data Import, {args.import_rows} rows")
			try:
				context["import"] = workers.intake_vs_import(args.import_rows, Path(args.log), say)
			except Exception:
				frappe.db.rollback()
				import traceback

				traceback.print_exc()
		context["measure_seconds"] = time.monotonic() - started
		context["rows"] = measurer.rows
		context["explains"] = measurer.explains
		context["breakdowns"] = measurer.breakdowns
		context["machine"] = report.machine()
		context["versions"] = report.versions(REPO)
		report.write(Path(args.output), context)
		say(f"\n=== written: {args.output} (measured in {context['measure_seconds']:.0f} s)")
	finally:
		frappe.db.rollback()
		frappe.destroy()


def background(args, log_path: Path) -> dict:
	from . import workers

	result = {"phases": {}}
	per_job = args.per_job
	for count in (1, 2):
		try:
			phase = workers.leads_phase(count, args.jobs, per_job, log_path, say)
			result["phases"].setdefault("bulk Clients from Leads", {})[count] = phase
		except Exception as error:
			say(f"  !!! bulk Clients from Leads, {count} worker(s): {error!r}")
	for count in (1, 2):
		try:
			phase = workers.intake_phase(count, args.jobs, per_job // 2, log_path, say)
			result["phases"].setdefault("intake (CSV, 2 contacts per Client)", {})[count] = phase
		except Exception as error:
			say(f"  !!! intake, {count} worker(s): {error!r}")
	try:
		result["overlap"] = workers.overlap_check(log_path, say)
	except Exception as error:
		say(f"  !!! overlapping runs: {error!r}")
	return result


def counts() -> dict:
	return {
		doctype: frappe.db.count(doctype)
		for doctype in ("Client", "Customer", "Lead", "Contact", "Industry", "Business Region")
	}


if __name__ == "__main__":
	main()
