"""Real-site test harness.

Finds the bench ($FRAPPE_BENCH_PATH, default ~/frappe-bench) and the site ($FRAPPE_SITE, default
crm-clients-test.localhost; `scripts/run-tests` creates it), connects Frappe once per session and rolls
every test back. Tests that use the `site` fixture (directly or through `pytestmark`) are skipped, with
the reason, when no site can be reached; tests that need no site run anywhere.
"""

import os
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
BENCH = Path(os.environ.get("FRAPPE_BENCH_PATH", Path.home() / "frappe-bench")).expanduser()
SITE = os.environ.get("FRAPPE_SITE", "crm-clients-test.localhost")

if str(REPO) not in sys.path:
	sys.path.insert(0, str(REPO))


def _why_no_site() -> str | None:
	try:
		import frappe
	except ImportError:
		return f"Frappe is not importable: run the tests with the bench's Python ({BENCH}/env/bin/python) through scripts/run-tests"
	if not (BENCH / "sites" / SITE / "site_config.json").exists():
		return f"no site {SITE} in the bench {BENCH} (set FRAPPE_BENCH_PATH / FRAPPE_SITE, or use scripts/run-tests)"
	return None


NO_SITE_REASON = _why_no_site()


def skip_module_without_frappe() -> None:
	"""For test modules that import Frappe at the top: skip them whole, with the reason, where it is missing."""
	try:
		import frappe
	except ImportError:
		pytest.skip(NO_SITE_REASON, allow_module_level=True)


def pytest_report_header(config):
	if NO_SITE_REASON:
		return [f"crm_clients: SITE TESTS WILL BE SKIPPED: {NO_SITE_REASON}"]
	return [f"crm_clients: real site {SITE} in bench {BENCH}"]


def pytest_terminal_summary(terminalreporter):
	if LEAKS:
		terminalreporter.write_sep("!", f"tests left records behind (before, after): {LEAKS}", red=True)
	if NO_SITE_REASON:
		terminalreporter.write_sep("!", f"site tests SKIPPED: {NO_SITE_REASON}", red=True, bold=True)
	if IN_CI and SKIPPED:
		terminalreporter.write_sep(
			"!", f"CI=true: {len(SKIPPED)} skipped test(s) fail the run: {SKIPPED[:10]}", red=True, bold=True
		)


@pytest.fixture(scope="session")
def _connected_site():
	if NO_SITE_REASON:
		pytest.skip(NO_SITE_REASON)
	import frappe

	os.chdir(BENCH / "sites")
	frappe.init(site=SITE, sites_path=str(BENCH / "sites"))
	frappe.connect()
	frappe.flags.in_test = True
	if hasattr(frappe, "in_test"):  # v16 reads the module-level flag
		frappe.in_test = True
	frappe.flags.mute_emails = True
	frappe.db.rollback()
	from tests import fixtures

	fixtures.make_test_users()
	fixtures.make_outgoing_email_account()
	frappe.db.commit()
	counts_before = _count_records(frappe)
	yield frappe
	frappe.db.rollback()
	leaked = {
		doctype: (before, after)
		for (doctype, before), after in zip(
			counts_before.items(), _count_records(frappe).values(), strict=True
		)
		if before != after
	}
	frappe.destroy()
	if leaked:
		LEAKS.update(leaked)


# Records a test run must leave as it found them (every test is rolled back)
WATCHED_DOCTYPES = ("Client", "Contact", "Customer", "Lead", "Industry", "Business Region", "Workflow")
LEAKS: dict[str, tuple[int, int]] = {}


def _count_records(frappe) -> dict[str, int]:
	return {doctype: frappe.db.count(doctype) for doctype in WATCHED_DOCTYPES}


# Under CI a skipped test fails the run: CI has made everything the tests need (scripts/run-tests)
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
SKIPPED: list[str] = []


def pytest_runtest_logreport(report):
	if report.skipped and not hasattr(report, "wasxfail"):
		SKIPPED.append(report.nodeid)


def pytest_sessionfinish(session, exitstatus):
	if LEAKS and exitstatus == 0:
		session.exitstatus = 1
	if IN_CI and SKIPPED and session.exitstatus == 0:
		session.exitstatus = 1


@pytest.fixture
def committed(site):
	"""Records committed for other connections to see (HTTP, threads, workers), removed after the test."""
	from tests.committed import Committed

	records = Committed()
	yield records
	records.cleanup()


@pytest.fixture
def site(_connected_site):
	"""The connected Frappe (as Administrator); everything a test writes is rolled back after it."""
	frappe = _connected_site
	frappe.set_user("Administrator")
	frappe.local.message_log = []
	yield frappe
	frappe.db.rollback()
	frappe.set_user("Administrator")
	frappe.local.message_log = []
	frappe.clear_cache()
