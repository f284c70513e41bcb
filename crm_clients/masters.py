"""The app's masters and ERPNext's, both ways: Industry ↔ Industry Type, Business Region ↔ Territory.

Each of our masters may name its ERPNext counterpart (`Industry.industry_type`, `Business Region.territory`);
without one, a master of the same name stands for it.
"""

import frappe


def industry_type_of(industry: str | None) -> str | None:
	"""The Industry's Industry Type, else an Industry Type of the same name, else none (a Customer, a Lead)."""
	return erpnext_master_for("Industry", "industry_type", "Industry Type", industry)


def territory_of(business_region: str | None) -> str | None:
	"""The Business Region's Territory, else a Territory of the same name, else none."""
	return erpnext_master_for("Business Region", "territory", "Territory", business_region)


def industry_for(industry_type: str | None) -> str | None:
	"""The Industry mapped to this Industry Type, else an Industry of the same name (a Client from a Lead)."""
	return our_master_for("Industry", "industry_type", industry_type)


def business_region_for(territory: str | None) -> str | None:
	"""The Business Region mapped to this Territory, else a Business Region of the same name."""
	return our_master_for("Business Region", "territory", territory)


def erpnext_master_for(
	doctype: str, mapping_field: str, erpnext_doctype: str, name: str | None
) -> str | None:
	"""The ERPNext master our master `name` maps to, else the ERPNext master of the same name, else none."""
	if not name:
		return None
	mapped = frappe.db.get_value(doctype, name, mapping_field)
	if mapped:
		return mapped
	return name if frappe.db.exists(erpnext_doctype, name) else None


def our_master_for(doctype: str, mapping_field: str, value: str | None) -> str | None:
	if not value:
		return None
	return frappe.db.get_value(doctype, {mapping_field: value}, "name", order_by="creation asc") or (
		frappe.db.exists(doctype, value)
	)
