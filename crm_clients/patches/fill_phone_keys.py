"""Contact Phone.phone_key for the numbers saved before it existed (crm_clients/phones.py)."""

import frappe

from crm_clients.phones import normalize

BATCH = 5000


def execute():
	from crm_clients.setup import custom_fields

	custom_fields.create()
	last = ""
	while True:
		rows = frappe.db.sql(
			"""select name, phone from `tabContact Phone`
			where name > %s and parenttype = 'Contact' and ifnull(phone_key, '') = ''
			order by name limit %s""",
			(last, BATCH),
		)
		if not rows:
			break
		for name, phone in rows:
			key = normalize(phone)
			if key:
				frappe.db.sql("update `tabContact Phone` set phone_key = %s where name = %s", (key, name))
		last = rows[-1][0]
