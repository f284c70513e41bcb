"""Benchmarks on a real site (everything is rolled back): bulk Clients from Leads, and conversions.

	~/frappe-bench/env/bin/python scripts/benchmark.py [--site SITE] [--leads 200] [--conversions 50]

Run it after `scripts/run-tests` has set the site up; it prints wall-clock figures, it asserts nothing.
"""

import argparse
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def main():
	parser = argparse.ArgumentParser()
	parser.add_argument("--site", default=os.environ.get("FRAPPE_SITE", "crm-clients-test.localhost"))
	parser.add_argument(
		"--bench", default=os.environ.get("FRAPPE_BENCH_PATH", str(Path.home() / "frappe-bench"))
	)
	parser.add_argument("--leads", type=int, default=200)
	parser.add_argument("--conversions", type=int, default=50)
	args = parser.parse_args()

	import frappe

	os.chdir(Path(args.bench) / "sites")
	frappe.init(site=args.site, sites_path=".")
	frappe.connect()
	frappe.set_user("Administrator")
	try:
		run(args)
	finally:
		frappe.db.rollback()
		frappe.destroy()


def timed(label: str, count: int, function):
	start = time.perf_counter()
	result = function()
	elapsed = time.perf_counter() - start
	print(f"{label}: {count} in {elapsed:.2f} s ({1000 * elapsed / max(count, 1):.1f} ms each)")
	return result


def run(args):
	import frappe

	from crm_clients.conversion import convert_client
	from crm_clients.leads import create_clients_for_leads
	from tests import fixtures

	leads = [
		fixtures.make_lead(
			company_name=f"Benchmark Co {index // 2}", email_id=f"bench{index}@example.com"
		).name
		for index in range(args.leads)
	]
	summary = timed(
		"Clients from Leads (pairs share a company)", len(leads), lambda: create_clients_for_leads(leads)
	)
	print(
		"  summary:",
		{key: len(value) if isinstance(value, list) else value for key, value in summary.items()},
	)

	clients = frappe.get_all("Client", filters={"lead": ("in", leads)}, pluck="name", limit=args.conversions)
	timed("Conversions into Customers", len(clients), lambda: [convert_client(name) for name in clients])


if __name__ == "__main__":
	main()
