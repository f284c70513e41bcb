"""The servers a browser test needs, started by the harness for the test site and stopped after it.

* the web server: the bench's Python running Frappe's development server (`frappe serve`, werkzeug) on
  a free local port, for the test site only, serving the desk's built assets (`sites/assets`), with the
  environment scripts/dev-server gives it (`dev_server_env`: scripts/lib/dev-server.env, what `bench start`
  sets — DEV_SERVER makes the desk ask the realtime server on its own port);
* the realtime server: the bench's socket.io server (`node apps/frappe/socketio.js`) for the test site on
  a free port, which the site's config names for the run (`socketio_port`, read by the desk with the
  boot) — the desk asks it for its progress bars and background-job messages;
* a background worker (`frappe worker`), only for the flows that wait on a background job.

Each runs in its own process group, logs to a file in the run's report folder and is stopped (the
whole group) when the session ends.
"""

import json
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

START_TIMEOUT = 90  # seconds for a server to answer, on a busy 2-core machine
DEV_SERVER_ENV = Path(__file__).resolve().parents[2] / "scripts" / "lib" / "dev-server.env"


def dev_server_env() -> dict[str, str]:
	"""The environment scripts/dev-server gives the desk's processes (one file for both: they cannot drift)."""
	env = {}
	for line in DEV_SERVER_ENV.read_text().splitlines():
		line = line.strip()
		if line and not line.startswith("#"):
			key, _, value = line.partition("=")
			env[key.strip()] = value.strip()
	return env


class ServiceError(RuntimeError):
	pass


def free_port() -> int:
	with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
		sock.bind(("127.0.0.1", 0))
		return sock.getsockname()[1]


def port_is_open(port: int) -> bool:
	with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
		sock.settimeout(0.5)
		return sock.connect_ex(("127.0.0.1", port)) == 0


class Service:
	"""One server process (and its children), with its output in a log file."""

	def __init__(self, name: str, command: list[str], cwd: Path, log_dir: Path, env: dict | None = None):
		self.name = name
		self.command = command
		self.cwd = cwd
		self.log_path = log_dir / f"{name}.log"
		self.env = {**os.environ, **(env or {})}
		self.process: subprocess.Popen | None = None

	def start(self) -> "Service":
		self.log_path.parent.mkdir(parents=True, exist_ok=True)
		log = self.log_path.open("ab")
		self.process = subprocess.Popen(
			self.command,
			cwd=self.cwd,
			env=self.env,
			stdout=log,
			stderr=subprocess.STDOUT,
			stdin=subprocess.DEVNULL,
			start_new_session=True,  # its own process group: stop() ends it with its children
		)
		log.close()
		return self

	def check_alive(self) -> None:
		if self.process and self.process.poll() is not None:
			raise ServiceError(
				f"{self.name} exited with {self.process.returncode}; its log {self.log_path}:\n{self.tail()}"
			)

	def wait_until(self, ready, what: str, timeout: float = START_TIMEOUT) -> None:
		"""Poll `ready()` until it is true (a start-up wait, not a test's assertion)."""
		deadline = time.monotonic() + timeout
		while time.monotonic() < deadline:
			self.check_alive()
			if ready():
				return
			time.sleep(0.2)
		raise ServiceError(f"{self.name}: {what} within {timeout} s; its log {self.log_path}:\n{self.tail()}")

	def stop(self) -> None:
		if not self.process or self.process.poll() is not None:
			return
		try:
			os.killpg(self.process.pid, signal.SIGTERM)
			self.process.wait(timeout=15)
		except subprocess.TimeoutExpired:
			os.killpg(self.process.pid, signal.SIGKILL)
			self.process.wait(timeout=15)
		except ProcessLookupError:
			pass

	def tail(self, lines: int = 30) -> str:
		try:
			return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
		except FileNotFoundError:
			return "(no log)"


def _answers(url: str) -> bool:
	try:
		with urllib.request.urlopen(url, timeout=5) as response:
			return response.status == 200
	except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
		return False


def start_web_server(bench: Path, site: str, log_dir: Path) -> tuple[Service, str]:
	"""Frappe's development server for `site` on a free port; returns it and its base URL."""
	port = free_port()
	service = Service(
		"web",
		[
			str(bench / "env" / "bin" / "python"),
			"-m",
			"frappe.utils.bench_helper",
			"frappe",
			"--site",
			site,
			"serve",
			"--port",
			str(port),
			"--noreload",
		],
		cwd=bench / "sites",
		log_dir=log_dir,
		# as scripts/dev-server (and `bench start`) runs it: the desk then talks to the realtime server on its port
		env=dev_server_env(),
	).start()
	base_url = f"http://127.0.0.1:{port}"
	service.wait_until(lambda: _answers(f"{base_url}/api/method/ping"), f"no answer on {base_url}")
	return service, base_url


def socketio_port(bench: Path, site: str | None = None) -> int:
	"""The realtime server's port the desk asks for: the site's own `socketio_port`, else the bench's."""
	config = json.loads((bench / "sites" / "common_site_config.json").read_text())
	if site:
		config.update(json.loads((bench / "sites" / site / "site_config.json").read_text()))
	return int(config.get("socketio_port") or 9000)


class RealtimeServer(Service):
	"""The bench's socket.io server for the test site alone, on a port of its own: the site's config names
	that port for the run (the desk reads it with the boot) and loses it again when the server stops. The
	bench's own port may be another run's or scripts/dev-server's server, serving another site, and may
	stop in the middle of this run."""

	def stop(self) -> None:
		super().stop()
		from frappe.installer import update_site_config

		update_site_config("socketio_port", "None", site_config_path=str(self.site_config))


def start_realtime_server(bench: Path, site: str, log_dir: Path) -> Service:
	"""The bench's socket.io server (`node apps/frappe/socketio.js`) for the test site, on a free port."""
	from frappe.installer import update_site_config

	port = free_port()
	site_config = bench / "sites" / site / "site_config.json"
	update_site_config("socketio_port", port, site_config_path=str(site_config))
	node = os.environ.get("NODE", "node")
	service = RealtimeServer(
		"socketio",
		[node, str(bench / "apps" / "frappe" / "socketio.js")],
		cwd=bench,
		log_dir=log_dir,
		# its port; and the site of the pages on 127.0.0.1 (it takes the site from the page's host name)
		env={"FRAPPE_SOCKETIO_PORT": str(port), "FRAPPE_SITE": site},
	)
	service.site_config = site_config
	service.start()
	try:
		service.wait_until(lambda: port_is_open(port), f"not listening on port {port}")
	except ServiceError:
		service.stop()
		raise
	return service


def start_worker(bench: Path, log_dir: Path, queues: str = "long") -> Service:
	"""A background worker for the bench (the bulk Lead action queues its job on `long`)."""
	return Service(
		"worker",
		[
			str(bench / "env" / "bin" / "python"),
			"-m",
			"frappe.utils.bench_helper",
			"frappe",
			"worker",
			"--queue",
			queues,
		],
		cwd=bench / "sites",
		log_dir=log_dir,
		env=dev_server_env(),
	).start()
