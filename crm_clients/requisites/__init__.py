"""Requisites by ИНН: a Client filled from the state register (ЕГРЮЛ/ЕГРИП) through a provider.

- `provider.py` is the one module that knows the provider (DaData's party API): its URLs, its fields, its
  errors. It returns `Organisation`s, the app's own shape.
- `fill.py` puts an organisation on a Client: empty fields filled, differing ones returned side by side, the
  legal address and the director, ОКВЭД → Industry and region → Business Region through the settings' tables.
- `crm_clients/intake/requisites_source.py` (a source of the intake runner) updates a selection of Clients, and
  re-checks the registry on schedule.
"""

# The register's statuses of an organisation (the Client's `register_status`)
ACTIVE = "ACTIVE"
LIQUIDATING = "LIQUIDATING"
LIQUIDATED = "LIQUIDATED"
BANKRUPT = "BANKRUPT"
REORGANIZING = "REORGANIZING"
REGISTER_STATUSES = (ACTIVE, LIQUIDATING, LIQUIDATED, BANKRUPT, REORGANIZING)
# the statuses a user must notice (form indicator, list filter)
TROUBLED = (LIQUIDATING, LIQUIDATED, BANKRUPT, REORGANIZING)

MAIN = "MAIN"
BRANCH = "BRANCH"

# the Federal Tax Service's own search of the register
EGRUL_URL = "https://egrul.nalog.ru/"
