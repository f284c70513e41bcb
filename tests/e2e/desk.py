"""A person at the ERPNext desk, in a Playwright page: what they do, what they see, what they wait for.

The helpers act as a user does — click into a field and type, pick from the dropdown, press Ctrl+S,
open a menu — and wait on the desk's own signals, never on a fixed time:

* *idle*: no request in flight (`frappe.request.ajax_count`), no freeze (`frappe.dom.freeze_count`),
  no save running (`frappe.ui.form.is_saving`);
* *form loaded*: the page shown is the form of that document (`cur_frm`), rendered and idle;
* *list loaded*: the page shown is that list (`cur_list`) and its rows are rendered.

Every JavaScript error in the page's console (and every uncaught exception) is recorded; the desk checks
after each wait that none happened, so a flow fails at the step that broke it. A step that expects an
error the browser logs itself (an HTTP 417 for refused input) says so with `expect_console_errors`.
"""

import itertools
import re
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Locator, Page, expect

TIMEOUT = 30_000  # ms: the longest any single step may take on a busy 2-core machine


def desk_routes() -> str:
	"""Where the desk's routes start: `/app` up to Frappe 15, `/desk` from Frappe 16."""
	import frappe

	return "/desk" if int(frappe.__version__.split(".")[0]) >= 16 else "/app"


DESK = desk_routes()

IDLE = """() => !!(window.frappe && frappe.request && frappe.dom)
	&& frappe.request.ajax_count === 0
	&& frappe.dom.freeze_count === 0
	&& !(frappe.ui.form && frappe.ui.form.is_saving)"""

FORM_LOADED = """([doctype, name]) => {
	const frm = window.cur_frm;
	return !!(frm && frm.doctype === doctype && frm.doc && frm.doc.doctype === doctype
		&& (name === null ? true : name === "__new__" ? frm.is_new() : frm.doc.name === name)
		&& frappe.get_route_str().startsWith("Form/" + doctype)
		&& $(frm.wrapper).is(":visible") && !frm.$wrapper.find(".form-layout").is(":empty"))
		&& frappe.request.ajax_count === 0 && frappe.dom.freeze_count === 0
		&& !frappe.ui.form.is_saving;
}"""

LIST_LOADED = """([doctype, view]) => {
	const list = window.cur_list;
	return !!(list && list.doctype === doctype && list.view_name === view
		&& frappe.get_route_str().startsWith(`List/${doctype}/${view}`)
		&& list.$result && list.$result.is(":visible") && list.data !== undefined
		&& !list.$result.find(".list-loading").length)
		&& frappe.request.ajax_count === 0 && frappe.dom.freeze_count === 0;
}"""


WORKSPACE_LOADED = """(name) => {
	if (!(window.frappe && frappe.get_route_str && frappe.get_route_str() === "Workspaces/" + name)) return false;
	const page = $("#body .page-container:visible");
	if (!page.find(".layout-main-section .widget").length) return false;
	// each chart has fetched its data and drawn it (or says it has none): drawing into a page that is
	// no longer shown makes frappe-charts log errors
	const charts_done = page.find(".dashboard-widget-box").toArray().every((chart) => {
		const body = $(chart).find(".widget-body");
		return !body.children(".chart-loading-state").first().is(":visible")
			&& (body.find(".frappe-chart").length > 0 || body.children(".chart-loading-state").last().is(":visible"));
	});
	return charts_done && frappe.request.ajax_count === 0 && frappe.dom.freeze_count === 0;
}"""


# The one kind of console error a flow tolerates, because Frappe v15 makes it on any workspace with charts:
# the workspace page is shown twice while it loads (views/workspace/workspace.js: the page's "show" event
# and its own set-up both call show()), and frappe-charts then draws the first, already detached, copy of
# each chart — the browser reports the SVG sizes computed from no width (NaN, negative), and the chart's
# resize observer fails to remove its old drawing. Nothing of the app's runs there; anything else fails.
FRAPPE_CHARTS_RACE = (
	re.compile(r"^Error: <(svg|rect|path|line|text|g|circle)> attribute [\w-]+: (Expected|A negative value)"),
	re.compile(r"Failed to execute 'removeChild' on 'Node'(.|\n)*ResizeObserver\.boundDrawFn"),
)


# Frappe 16's list in any language but English: «×» beside «Фильтр» also resets the label of the «Сохранённые
# фильтры» menu, which it looks for by its English label (list/list_filter.js, update_active_filter_label) and does
# not find — an uncaught TypeError; the filters are cleared all the same. Nothing of the app's runs there.
FRAPPE_16_SAVED_FILTERS_LABEL = re.compile(
	r"Cannot set properties of undefined \(setting 'textContent'\)(.|\n)*update_active_filter_label"
)


class ConsoleErrors(AssertionError):
	pass


class Desk:
	def __init__(self, page: Page, base_url: str, user: str, folder: Path, shots=None):
		self.page = page
		self.base_url = base_url
		self.user = user
		self.folder = folder
		self.console: list[str] = []  # every console message, for the report
		self.errors: list[str] = []  # JavaScript errors not expected by the flow
		self._expected: list[re.Pattern] = []
		self._shots = shots or itertools.count(1)  # shared by the desks of one flow: one sequence of pictures
		page.set_default_timeout(TIMEOUT)
		page.on("console", self._on_console)
		page.on("pageerror", self._on_page_error)

	# --- the console ----------------------------------------------------------------------------------

	def _on_console(self, message) -> None:
		location = message.location or {}
		text = f"[{message.type}] {message.text}"
		if location.get("url"):
			text += f"  ({location['url']}:{location.get('lineNumber')})"
		if message.type == "error":
			self._error(text, message.text)
		else:
			self.console.append(text)

	def _on_page_error(self, error) -> None:
		details = f"{error}\n{getattr(error, 'stack', '') or ''}".rstrip()
		self._error(f"[uncaught] {details}", details)

	def _error(self, text: str, message: str) -> None:
		if any(pattern.search(message) for pattern in FRAPPE_CHARTS_RACE):
			self.console.append(f"[tolerated: Frappe's workspace chart race] {text}")
		elif FRAPPE_16_SAVED_FILTERS_LABEL.search(message):
			self.console.append(f"[tolerated: Frappe 16's saved-filters label] {text}")
		elif any(pattern.search(message) for pattern in self._expected):
			self.console.append(f"[expected by the flow] {text}")
		else:
			self.console.append(text)
			self.errors.append(text)

	@contextmanager
	def expect_console_errors(self, *patterns: str):
		"""Console errors matching these patterns are part of the step (e.g. the browser's own line for
		an HTTP 417 when the server refuses input); any other error still fails the flow."""
		compiled = [re.compile(pattern) for pattern in patterns]
		self._expected.extend(compiled)
		try:
			yield
		finally:
			for pattern in compiled:
				self._expected.remove(pattern)

	def expect_refusal(self, text: str):
		"""The server refuses the input (HTTP 417): the browser logs the response's status, and Frappe logs
		the server's traceback, whose last line carries the message — with `text` in it."""
		return self.expect_console_errors(
			r"the server responded with a status of 417",
			rf"^Traceback \(most recent call last\)(.|\n)*\n[\w.]+(Error|Exception): .*{re.escape(text)}",
		)

	def check_console(self) -> None:
		if self.errors:
			raise ConsoleErrors("JavaScript errors in the console:\n" + "\n".join(self.errors))

	# --- waiting on the desk's signals ----------------------------------------------------------------

	def idle(self) -> "Desk":
		self.page.wait_for_function(IDLE)
		self.check_console()
		return self

	def wait_for_form(self, doctype: str, name: str | None = None) -> "Desk":
		"""The form of `doctype` (its document `name`, "__new__" for a new one, or any) is shown and idle."""
		self.page.wait_for_function(FORM_LOADED, arg=[doctype, name])
		self.check_console()
		return self

	def wait_for_saved(self, doctype: str) -> str:
		"""The form shows its document saved (no longer new, nothing unsaved); returns the document's name."""
		self.page.wait_for_function(
			"""(doctype) => window.cur_frm && cur_frm.doctype === doctype && !cur_frm.is_new()
				&& !cur_frm.is_dirty() && frappe.get_route_str() === `Form/${doctype}/${cur_frm.doc.name}`
				&& frappe.request.ajax_count === 0 && frappe.dom.freeze_count === 0 && !frappe.ui.form.is_saving""",
			arg=doctype,
		)
		self.check_console()
		return self.js("() => cur_frm.doc.name")

	def wait_for_list(self, doctype: str, view: str = "List") -> "Desk":
		self.page.wait_for_function(LIST_LOADED, arg=[doctype, view])
		self.check_console()
		return self

	def wait_for_workspace(self, name: str) -> "Desk":
		"""The workspace is shown with its charts drawn."""
		self.page.wait_for_function(WORKSPACE_LOADED, arg=name)
		self.check_console()
		return self

	def wait_for_route(self, prefix: str) -> "Desk":
		self.page.wait_for_function(
			"(prefix) => window.frappe && frappe.get_route_str && frappe.get_route_str().startsWith(prefix)",
			arg=prefix,
		)
		return self.idle()

	def js(self, expression: str, arg=None):
		"""Read what the desk holds (a value of the open form, the route): for assertions, never to act."""
		return self.page.evaluate(expression, arg)

	# --- going places -----------------------------------------------------------------------------------

	def open(self, path: str) -> "Desk":
		"""Type an address into the browser (or follow a bookmark). The flows write desk addresses as Frappe 15
		does (`/app/…`); on Frappe 16 they start with `/desk`."""
		if path == "/app" or path.startswith("/app/"):
			path = DESK + path[len("/app") :]
		self.page.goto(self.base_url + path)
		self.page.wait_for_function(
			"() => window.frappe && frappe.boot && frappe.container && frappe.container.page"
		)
		return self.idle()

	def open_form(self, doctype: str, name: str) -> "Desk":
		self.open(f"/app/{slug(doctype)}/{name}")
		return self.wait_for_form(doctype, name)

	def open_list(self, doctype: str) -> "Desk":
		self.open(f"/app/{slug(doctype)}")
		return self.wait_for_list(doctype)

	def reload(self) -> "Desk":
		self.page.reload()
		self.page.wait_for_function(
			"() => window.frappe && frappe.boot && frappe.container && frappe.container.page"
		)
		return self.idle()

	# --- the page on screen -----------------------------------------------------------------------------

	@property
	def main(self) -> Locator:
		"""The page shown (the desk keeps the pages visited before, hidden)."""
		return self.page.locator("#body .page-container:visible")

	def title(self) -> Locator:
		"""The page's title: its heading (Frappe 15), the last step of its breadcrumbs (Frappe 16, which has no
		heading: «Маркетинг / Клиент / Новый Клиент»)."""
		if DESK == "/desk":
			return self.page.locator(".navbar-breadcrumbs:visible li:visible").last
		return self.main.locator(".page-head .title-text")

	def indicator(self) -> Locator:
		return self.main.locator(".page-head .indicator-pill:visible").first

	def button(self, label: str) -> Locator:
		"""A button of the page's toolbar (primary, custom or workflow), by its exact text."""
		return self.main.locator(".page-head").get_by_role("button", name=label, exact=True)

	def menu_item(self, menu: str, item: str) -> Locator:
		"""Open a toolbar menu (e.g. «Действия») and return one of its items."""
		self.button(menu).click()
		return self.main.locator(".page-head .dropdown-menu.show").get_by_text(item, exact=True)

	def dialog(self) -> Locator:
		"""The dialog on top (a message, a confirmation, a form dialog)."""
		return self.page.locator(".modal.show .modal-dialog").last

	def alert(self, text: str) -> Locator:
		"""A floating message (frappe.show_alert) with this text."""
		return self.page.locator("#alert-container .alert").filter(has_text=text)

	def press_ctrl_s(self) -> "Desk":
		self.page.keyboard.press("Control+s")
		return self

	def snap(self, name: str) -> Path:
		"""A screenshot of the screen as it is now, into the flow's report folder."""
		path = self.folder / f"{next(self._shots):02d}-{self.user}-{name}.png"
		self.folder.mkdir(parents=True, exist_ok=True)
		self.page.screenshot(path=str(path))
		return path

	# --- form fields ----------------------------------------------------------------------------------

	def control(self, fieldname: str, scope: Locator | None = None) -> Locator:
		return (scope or self.main).locator(f'.frappe-control[data-fieldname="{fieldname}"]:visible').first

	def show_field(self, fieldname: str) -> Locator:
		"""A field of the open form, on screen: its tab clicked first when it is on another one, as a user looks
		for it (ERPNext 16 keeps a Customer's «From Lead», and the app's «Client» beside it, on «More Info»)."""
		if not self.control(fieldname).count():
			tab = self.js(
				"(f) => { const field = cur_frm.get_field(f); return field && field.tab ? field.tab.df.fieldname : null; }",
				fieldname,
			)
			if tab:
				self.main.locator(f'.form-tabs [role="tab"][data-fieldname="{tab}"]').click()
		return self.control(fieldname)

	def type_into(self, fieldname: str, text: str, scope: Locator | None = None) -> Locator:
		"""Click into a field and type, key by key."""
		field = self.control(fieldname, scope).locator("input, textarea").first
		field.click()
		field.press_sequentially(text)
		return field

	def select(self, fieldname: str, label: str, scope: Locator | None = None) -> None:
		"""Choose an option of a Select field by the text the user sees."""
		self.control(fieldname, scope).locator("select").select_option(label=label)

	def choose(self, fieldname: str, typed: str, option: str, scope: Locator | None = None) -> None:
		"""A Link field: click into it, type part of the name, and pick `option` in the dropdown."""
		field = self.control(fieldname, scope).locator("input").first
		field.click()
		field.fill("")
		field.press_sequentially(typed)
		self.pick(field, option)

	def pick(self, field: Locator, option: str) -> None:
		"""Pick an item of the awesomplete dropdown open under `field` by its text: the one dropdown open (in a
		table's row Frappe 16 moves the dropdown out of the field, into a wrapper of its own under the table)."""
		dropdown = self.page.locator(".awesomplete > ul[role='listbox']:not([hidden])")
		item = dropdown.locator("[role='option']:visible").filter(has_text=option).first
		item.click()
		self.idle()

	def expect_value(self, fieldname: str, expected: str, scope: Locator | None = None) -> None:
		"""The field shows `expected`: in its input, as the chosen option of a select, or as read-only text."""
		control = self.control(fieldname, scope)
		expect(control).to_be_visible()
		if control.locator("select:visible").count():
			expect(control.locator("select option:checked")).to_have_text(expected)
		elif control.locator("input:visible").count():
			expect(control.locator("input:visible").first).to_have_value(expected)
		else:
			expect(control.locator(".control-value, .like-disabled-input").first).to_have_text(expected)

	# --- tables (child tables of a form) -------------------------------------------------------------

	def grid(self, fieldname: str) -> Locator:
		return self.main.locator(f'.frappe-control[data-fieldtype="Table"][data-fieldname="{fieldname}"]')

	def grid_rows(self, fieldname: str) -> Locator:
		return self.grid(fieldname).locator(".grid-body .rows > .grid-row")

	def grid_cell(self, fieldname: str, idx: int, column: str) -> Locator:
		return self.grid_rows(fieldname).nth(idx - 1).locator(f'.grid-static-col[data-fieldname="{column}"]')

	def tab(self, label: str) -> Locator:
		return self.main.locator(".form-tabs-list .nav-link").filter(
			has_text=re.compile(rf"^\s*{re.escape(label)}\s*$")
		)

	# --- lists ----------------------------------------------------------------------------------------

	def clear_list_filters(self) -> "Desk":
		"""The «×» next to «Фильтр»: the list remembers the filters a user set last time."""
		self.main.locator(".filter-x-button").click()
		self.page.wait_for_function(
			"() => window.cur_list && cur_list.filter_area && !cur_list.filter_area.get().length"
		)
		return self.wait_for_list(self.js("() => cur_list.doctype"))

	@contextmanager
	def list_refresh(self):
		"""The list shown fetches its rows again after what is done inside (a filter set, a sort changed): waits
		for that request's answer and the list drawn — also for the filters it then saves for the user, so
		that the next step, or the next visit, starts from them."""
		doctype = self.js("() => cur_list.doctype")
		with self.page.expect_response(
			lambda response: response.url.split("?")[0].endswith("/api/method/frappe.desk.reportview.get")
		):
			yield
		self.wait_for_list(doctype)

	def list_rows(self) -> Locator:
		return self.main.locator(".result .list-row-container .list-row")

	def list_row(self, text: str) -> Locator:
		"""The row showing `text` (not merely text that starts the same: CL-2026-00005 is not CL-2026-000050)."""
		return self.list_rows().filter(has_text=re.compile(rf"(?<![\w-]){re.escape(text)}(?![\w-])"))


def slug(doctype: str) -> str:
	return doctype.lower().replace(" ", "-")
