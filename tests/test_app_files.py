"""Consistency of the app's files (no site needed): DocTypes as the contract names them, hooks that resolve."""

import ast
import json
import re
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parent.parent / "crm_clients"
DOCTYPES = APP / "crm_clients" / "doctype"


def load_doctype(folder: str) -> dict:
	return json.loads((DOCTYPES / folder / f"{folder}.json").read_text())


def fields_of(doctype: dict) -> dict[str, dict]:
	return {field["fieldname"]: field for field in doctype["fields"]}


CONTRACT_FIELDS = {
	"industry": {"industry_name": ("Data", None), "industry_type": ("Link", "Industry Type")},
	"business_region": {"region_name": ("Data", None), "territory": ("Link", "Territory")},
	"client": {
		"client_name": ("Data", None),
		"client_type": ("Select", "Company\nIndividual"),
		"country": ("Link", "Country"),
		"tax_id": ("Data", None),
		"kpp": ("Data", None),
		"industry": ("Link", "Industry"),
		"business_region": ("Link", "Business Region"),
		"contacts": ("Table", "Client Contact"),
		"lead": ("Link", "Lead"),
		"customer": ("Link", "Customer"),
		"status": ("Select", "Open\nPending Conversion\nConverted"),
	},
	"client_contact": {
		"contact": ("Link", "Contact"),
		"full_name": ("Data", None),
		"phone": ("Data", "Phone"),
		"email": ("Data", "Email"),
		"is_primary": ("Check", None),
	},
}


@pytest.mark.parametrize("folder", sorted(CONTRACT_FIELDS))
def test_doctype_has_the_contract_fields(folder):
	fields = fields_of(load_doctype(folder))
	for fieldname, (fieldtype, options) in CONTRACT_FIELDS[folder].items():
		assert fieldname in fields, f"{folder}.{fieldname} missing"
		assert fields[fieldname]["fieldtype"] == fieldtype
		if options is not None:
			assert fields[fieldname].get("options") == options


@pytest.mark.parametrize("folder", sorted(CONTRACT_FIELDS))
def test_doctype_json_is_in_builder_shape(folder):
	doctype = load_doctype(folder)
	assert doctype["module"] == "CRM Clients"
	assert doctype["field_order"] == [field["fieldname"] for field in doctype["fields"]]
	raw = (DOCTYPES / folder / f"{folder}.json").read_text()
	assert raw == json.dumps(doctype, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
	controller = DOCTYPES / folder / f"{folder}.py"
	class_name = doctype["name"].replace(" ", "")
	# a Document, or ERPNext's CRMNote (a Document with the Notes tab's methods), as ERPNext's Prospect
	assert re.search(rf"class {class_name}\((Document|CRMNote)\)", controller.read_text())


def test_masters_are_named_by_their_unique_name():
	for folder, key in (("industry", "industry_name"), ("business_region", "region_name")):
		doctype = load_doctype(folder)
		assert doctype["autoname"] == f"field:{key}"
		assert fields_of(doctype)[key].get("unique") == 1


def test_client_is_a_naming_series_document_titled_by_its_name():
	client = load_doctype("client")
	assert client["autoname"] == "naming_series:"
	assert client["title_field"] == "client_name"
	assert client["track_changes"] == 1
	assert set(client["search_fields"].split(",")) >= {"client_name", "tax_id"}
	fields = fields_of(client)
	assert fields["client_name"]["reqd"] == 1
	assert fields["customer"]["read_only"] == 1
	assert fields["status"]["read_only"] == 1
	for name in ("industry", "business_region", "status", "country"):
		assert fields[name].get("in_standard_filter") == 1, name


def test_client_permissions_are_the_contracts():
	perms = {row["role"]: row for row in load_doctype("client")["permissions"]}
	rights = ("read", "write", "create", "delete")

	def granted(role):
		return {right for right in rights if perms[role].get(right)}

	assert granted("Sales User") == {"read", "write", "create"}
	assert granted("Sales Manager") == {"read", "write", "create", "delete"}
	assert granted("Sales Master Manager") == {"read", "write"}
	assert granted("System Manager") == set(rights)


def test_client_contact_is_a_child_table_with_required_contact():
	doctype = load_doctype("client_contact")
	assert doctype["istable"] == 1
	fields = fields_of(doctype)
	assert fields["contact"]["reqd"] == 1
	for name in ("full_name", "phone", "email"):
		assert fields[name]["read_only"] == 1


def _dotted_paths_in_hooks() -> list[str]:
	tree = ast.parse((APP / "hooks.py").read_text())
	paths = []
	for node in ast.walk(tree):
		if (
			isinstance(node, ast.Constant)
			and isinstance(node.value, str)
			and node.value.startswith("crm_clients.")
		):
			paths.append(node.value)
	return paths


def test_hook_paths_point_at_functions_that_exist():
	for dotted in _dotted_paths_in_hooks():
		module, function = dotted.rsplit(".", 1)
		source = (APP.parent / (module.replace(".", "/") + ".py")).read_text()
		assert f"def {function}(" in source, dotted


def test_hook_js_files_exist():
	tree = ast.parse((APP / "hooks.py").read_text())
	for node in ast.walk(tree):
		if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.endswith(".js"):
			# app_include_js names the file as the desk loads it: /assets/crm_clients/ is the app's public/
			path = node.value.replace("/assets/crm_clients/", "public/", 1)
			assert (APP / path).exists(), node.value


def test_app_declares_its_dependencies():
	hooks = (APP / "hooks.py").read_text()
	assert 'required_apps = ["frappe/erpnext"]' in hooks
	assert 'app_title = "CRM Clients"' in hooks
	assert (APP / "modules.txt").read_text().strip() == "CRM Clients"
	pyproject = (APP.parent / "pyproject.toml").read_text()
	assert "[tool.bench.frappe-dependencies]" in pyproject


def _ruff(*args: str):
	import shutil
	import subprocess
	import sys

	ruff = shutil.which("ruff") or str(Path(sys.executable).parent / "ruff")
	if not Path(ruff).exists():
		pytest.skip("ruff is not installed (pip install ruff)")
	return subprocess.run([ruff, *args], cwd=APP.parent, capture_output=True, text=True)


def test_code_passes_ruff_with_frappes_settings():
	result = _ruff("check", ".")
	assert result.returncode == 0, result.stdout + result.stderr


def test_code_is_formatted_as_frappe_formats_it():
	result = _ruff("format", "--check", ".")
	assert result.returncode == 0, result.stdout + result.stderr
