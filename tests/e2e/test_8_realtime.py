"""The desk's realtime connection comes up, with the web server started as scripts/dev-server starts it.

Both take the desk processes' environment from scripts/lib/dev-server.env (what `bench start` sets). Without
DEV_SERVER the desk looks for the realtime server on the web server's own port: every page polls
`/socket.io/?EIO=4&transport=polling` there and gets 404, and progress bars and live updates never arrive.
"""

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.conftest import BENCH, REPO, SITE
from tests.e2e import services

CONNECTED = "() => !!(frappe.realtime.socket && frappe.realtime.socket.connected)"


def test_the_dev_server_and_the_harness_share_bench_starts_environment():
	env = services.dev_server_env()
	assert env.get("DEV_SERVER") in ("1", "true"), env
	dev_server = (REPO / "scripts" / "dev-server").read_text()
	assert 'source "$repo/scripts/lib/dev-server.env"' in dev_server


def test_the_desks_realtime_connection_comes_up(desk, e2e_data):
	me = desk("sales_user")
	on_the_web_port = []
	me.page.on(
		"response",
		lambda response: (
			"/socket.io/" in response.url
			and response.url.startswith(me.base_url)
			and on_the_web_port.append(f"{response.status} {response.url}")
		),
	)
	me.open("/app/client")
	me.wait_for_list("Client")
	port = services.socketio_port(BENCH, SITE)
	try:
		# the desk's own socket, connected to the realtime server (a failing one stays false, retrying)
		me.page.wait_for_function(CONNECTED)
	except PlaywrightTimeout:
		me.snap("realtime-not-connected")
		pytest.fail(
			f"the desk's realtime socket did not connect ({me.js('() => frappe.realtime.get_host()')}); "
			f"requests for /socket.io on the web server: {on_the_web_port[:3]}; the realtime server's port: {port}"
		)
	assert f":{port}/" in me.js("() => frappe.realtime.get_host()")
	assert not on_the_web_port, f"the desk asked the web server for realtime: {on_the_web_port[:3]}"
	me.snap("realtime-connected")
