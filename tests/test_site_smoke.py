import pytest

pytestmark = pytest.mark.usefixtures("site")


def test_erpnext_setup_is_complete(site):
	assert site.db.get_value("Company", {}, "name"), "ERPNext's setup wizard has not made a Company"
	assert "crm_clients" in site.get_installed_apps()
