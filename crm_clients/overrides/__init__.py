"""Hooks on doctypes of Frappe and ERPNext, a module per doctype (`contact.py`, `lead.py`, `event.py`, …).

Each module holds what hooks.py registers for that doctype — `doc_events` handlers, `has_permission`,
`permission_query_conditions` — as thin functions that call the app's modules named for what they do.
"""
