# Copyright (c) 2026, crm_clients developers and contributors
# For license information, please see license.txt

from urllib.parse import urlsplit

from frappe.model.document import Document

LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")


class CRMClientsSettings(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from crm_clients.crm_clients.doctype.crm_okved_industry.crm_okved_industry import CRMOKVEDIndustry
		from crm_clients.crm_clients.doctype.crm_region_business_region.crm_region_business_region import (
			CRMRegionBusinessRegion,
		)

		okved_industries: DF.Table[CRMOKVEDIndustry]
		region_business_regions: DF.Table[CRMRegionBusinessRegion]
		requisites_api_key: DF.Password | None
		requisites_daily_quota: DF.Int
		requisites_enabled: DF.Check
		requisites_quota_spent_on: DF.Date | None
		requisites_recheck_days: DF.Int
		requisites_sample_data: DF.Check
		requisites_timeout: DF.Int
		requisites_url: DF.Data | None
	# end: auto-generated types

	def validate(self):
		# «Sample Data» marks the dev server's local sample provider: a provider elsewhere is not that
		if self.requisites_sample_data and urlsplit(self.requisites_url or "").hostname not in LOOPBACK_HOSTS:
			self.requisites_sample_data = 0
