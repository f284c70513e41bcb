"""The app's tile on Frappe's apps screen (hooks.add_to_apps_screen)."""

import frappe


def can_open() -> bool:
	"""Shown to whoever may read Clients (the «Маркетинг» workspace it opens is theirs)."""
	return bool(frappe.has_permission("Client", "read"))
