"""The browser suite: the users' flows in the desk, in headless Chromium driven by Playwright.

Every test here is marked `e2e` (`scripts/run-tests -m "not e2e"` skips them). The harness, set up once for
the package and taken down after its last flow (before the rest of the suite runs):

* commits the data the flows start from, one Russian-speaking user per role (`data.py`), and deletes
  everything the run added at its end (the leak check of tests/conftest.py stays green);
* starts the web server for the test site on a free port and the bench's realtime server, and a
  background worker for the flows that wait on a background job (`services.py`); stops them after;
* launches the system's Chromium (Debian's `chromium`, or `$CRM_E2E_CHROMIUM`) — Playwright's own
  browser downloads are not used — with a fresh profile, and logs each user in once;
* gives each flow a `Desk` per user (`desk.py`); any JavaScript error in the console fails the flow;
* saves, for every flow, its screenshots and console log, and on failure a screenshot of each open page,
  into the run's report folder (`e2e-report/<time>/`, or `$CRM_E2E_REPORT_DIR`), printed at the end.

The flows, one module each, in the order of the users' work: test_1_registry, test_2_client_form,
test_3_client_from_lead, test_4_clients_from_lead_list, test_5_conversion, test_6_route, and flow 7 in
test_7_intake (a vCard file and a business-card photo from the Client list) and test_7_interactions (an
interaction planned, seen in the registry, done); test_8_realtime (the desk's realtime connection) and
test_9_layout (the registry, the form's status and the charts whole at 1366 and 390 px). A new flow uses the
same fixtures: `desk("sales_user")` for a logged-in page (`desk("sales_user", PHONE)` on a phone's screen),
`e2e_data` for the run's records (add what the flow starts from in data.py, and the doctypes it creates to
data.CLEANED_DOCTYPES).
"""

import itertools
import os
import shutil
import time
from datetime import datetime
from pathlib import Path

import pytest

from tests.conftest import BENCH, REPO, SITE

REPORT_ROOT = Path(os.environ.get("CRM_E2E_REPORT_DIR") or REPO / "e2e-report")
KEEP_REPORTS = 5
CHROMIUM_FLAGS = [
	"--headless",
	"--no-sandbox",
	"--disable-gpu",
	"--disable-quic",
	"--no-first-run",
	"--disable-background-networking",
	"--disable-component-update",
	"--disable-sync",
]
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
LAPTOP = (1366, 900)  # the screen every flow sees, unless it asks for another
PHONE = (390, 844)


def chromium_path() -> str | None:
	configured = os.environ.get("CRM_E2E_CHROMIUM")
	if configured:
		return configured if Path(configured).exists() else None
	return next((path for path in CHROMIUM_CANDIDATES if Path(path).exists()), None)


def why_no_browser() -> str | None:
	try:
		import playwright
	except ImportError:
		return (
			"Playwright for Python is not installed (tests/requirements.txt; scripts/run-tests installs it)"
		)
	if not chromium_path():
		return "no Chromium: install Debian's chromium package (scripts/run-tests does as root) or set CRM_E2E_CHROMIUM"
	if not (BENCH / "sites" / "assets" / "assets.json").exists():
		return f"the desk's assets are not built in {BENCH} (bench build)"
	return None


@pytest.hookimpl(tryfirst=True)  # before `-m "not e2e"` deselects
def pytest_collection_modifyitems(config, items):
	here = Path(__file__).parent
	for item in items:
		if here in item.path.parents:
			item.add_marker(pytest.mark.e2e)


# --- the run's report folder ----------------------------------------------------------------------------

RUN = {"folder": None, "started": None, "ended": None}


def run_folder() -> Path:
	if RUN["folder"] is None:
		REPORT_ROOT.mkdir(parents=True, exist_ok=True)
		old = sorted(path for path in REPORT_ROOT.iterdir() if path.is_dir())
		for path in old[: max(0, len(old) - KEEP_REPORTS + 1)]:
			shutil.rmtree(path, ignore_errors=True)
		RUN["folder"] = REPORT_ROOT / datetime.now().strftime("%Y%m%d-%H%M%S")
		RUN["folder"].mkdir()
	return RUN["folder"]


def pytest_terminal_summary(terminalreporter):
	if RUN["folder"] is not None:
		seconds = (RUN["ended"] or time.monotonic()) - RUN["started"]
		terminalreporter.write_sep(
			"-",
			f"e2e: {seconds:.0f} s (from its data to its last flow); screenshots, console logs and "
			f"server logs in {RUN['folder']}",
		)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
	report = yield
	setattr(item, f"report_{report.when}", report)
	return report


# --- data, servers, browser -------------------------------------------------------------------------------


@pytest.fixture(scope="package")
def e2e_data(_connected_site):
	"""The run's committed records and users (see data.py); all of it is deleted after the run."""
	reason = why_no_browser()
	if reason:
		pytest.skip(reason)
	from tests.e2e import data

	RUN["started"] = time.monotonic()
	records = data.make()
	yield records
	data.clean(records)
	RUN["ended"] = time.monotonic()


SERVICES = {}


@pytest.fixture(scope="package")
def web(e2e_data):
	"""The test site on a free local port, with the realtime server and a background worker (started
	here, waited for by the flows that need it); all stopped after the run."""
	from tests.e2e import services

	folder = run_folder()
	started = []
	try:
		SERVICES["worker"] = services.start_worker(BENCH, folder)
		started.append(SERVICES["worker"])
		# the realtime server first: it writes its port into the site's config, which the web server reads
		# once (Frappe 16 keeps a site's config in memory for a minute)
		started.append(services.start_realtime_server(BENCH, SITE, folder))
		server, base_url = services.start_web_server(BENCH, SITE, folder)
		started.append(server)
		yield base_url
	finally:
		for service in reversed(started):
			service.stop()


@pytest.fixture(scope="package")
def worker(web):
	"""The background worker, listening (for the flows that wait on a background job)."""
	service = SERVICES["worker"]
	service.wait_until(
		lambda: "Listening on" in service.log_path.read_text(errors="replace"), "not listening"
	)
	return service


@pytest.fixture(scope="package")
def browser():
	from playwright.sync_api import sync_playwright

	with sync_playwright() as playwright:
		# Playwright gives the browser a fresh, temporary profile (user-data dir) and removes it after
		chromium = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
		yield chromium
		chromium.close()


@pytest.fixture(scope="package")
def logged_in(browser, web, e2e_data):
	"""One browser context per user and screen size (a laptop's 1366×900 unless asked), logged in on first use."""
	contexts = {}

	def context_for(key: str, viewport: tuple[int, int] = LAPTOP):
		if (key, viewport) not in contexts:
			user = e2e_data.users[key]
			context = browser.new_context(
				base_url=web,
				viewport={"width": viewport[0], "height": viewport[1]},
				locale="ru-RU",
				timezone_id="Europe/Moscow",
			)
			log_in(context, web, user)
			contexts[key, viewport] = context
		return contexts[key, viewport]

	yield context_for
	for context in contexts.values():
		context.close()


def log_in(context, base_url: str, user) -> None:
	"""The login form's own request (POST /api/method/login), in the browser context: its session cookie
	is the context's. (The login page itself would add a page load per user to every run.)"""
	response = context.request.post(
		f"{base_url}/api/method/login", form={"usr": user.email, "pwd": user.password}
	)
	assert response.ok, f"{user.email} cannot log in: {response.status} {response.text()[:300]}"


def forget_list_settings(email: str) -> None:
	"""Each flow starts from the lists as a user sees them first: the filters, sort and page size a list keeps
	for its user (Frappe's user settings, saved by an earlier flow) are forgotten."""
	import frappe

	frappe.db.sql("delete from `__UserSettings` where `user` = %s", email)
	frappe.db.commit()
	for key in frappe.cache.hkeys("_user_settings"):
		if (key.decode() if isinstance(key, bytes) else key).endswith(f"::{email}"):
			frappe.cache.hdel("_user_settings", key)


@pytest.fixture
def desk(request, logged_in, web, e2e_data):
	"""`desk("sales_user")`: a new page of that user's logged-in browser, as a `Desk` (`desk("sales_user", PHONE)`:
	on a phone's screen).

	After the flow: its screenshots and console log go to the report folder; a failed flow also gets a
	screenshot of every page it had open; a JavaScript error in the console fails the flow."""
	from tests.e2e.desk import Desk

	folder = run_folder() / request.node.name.replace("/", "_")
	desks = []
	shots = itertools.count(1)

	def open_desk(key: str, viewport: tuple[int, int] = LAPTOP) -> Desk:
		forget_list_settings(e2e_data.users[key].email)
		page = logged_in(key, viewport).new_page()
		name = key if viewport == LAPTOP else f"{key}-{viewport[0]}px"
		user_desk = Desk(page, web, name, folder, shots)
		desks.append(user_desk)
		return user_desk

	yield open_desk

	failed = getattr(request.node, "report_call", None) is not None and request.node.report_call.failed
	errors = []
	for user_desk in desks:
		folder.mkdir(parents=True, exist_ok=True)
		try:
			user_desk.snap("failure" if failed else "end")
		except Exception as error:  # a crashed page: keep its console log at least
			user_desk.console.append(f"[harness] no screenshot: {error}")
		(folder / f"{user_desk.user}-console.log").write_text("\n".join(user_desk.console) + "\n")
		errors += [f"{user_desk.user}: {error}" for error in user_desk.errors]
		user_desk.page.close()
	if failed:
		print(f"\ne2e: screenshots and console log of {request.node.name} in {folder}")
	if errors and not failed:
		pytest.fail("JavaScript errors in the console during the flow:\n" + "\n".join(errors))
