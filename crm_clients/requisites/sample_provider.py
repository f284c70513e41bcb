"""A local SAMPLE of DaData's party API — not the register: its organisations are made up (sample data; their
ИНН check digits are valid), for the dev server (scripts/dev-server) and the tests. Nothing here is real.

    python -m crm_clients.requisites.sample_provider --port 8765 [--key KEY] [--mode ok|quota|error|slow|busy]

It answers `POST <prefix>/findById/party` and `POST <prefix>/suggest/party` (any prefix: the settings' base URL
is `http://127.0.0.1:PORT/suggestions/api/4_1/rs`, as DaData's) with the JSON of `sample_data/`, and DaData's
errors: 401 without the key (`Authorization: Token KEY`), 403 when the daily quota is spent, 429, 5xx, a slow
answer. The sample organisations, by ИНН:

- 7701234560 ООО «РОМАШКА»: its head office in Moscow (КПП 770101001, director Петров Пётр Сергеевич) and a
  branch in Kazan (КПП 165501001);
- 770123456703 ИП Иванова Мария Александровна: an individual entrepreneur;
- 5001007329 АО «СТАРЫЙ ЗАВОД»: a liquidated company;
- any other valid ИНН: nothing found.

The module needs the standard library only (the server) — `use_on_site` alone imports Frappe.
"""

import argparse
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

DATA = Path(__file__).parent / "sample_data"
PREFIX = "/suggestions/api/4_1/rs"  # DaData's path; any other prefix is answered the same
SAMPLE_KEY = "sample-provider-key"  # the placeholder key the dev server's site gets
COMPANY_INN = "7701234560"  # a head office and a branch
COMPANY_KPP, BRANCH_KPP = "770101001", "165501001"
INDIVIDUAL_INN = "770123456703"
LIQUIDATED_INN = "5001007329"
FILES = {
	COMPANY_INN: "party-company-branches.json",
	INDIVIDUAL_INN: "party-individual.json",
	LIQUIDATED_INN: "party-liquidated.json",
}
MODES = ("ok", "quota", "error", "slow", "busy")
SLOW_SECONDS = 2.5
MAX_COUNT = 20  # DaData's most suggestions in one answer


def answer(name: str) -> dict:
	"""One of the response files (a fresh copy)."""
	return json.loads((DATA / name).read_text(encoding="utf-8"))


class SampleRegister:
	"""What the sample provider answers, and the requests it got (the tests read them and set `mode`).

	`mode`: "ok"; "quota" (403, DaData's daily limit); "error" (500); "busy" (429); "slow" (answers after
	`SLOW_SECONDS`). `quota_after`: answer 403 after that many requests. `key`: the API key it accepts (None:
	any)."""

	def __init__(self, key: str | None = None, mode: str = "ok"):
		self.key = key
		self.mode = mode
		self.quota_after: int | None = None
		self.requests: list[dict] = []
		self.lock = threading.Lock()

	# the organisations

	def organisations(self, query: str) -> list[dict]:
		"""`findById/party`: the suggestions of an ИНН or ОГРН (head office and branches)."""
		if query in FILES:
			return answer(FILES[query])["suggestions"]
		return [item for item in self.all_organisations() if item["data"].get("ogrn") == query]

	def all_organisations(self) -> list[dict]:
		return [item for name in FILES.values() for item in answer(name)["suggestions"]]

	# the protocol

	def respond(self, method: str, path: str, headers, body: bytes) -> tuple[int, str, str]:
		"""(status, content type, body) of one request."""
		if method != "POST":
			return error(405, "Method Not Allowed", "Use POST")
		endpoint = next(
			(name for name in ("findById/party", "suggest/party") if path.endswith("/" + name)), None
		)
		if not endpoint:
			return error(404, "Not Found", f"No method {path}")
		token = (headers.get("Authorization") or "").removeprefix("Token ").strip()
		if not token or (self.key is not None and token != self.key):
			return error(401, "Unauthorized", "Zero or invalid API key")
		try:
			payload = json.loads(body or b"{}")
		except ValueError:
			return error(400, "Bad Request", "The body is not JSON")
		if not isinstance(payload, dict) or not str(payload.get("query") or "").strip():
			return error(400, "Bad Request", "query is required")
		with self.lock:
			self.requests.append({"path": path, **payload})
			count = len(self.requests)
		if self.mode == "quota" or (self.quota_after is not None and count > self.quota_after):
			return 403, "application/json", (DATA / "quota-spent.json").read_text(encoding="utf-8")
		if self.mode == "error":
			return 500, "text/html", "<html><body>Internal Server Error</body></html>"
		if self.mode == "busy":
			return error(429, "Too Many Requests", "Too many requests per second")
		if self.mode == "slow":
			time.sleep(SLOW_SECONDS)
		found = self.find(payload) if endpoint == "findById/party" else self.suggest(payload)
		count = min(int(payload.get("count") or 10), MAX_COUNT)
		return 200, "application/json", json.dumps({"suggestions": found[:count]}, ensure_ascii=False)

	def find(self, payload: dict) -> list[dict]:
		items = self.organisations(str(payload["query"]).strip())
		return filtered(items, payload)

	def suggest(self, payload: dict) -> list[dict]:
		"""Organisations whose name contains the query's words, or whose ИНН/ОГРН starts with it."""
		query = " ".join(str(payload["query"]).lower().split())
		found = []
		for item in self.all_organisations():
			data = item["data"]
			names = " ".join(
				filter(
					None,
					(item.get("value"), item.get("unrestricted_value"), (data.get("name") or {}).get("full")),
				)
			).lower()
			if all(word in names for word in query.split()) or any(
				(data.get(key) or "").startswith(query) for key in ("inn", "ogrn")
			):
				found.append(item)
		return filtered(found, payload)


def filtered(items: list[dict], payload: dict) -> list[dict]:
	"""DaData's filters of both methods: `kpp`, `branch_type`, `type`, `status`."""
	if payload.get("kpp"):
		items = [item for item in items if item["data"].get("kpp") == payload["kpp"]]
	if payload.get("branch_type"):
		items = [item for item in items if item["data"].get("branch_type") in (payload["branch_type"], None)]
	if payload.get("type"):
		items = [item for item in items if item["data"].get("type") == payload["type"]]
	if payload.get("status"):
		items = [item for item in items if item["data"]["state"]["status"] in payload["status"]]
	return items


def error(status: int, reason: str, message: str) -> tuple[int, str, str]:
	return (
		status,
		"application/json",
		json.dumps({"family": "CLIENT_ERROR", "reason": reason, "message": message}),
	)


# The server


def make_handler(register: SampleRegister, quiet: bool):
	class Handler(BaseHTTPRequestHandler):
		server_version = "crm-clients-sample-provider"

		def handle_request(self, method: str) -> None:
			length = int(self.headers.get("Content-Length") or 0)
			body = self.rfile.read(length) if length else b""
			status, content_type, text = register.respond(method, self.path, self.headers, body)
			data = text.encode("utf-8")
			try:
				self.send_response(status)
				self.send_header("Content-Type", f"{content_type}; charset=utf-8")
				self.send_header("Content-Length", str(len(data)))
				self.send_header("X-Sample-Data", "not the register: made-up organisations")
				self.end_headers()
				self.wfile.write(data)
			except (BrokenPipeError, ConnectionResetError):  # the app gave up waiting (its timeout)
				pass

		def do_POST(self):
			self.handle_request("POST")

		def do_GET(self):
			self.handle_request("GET")

		def log_message(self, format, *args):
			if not quiet:
				super().log_message(format, *args)

	return Handler


class SampleServer(ThreadingHTTPServer):
	daemon_threads = True

	def handle_error(self, request, client_address):
		if not isinstance(sys.exc_info()[1], BrokenPipeError | ConnectionResetError):
			super().handle_error(request, client_address)


def serve(
	register: SampleRegister, port: int = 0, host: str = "127.0.0.1", quiet: bool = True
) -> SampleServer:
	"""The sample provider in a thread of this process (the tests'); `server.url` is its base URL, DaData's
	path on it; `server.shutdown()` stops it."""
	server = SampleServer((host, port), make_handler(register, quiet))
	server.register = register
	server.url = f"http://{host}:{server.server_address[1]}{PREFIX}"
	threading.Thread(target=server.serve_forever, name="sample-provider", daemon=True).start()
	return server


def main(argv: list[str] | None = None) -> None:
	parser = argparse.ArgumentParser(
		prog="python -m crm_clients.requisites.sample_provider",
		description="A local sample of DaData's party API (made-up organisations, not the register).",
	)
	parser.add_argument("--port", type=int, default=8765, help="0: a free port (printed)")
	parser.add_argument("--host", default="127.0.0.1")
	parser.add_argument("--key", default=None, help="the API key it accepts (default: any)")
	parser.add_argument("--mode", choices=MODES, default="ok", help="answer every request so (errors)")
	args = parser.parse_args(argv)
	server = SampleServer((args.host, args.port), make_handler(SampleRegister(args.key, args.mode), False))
	url = f"http://{args.host}:{server.server_address[1]}{PREFIX}"
	print(
		f"Sample provider (DaData's party API, made-up organisations: NOT the register) on {url}\n"
		f"  sample ИНН: {COMPANY_INN} (head office and a branch), {INDIVIDUAL_INN} (individual "
		f"entrepreneur), {LIQUIDATED_INN} (liquidated)",
		flush=True,
	)
	try:
		server.serve_forever()
	except KeyboardInterrupt:
		pass
	finally:
		server.server_close()


# The site


def use_on_site(url: str, key: str = SAMPLE_KEY) -> bool:
	"""Point the site's CRM Clients Settings at a sample provider: its URL, a placeholder key, enabled, marked
	as sample data. A real provider set up by hand (a key, not marked as sample data) is kept: False then.
	For `bench --site SITE execute crm_clients.requisites.sample_provider.use_on_site --kwargs
	"{'url': URL}"` (scripts/dev-server), which commits."""
	import frappe

	from crm_clients.requisites import provider

	settings = frappe.get_doc(provider.SETTINGS)
	has_key = bool(settings.get_password("requisites_api_key", raise_exception=False))
	if has_key and not settings.requisites_sample_data:
		return False
	settings.update(
		{
			"requisites_enabled": 1,
			"requisites_url": url,
			"requisites_api_key": key,
			"requisites_sample_data": 1,
			"requisites_quota_spent_on": None,
		}
	)
	settings.save()
	return True


if __name__ == "__main__":
	main()
