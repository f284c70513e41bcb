"""Lead (ERPNext): a Lead belongs to at most one Client (`Lead.client`); a Client may have been made from it."""

from crm_clients import leads


def on_trash(lead, method=None) -> None:
	"""A deleted Lead no longer is a Client's source Lead."""
	leads.forget_source_lead(lead)
