"""Install, migrate and uninstall hooks."""

from crm_clients.setup import custom_fields, workflow


def after_install() -> None:
	custom_fields.create()
	workflow.ensure()


def after_migrate() -> None:
	custom_fields.create()
	workflow.ensure()


def before_uninstall() -> None:
	workflow.remove()
	custom_fields.delete()
