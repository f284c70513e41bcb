"""Install, migrate and uninstall hooks."""

from crm_clients.setup import custom_fields, list_settings, workflow


def after_install() -> None:
	custom_fields.create()
	workflow.ensure()
	list_settings.ensure()


def after_migrate() -> None:
	custom_fields.create()
	workflow.ensure()
	list_settings.ensure()


def before_uninstall() -> None:
	workflow.remove()
	custom_fields.delete()
	list_settings.remove()
