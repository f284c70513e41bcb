"""Client in the search bar's results on sites where the app was installed before it was added on install."""

from crm_clients.setup import search_settings


def execute():
	search_settings.add()
