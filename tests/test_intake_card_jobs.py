"""Business-card photos recognised by a background job, on a real site with real processes: the job (run by
`frappe worker --burst` on the bench's queue) gives the card the request gives; a recognition longer than
the site config's limit fails with a message naming it; a slow photo being recognised leaves the web server
(gunicorn with one sync worker, as a small production bench runs it) free to answer; the synchronous API is
limited per user; a Stock User is refused over REST."""

import contextlib
import io
import json
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.conftest import skip_module_without_frappe

skip_module_without_frappe()

import frappe
import psutil
import requests
from frappe.installer import update_site_config
from frappe.utils.background_jobs import get_redis_connection_without_auth

from crm_clients import api
from crm_clients.intake import business_cards, ocr
from tests import fixtures, http
from tests.business_card_images import card_specs, render, write_cards
from tests.conftest import BENCH, SITE
from tests.e2e import services
from tests.intake_helpers import counts, realtime_events, upload_fixture  # the `upload` fixture

pytestmark = [
	pytest.mark.usefixtures("site"),
	pytest.mark.skipif(
		not ocr.is_available(),
		reason="Tesseract OCR with rus and eng is not installed (scripts/lib/bench.sh)",
	),
]
PYTHON = str(BENCH / "env" / "bin" / "python")
TOO_SLOW = (
	"Recognising the photo took longer than the limit of {0} seconds and was stopped; nothing was saved. Try a "
	"smaller or sharper photo."
)
WAIT = 240  # seconds for a job on a busy 2-core machine (other sites' jobs may share the bench's queue)


@pytest.fixture(scope="module")
def cards(tmp_path_factory):
	return write_cards(tmp_path_factory.mktemp("business-cards"))


@pytest.fixture
def committed_photo(upload, committed):
	"""committed_photo(name, content, user) → the file_url of a private File uploaded by `user` (Administrator
	by default), committed for other processes to read."""

	def make(name: str, content: bytes, user: str = "Administrator") -> str:
		frappe.set_user(user)
		try:
			file_url = upload(name, content)
		finally:
			frappe.set_user("Administrator")
		committed.add(frappe.get_doc("File", {"file_url": file_url}))
		frappe.db.commit()
		return file_url

	return make


@contextlib.contextmanager
def site_config(key: str, value):
	"""The site's config (site_config.json, which every request and job reads) with `key` set, then removed."""
	update_site_config(key, value)
	try:
		yield
	finally:
		update_site_config(key, "None")
		frappe.local.conf.pop(key, None)


def start_worker(log_dir: Path) -> services.Service:
	"""A real worker on the app's queue, in burst mode: it runs what is queued, then exits."""
	return services.Service(
		"worker",
		[
			PYTHON,
			"-m",
			"frappe.utils.bench_helper",
			"frappe",
			"worker",
			"--queue",
			business_cards.QUEUE,
			"--burst",
		],
		cwd=BENCH / "sites",
		log_dir=log_dir,
		env={"PYTHONUNBUFFERED": "1"},
	).start()


def run_queued_jobs(log_dir: Path) -> None:
	worker = start_worker(log_dir)
	try:
		worker.process.wait(timeout=WAIT)
	finally:
		worker.stop()
	assert worker.process.returncode == 0, worker.tail()


def slow_photo() -> bytes:
	"""Twenty-five cards on one sheet (5250 × 3000 px): Tesseract needs about ten seconds for it."""
	from PIL import Image

	specs = card_specs()
	sheet = Image.new("RGB", (1050 * 5, 600 * 5), "white")
	for index in range(25):
		sheet.paste(render(specs[index % len(specs)]), ((index % 5) * 1050, (index // 5) * 600))
	content = io.BytesIO()
	sheet.save(content, "PNG")
	return content.getvalue()


def test_the_job_gives_the_card_the_request_gives(site, committed_photo, cards, tmp_path):
	_spec, path = cards[0]  # ООО «Ромашка», Петров Иван Сергеевич, ИНН 7707083893
	file_url = committed_photo(path.name, path.read_bytes())
	in_the_request = api.scan_business_card(file_url)

	started = api.start_business_card_scan(file_url)
	frappe.db.commit()  # the job is queued once the request commits
	_nothing, events = realtime_events(lambda: run_queued_jobs(tmp_path))

	result = api.get_business_card_scan(started["job"])
	assert result["status"] == "done", result
	assert result["card"] == in_the_request
	assert result["card"]["client_name"] == "ООО «Ромашка»"
	# the desk was shown the progress and told the job ended (realtime, to this user)
	events = [event for event in events if event["namespace"] == SITE]
	progress = [event["message"]["percent"] for event in events if event["event"] == "progress"]
	assert progress and progress == sorted(progress) and progress[-1] == 100
	assert {"job": started["job"], "status": "done"} in [
		event["message"] for event in events if event["event"] == business_cards.DONE_EVENT
	]
	# the result is the user's own
	frappe.set_user(fixtures.SALES_USER)
	assert api.get_business_card_scan(started["job"])["status"] == "failed"


def test_a_photo_slower_than_the_limit_fails_naming_the_limit(site, committed_photo, cards, tmp_path):
	_spec, path = cards[2]
	file_url = committed_photo(path.name, path.read_bytes(), fixtures.SALES_USER)
	token = fixtures.api_credentials(fixtures.SALES_USER)
	frappe.db.commit()
	before = counts()

	with site_config(ocr.TIMEOUT_CONFIG, 0.05):
		assert ocr.time_limit() == 0.05
		# in the background
		started = api.start_business_card_scan(file_url)
		frappe.db.commit()
		run_queued_jobs(tmp_path)
		result = api.get_business_card_scan(started["job"])
		# in the request, over REST
		status, body = http.call(
			SITE,
			"POST",
			"/api/method/crm_clients.api.scan_business_card",
			{"file_url": file_url},
			token,
		)

	assert result["status"] == "failed" and "card" not in result
	assert "0.05" in result["error"], result
	expected = message_as_read_by(fixtures.SALES_USER, TOO_SLOW)
	assert status == 417, body
	messages = " ".join(json.loads(m)["message"] for m in json.loads(body["_server_messages"]))
	assert "0.05" in messages and expected in messages, messages
	frappe.db.rollback()
	assert counts() == before  # nothing saved


def message_as_read_by(user: str, message: str) -> str:
	"""The start of `message` (up to its first placeholder) in `user`'s language."""
	from frappe.translate import get_user_lang

	return frappe._(message, lang=get_user_lang(user)).split("{0}")[0].strip()


def rest(base_url: str, method: str, path: str, data: dict | None = None, token=None, timeout=120):
	"""One request to the web server; returns (status, json, seconds it took)."""
	headers = {"Host": SITE, "Accept": "application/json"}
	if token:
		headers["Authorization"] = f"token {token[0]}:{token[1]}"
	started = time.monotonic()
	response = requests.request(
		method,
		base_url + path,
		params=data if method == "GET" else None,
		data=data if method != "GET" else None,
		headers=headers,
		timeout=timeout,
	)
	return response.status_code, response.json(), time.monotonic() - started


def start_gunicorn(log_dir: Path) -> tuple[services.Service, str]:
	"""Frappe's production web server with a single synchronous worker: one request at a time."""
	port = services.free_port()
	web = services.Service(
		"gunicorn",
		[
			str(BENCH / "env" / "bin" / "gunicorn"),
			"--bind",
			f"127.0.0.1:{port}",
			"--workers",
			"1",
			"--worker-class",
			"sync",
			"--timeout",
			"120",
			"frappe.app:application",
			"--preload",
		],
		cwd=BENCH / "sites",
		log_dir=log_dir,
	).start()
	base_url = f"http://127.0.0.1:{port}"

	def answers() -> bool:
		try:
			return rest(base_url, "GET", "/api/method/ping", timeout=5)[0] == 200
		except requests.RequestException:
			return False

	web.wait_until(answers, f"no answer on {base_url}")
	return web, base_url


def tesseract_runs_under(process: psutil.Process) -> bool:
	return any("tesseract" in child.name() for child in process.children(recursive=True))


def test_a_slow_photo_leaves_the_web_server_free(site, committed_photo, tmp_path):
	file_url = committed_photo("slow-card.png", slow_photo(), fixtures.SALES_USER)
	token = fixtures.api_credentials(fixtures.SALES_USER)
	frappe.db.commit()
	web, base_url = start_gunicorn(tmp_path)
	server = psutil.Process(web.process.pid)
	try:
		# the desk's way: the request only queues the job
		status, body, took = rest(
			base_url,
			"POST",
			"/api/method/crm_clients.api.start_business_card_scan",
			{"file_url": file_url},
			token,
		)
		assert status == 200 and took < 5, (status, body, took)
		job = body["message"]["job"]
		worker = start_worker(tmp_path)
		try:
			state = lambda: rest(  # noqa: E731
				base_url, "GET", "/api/method/crm_clients.api.get_business_card_scan", {"job": job}, token
			)[1]["message"]["status"]
			worker.wait_until(lambda: state() == "started", "the job did not start", timeout=WAIT)
			status, _body, ping_took = rest(base_url, "GET", "/api/method/ping")
			still = state()
			worker.process.wait(timeout=WAIT)
		finally:
			worker.stop()
		assert status == 200 and ping_took < 2, ping_took
		assert still == "started"  # the photo was still being recognised while the server answered
		assert (
			rest(base_url, "GET", "/api/method/crm_clients.api.get_business_card_scan", {"job": job}, token)[
				1
			]["message"]["status"]
			== "done"
		)

		# the same photo recognised in the request holds the only web worker: another request waits
		with ThreadPoolExecutor(1) as pool:
			scan = pool.submit(
				rest,
				base_url,
				"POST",
				"/api/method/crm_clients.api.scan_business_card",
				{"file_url": file_url},
				token,
			)
			web.wait_until(
				lambda: tesseract_runs_under(server), "no recognition in the web server", timeout=60
			)
			status, _body, blocked_ping_took = rest(base_url, "GET", "/api/method/ping")
			assert scan.result()[0] == 200
		print(
			f"\nstart_business_card_scan answered in {took:.2f} s; a request during the job's recognition in "
			f"{ping_took:.2f} s; during a recognition in the request in {blocked_ping_took:.2f} s"
		)
		assert blocked_ping_took > 2 * ping_took and blocked_ping_took > 1, (blocked_ping_took, ping_took)
	finally:
		web.stop()
		frappe.cache.delete(frappe.cache.make_key(f"crm_clients_card_scans:{fixtures.SALES_USER}"))


def test_scanning_in_the_request_is_limited_per_user(site, committed_photo):
	not_a_photo = committed_photo("card.csv", b"a,b\n", fixtures.SALES_USER)
	token = fixtures.api_credentials(fixtures.SALES_USER)
	frappe.db.commit()
	key = frappe.cache.make_key(f"crm_clients_card_scans:{fixtures.SALES_USER}")
	frappe.cache.delete(key)
	path = "/api/method/crm_clients.api.scan_business_card"
	try:
		with site_config(business_cards.SCANS_PER_MINUTE_CONFIG, 2):
			statuses = [http.call(SITE, "POST", path, {"file_url": not_a_photo}, token)[0] for _ in range(3)]
			started = http.call(
				SITE,
				"POST",
				"/api/method/crm_clients.api.start_business_card_scan",
				{"file_url": not_a_photo},
				token,
			)[0]
	finally:
		frappe.cache.delete(key)
	assert statuses == [417, 417, 429]  # not a photo, not a photo, too many
	assert started == 429  # the background way counts as well


def test_a_stock_user_is_refused_over_rest(site, committed_photo, cards):
	_spec, path = cards[0]
	file_url = committed_photo(path.name, path.read_bytes())
	token = fixtures.api_credentials(fixtures.NO_CRM_ROLE)
	frappe.db.commit()
	for method, name, data in (
		("POST", "scan_business_card", {"file_url": file_url}),
		("POST", "start_business_card_scan", {"file_url": file_url}),
		("GET", "get_business_card_scan", {"job": "crm_clients_card_x"}),
	):
		query = f"?job={data['job']}" if method == "GET" else ""
		status, body = http.call(
			SITE,
			method,
			f"/api/method/crm_clients.api.{name}{query}",
			data if method == "POST" else None,
			token,
		)
		assert status == 403, (name, body)
