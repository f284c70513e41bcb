"""A closed interaction on its Clients' timelines: done or cancelled, with its outcome (or reason)."""

import frappe
from frappe import _
from frappe.utils import escape_html, get_link_to_form

from crm_clients.interactions.clients import (
	CANCELLED,
	CLIENT,
	EVENT,
	clients_of,
	has_just_closed,
	is_open,
	kind_of,
)
from crm_clients.vocabulary import kind_label


def record_outcome(doc) -> None:
	"""Closing an interaction (done or cancelled), or changing the outcome of a done one, goes to the timeline
	of its Clients, with the outcome."""
	if is_open(doc):
		return
	outcome = (doc.get("interaction_outcome") or "").strip()
	if not has_just_closed(doc) and not (outcome and doc.has_value_changed("interaction_outcome")):
		return
	text = outcome_comment(doc, outcome)
	for client in clients_of(doc):
		# a comment on the timeline (the text links to the interaction), as Document.add_comment makes it
		frappe.get_doc(
			{
				"doctype": "Comment",
				"comment_type": "Comment",
				"comment_email": frappe.session.user,
				"reference_doctype": CLIENT,
				"reference_name": client,
				"content": text,
			}
		).insert(ignore_permissions=True)


def outcome_comment(doc, outcome: str) -> str:
	title = doc.subject if doc.doctype == EVENT else frappe.utils.strip_html(doc.description or "")
	kind = kind_label(kind_of(doc))
	# the subject planning gives («Meeting: ООО Ромашка») names the kind already: not twice
	title = (title or "").removeprefix(f"{kind}: ")
	link = get_link_to_form(doc.doctype, doc.name, escape_html(title or doc.name))
	if doc.status == CANCELLED:
		text = _("{0} {1}: cancelled.").format(kind, link)
		if outcome:
			text += " " + _("Reason: {0}").format(escape_html(outcome))
		return text
	text = _("{0} {1}: done.").format(kind, link)
	if outcome:
		text += " " + _("Outcome: {0}").format(escape_html(outcome))
	return text
