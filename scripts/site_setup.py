"""Completes ERPNext's setup on a site, once (scripts/make-erpnext-site runs it with the bench's Python).

    cd $FRAPPE_BENCH_PATH/sites && ../env/bin/python path/to/scripts/site_setup.py SITE [--profile test|demo]

- `test` (the test sites): the installed ERPNext's own test bootstrap when it has one
  (`erpnext.setup.utils.before_tests` on v15 and early v16), else ERPNext's setup wizard with the same
  answers (later v16 releases dropped that function).
- `demo` (scripts/dev-server): the setup wizard for a Russian company: currency RUB, country Russian
  Federation, time zone Europe/Moscow, language ru; no user of its own (scripts/demo_data.py makes the users).

Either way the site gets its encryption key now, not lazily during a test run (an API secret saved by one
process must be readable by the next one).
"""

import argparse
import importlib
import sys

import frappe

TEST_BOOTSTRAPS = ("erpnext.setup.utils.before_tests",)


def wizard_answers(profile: str) -> dict:
	year = frappe.utils.now_datetime().year
	common = {
		"fy_start_date": f"{year}-01-01",
		"fy_end_date": f"{year}-12-31",
		"chart_of_accounts": "Standard",
		"full_name": "Administrator",
	}
	if profile == "demo":
		# no e-mail: the wizard would make a System Manager with a known password (the demo's users get the
		# site's own password from scripts/demo_data.py)
		return {
			**common,
			"currency": "RUB",
			"country": "Russian Federation",
			"timezone": "Europe/Moscow",
			"language": frappe.db.get_value("Language", "ru", "language_name") or "ru",
			"company_name": "Демо Продажи",
			"company_abbr": "ДП",
			"company_tagline": "crm_clients demo",
		}
	return {
		**common,
		"currency": "USD",
		"country": "United States",
		"timezone": "America/New_York",
		"language": "english",
		"company_name": "Wind Power LLC",
		"company_abbr": "WP",
		"company_tagline": "Testing",
		"email": "admin@example.com",
		"password": "admin",
	}


def find_test_bootstrap():
	"""The installed ERPNext's own test set-up function, if it has one."""
	for path in TEST_BOOTSTRAPS:
		module, _, function = path.rpartition(".")
		try:
			return getattr(importlib.import_module(module), function)
		except (ImportError, AttributeError):
			continue
	return None


def setup_is_complete() -> bool:
	return bool(frappe.db.a_row_exists("Company"))


def complete_setup(profile: str) -> str:
	"""Run the bootstrap for `profile` unless the site is set up; return what was done."""
	if setup_is_complete():
		return "already set up"
	bootstrap = find_test_bootstrap() if profile == "test" else None
	if bootstrap:
		bootstrap()
		return f"{bootstrap.__module__}.{bootstrap.__name__}"
	from frappe.desk.page.setup_wizard.setup_wizard import setup_complete

	setup_complete(wizard_answers(profile))
	return "setup wizard"


def main() -> None:
	parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
	parser.add_argument("site")
	parser.add_argument("--profile", choices=("test", "demo"), default="test")
	args = parser.parse_args()
	frappe.init(site=args.site, sites_path=".")
	frappe.connect()
	try:
		frappe.set_user("Administrator")
		how = complete_setup(args.profile)
		from frappe.utils.password import get_encryption_key

		get_encryption_key()
		frappe.db.commit()
		print(f"{args.site}: ERPNext setup — {how}", file=sys.stderr)
	finally:
		frappe.destroy()


if __name__ == "__main__":
	main()
