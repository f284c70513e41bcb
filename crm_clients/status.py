"""The statuses of a Client, defined once. `status` is derived by the Client controller, never taken from a request:

- Converted — the Client has its Customer;
- otherwise what the route's current state says (its *update field* `status`, e.g. Pending Conversion);
- otherwise Open.
"""

from crm_clients.vocabulary import CONVERTED, OPEN, PENDING
from crm_clients.vocabulary import STATUSES as ALL


def derive(customer: str | None, state_status: str | None) -> str:
	"""The status a Client has: Converted with a Customer, else its route state's status, else Open."""
	if customer:
		return CONVERTED
	if state_status in ALL:
		return state_status
	return OPEN
