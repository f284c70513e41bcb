"""Real HTTP requests to the site's WSGI application (Frappe's own app object, on its own thread and connection)."""

import threading

from werkzeug.test import Client


def call(site: str, method: str, path: str, data: dict | None = None, token: tuple[str, str] | None = None):
	"""Send one request to the site as the token's user (Guest without one); returns (status, json)."""
	from frappe.app import application

	headers = {"Host": site, "Accept": "application/json"}
	if token:
		headers["Authorization"] = f"token {token[0]}:{token[1]}"
	result = {}

	def run():
		response = Client(application).open(path, method=method, headers=headers, data=data)
		result["status"] = response.status_code
		result["json"] = response.get_json(silent=True) or {}

	thread = threading.Thread(target=run)
	thread.start()
	thread.join(timeout=120)
	return result["status"], result["json"]
