"""Interactions planned with Clients («взаимодействия»): Frappe Events with the Client among their participants
(`event_participants`: reference_doctype "Client") and ToDos whose reference is the Client — ERPNext's own way for
Leads and Prospects. Made from the Client, from the Event or ToDo form, from the calendar or over REST, they count
the same: the rules live in the Event and ToDo hooks (`crm_clients/overrides/event.py`, `todo.py`), not in the
Client's form.

- `clients` — which Clients an Event or a ToDo concerns, its kind and whether it is open;
- `rules` — what every change to a Client's Event or ToDo must respect (validation);
- `next_interaction` — the Client's next interaction, derived after every change;
- `planning` — planning, completing and cancelling from the Client (the API) and the responsible's assignment;
- `timeline` — a closed interaction's outcome on its Clients' timelines;
- `access` — who may see and change them (the Client's permissions);
- `activities` — the Client's Activities tab;
- `lifecycle` — what deleting a Client does to its interactions.

The kinds and states, with their labels, are the app's vocabulary (`crm_clients/vocabulary.py`).
"""
