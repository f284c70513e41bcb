"""Flow 9: the registry readable on a laptop (1366×900) and a phone (390×844), as a Sales User in Russian.

Nothing the user needs is cut: a Client's full name (more than 40 characters), its type, the column headers,
the whole status in the form's header (beside the toolbar), the labels of the workspace's charts (none on top
of another); the registry is titled «Клиенты», as the seed calls it. "Cut" is measured as the browser lays it
out: an element that hides part of its text (scrollWidth beyond clientWidth), or two labels whose boxes meet.
"""

import re
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import LAPTOP, PHONE

# the elements of `root` that hide part of their text: [(text, scrollWidth, clientWidth)]
CUT_TEXTS = """(root) => {
	const cut = [];
	for (const element of [root, ...root.querySelectorAll("*")]) {
		if (!element.offsetParent || !element.textContent.trim()) continue;
		const style = getComputedStyle(element);
		if (style.overflowX === "visible" && style.textOverflow !== "ellipsis") continue;
		if (element.scrollWidth > element.clientWidth + 1) {
			cut.push([element.textContent.trim().replace(/\\s+/g, " "), element.scrollWidth, element.clientWidth]);
		}
	}
	return cut;
}"""

# the boxes of labels that meet another: [[text, text], ...]
OVERLAPPING = """(labels) => {
	const boxes = labels.filter((label) => label.textContent.trim())
		.map((label) => [label.textContent.trim(), label.getBoundingClientRect()]);
	const meet = [];
	for (let i = 0; i < boxes.length; i++) {
		for (let j = i + 1; j < boxes.length; j++) {
			const [a, b] = [boxes[i][1], boxes[j][1]];
			if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1) {
				meet.push([boxes[i][0], boxes[j][0]]);
			}
		}
	}
	return meet;
}"""


def open_registry(me, e2e_data):
	"""The registry, filtered by the long name as a user types it (other flows fill the first page)."""
	me.open_list("Client")
	me.clear_list_filters()
	if me.main.locator('.frappe-control[data-fieldname="client_name"]:visible').count():
		me.type_into("client_name", e2e_data.long_client_name)
	else:  # Frappe 16 on a phone shows no filter fields: the registry opened filtered, as from a link
		me.open(f"/app/client?client_name={quote(e2e_data.long_client_name)}")
		me.wait_for_list("Client")
	# the list refreshes as the user types (debounced, once or more): the row shows once it has
	row = me.list_row(e2e_data.long_client_name)
	expect(row).to_be_visible(timeout=30_000)
	expect(me.list_rows()).to_have_count(1)
	return row


@pytest.mark.parametrize("screen", [LAPTOP, PHONE], ids=["1366px", "390px"])
def test_the_registry_shows_whole_names_types_and_headers(desk, e2e_data, screen):
	me = desk("sales_user", screen)
	row = open_registry(me, e2e_data)
	me.snap("registry")
	expect(me.title()).to_have_text("Клиенты")
	name = row.locator(".list-subject a[data-name]").first
	expect(name).to_have_text(e2e_data.long_client_name)
	assert len(e2e_data.long_client_name) > 40
	assert name.evaluate(CUT_TEXTS) == [], "the Client's name is cut"
	if screen == LAPTOP:
		client_type = row.locator('[data-filter="client_type,=,Company"]')
		expect(client_type).to_have_text("Юр. лицо")  # short words, in full in the tooltip
		expect(client_type).to_have_attribute("title", "Юридическое лицо")
		assert row.evaluate(CUT_TEXTS) == [], "a value of the row is cut"
		header = me.main.locator(".list-row-head").first
		assert header.evaluate(CUT_TEXTS) == [], "a column header is cut"
		expect(row.locator('.indicator-pill[data-filter^="status,"]').first).to_have_text("Переведен")
		assert me.main.locator(".page-head .page-title").evaluate(CUT_TEXTS) == []
	me.clear_list_filters()  # the list keeps a user's last filters: the next visit starts from none


@pytest.mark.parametrize(
	"which, status_text",
	[("long_client", "Переведен в контрагенты"), ("pending_client", "Ожидает перевода в контрагенты")],
	ids=["converted", "pending"],
)
def test_the_form_shows_the_whole_status_beside_the_toolbar(desk, e2e_data, which, status_text):
	me = desk("sales_user")
	me.open_form("Client", getattr(e2e_data, which))
	me.snap("client")
	status = me.indicator()
	expect(status).to_have_text(status_text)
	assert status.evaluate(CUT_TEXTS) == [], "the status is cut"
	buttons = me.main.locator(".page-head .page-actions").locator("button:visible, .btn:visible")
	status_box = status.bounding_box()
	covering = [
		button.inner_text().strip()
		for button in buttons.all()
		if (box := button.bounding_box()) and meet(status_box, box)
	]
	assert not covering, f"the toolbar covers the status: {covering}"


def meet(a: dict, b: dict) -> bool:
	"""Two boxes on the screen share more than a pixel's edge."""
	return (
		a["x"] < b["x"] + b["width"] - 1
		and b["x"] < a["x"] + a["width"] - 1
		and a["y"] < b["y"] + b["height"] - 1
		and b["y"] < a["y"] + a["height"] - 1
	)


@pytest.mark.parametrize(
	"title", ["Клиенты по статусам", "Клиенты по бизнес-регионам"], ids=["by-status", "by-region"]
)
def test_the_workspace_charts_labels_are_whole_and_apart(desk, e2e_data, title):
	me = desk("sales_user")
	me.open("/app/marketing")
	me.wait_for_workspace("Marketing")
	chart = me.main.locator(".widget.dashboard-widget-box").filter(has_text=title).first
	chart.scroll_into_view_if_needed()
	# the labels with a text (Frappe 16's charts also draw empty ones on an axis)
	labels = chart.locator(".frappe-chart text, .frappe-chart .legend-dataset-text").filter(
		has_text=re.compile(r"\S")
	)
	# drawn (Frappe shows a workspace twice while it loads, and the second copy fetches its charts again)
	expect(labels.first).to_be_visible()
	me.snap("workspace-chart")
	assert labels.evaluate_all(OVERLAPPING) == [], "labels on top of each other"
	texts = [text.strip() for text in labels.all_text_contents()]
	assert not [text for text in texts if text.endswith(("...", "…"))], f"labels cut: {texts}"
	if title == "Клиенты по статусам":
		assert "Переведен" in texts, texts  # the list's short words: whole in the legend
