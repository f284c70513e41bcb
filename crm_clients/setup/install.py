"""Install, migrate and uninstall hooks."""

import frappe

from crm_clients.setup import custom_fields, indexes, list_settings, search_settings, workflow


def after_install() -> None:
	custom_fields.create()
	workflow.ensure()
	list_settings.ensure()
	indexes.ensure()
	search_settings.add()


def after_migrate() -> None:
	custom_fields.create()
	workflow.ensure()
	list_settings.ensure()
	indexes.ensure()


def before_uninstall() -> None:
	workflow.remove()
	custom_fields.delete()
	list_settings.remove()
	indexes.remove()
	search_settings.remove()
	remove_desktop_icons()


def remove_desktop_icons() -> None:
	"""Frappe v16 deletes an app's Workspace Sidebars on uninstall, but only the Desktop Icons named after the
	app's title or filed under it: ours is "Marketing" (crm_clients/desktop_icon), pointing at our sidebar."""
	if not frappe.db.table_exists("Desktop Icon"):
		return
	for name in frappe.get_all("Desktop Icon", filters={"app": "crm_clients"}, pluck="name"):
		frappe.delete_doc("Desktop Icon", name, ignore_permissions=True, force=True)
