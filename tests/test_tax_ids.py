"""Tests for crm_clients.tax_ids (python-stdnum's check digits plus the app's rules). Pure Python: no Frappe, no site."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crm_clients.tax_ids import (
	CHECK_DIGIT_WRONG,
	DIGITS_ONLY,
	INN_COMPANY_LENGTH,
	INN_INDIVIDUAL_LENGTH,
	INN_LENGTH,
	KPP_FORMAT,
	KPP_LENGTH,
	inn_check_digits,
	inn_problem,
	kpp_problem,
	make_inn,
	normalize,
)

# Public requisites, each also checked by hand against the algorithm (see the module docstring).
VALID_COMPANY_INNS = [
	"7707083893",  # ПАО Сбербанк, requisites published by the bank
	"7736207543",  # Yandex LLC, requisites published by the company
	"7736050003",  # ПАО «Газпром», requisites published by the company
	"7707329152",  # ФНС России itself, nalog.gov.ru
]
VALID_INDIVIDUAL_INNS = [
	"500100732259",  # sample individual ИНН widely used in open-source validator test suites
]
VALID_KPPS = [
	"773601001",  # ПАО Сбербанк
	"997250001",  # ПАО «Газпром» (code of a largest taxpayer)
	"7707AB001",  # letters allowed in positions 5-6
]


# The ФНС weights, written out here independently of the module and of stdnum, for the algebraic tests
INN_10_WEIGHTS = (2, 4, 10, 3, 5, 9, 4, 6, 8)
INN_12_WEIGHTS_1 = (7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
INN_12_WEIGHTS_2 = (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)


def other_digits(digit: str) -> list[str]:
	return [d for d in "0123456789" if d != digit]


def replace(value: str, position: int, digit: str) -> str:
	return value[:position] + digit + value[position + 1 :]


# --- normalize ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
	("raw", "expected"),
	[
		(None, ""),
		("", ""),
		("  7707083893\t\n", "7707083893"),
		("\u00a07707083893\u00a0", "7707083893"),  # no-break space
		("\u202f\u20077707083893\u200b\ufeff ", "7707083893"),  # narrow/figure space, zero-width, BOM
		(" 7707 083893 ", "7707 083893"),  # inner space kept, to be refused later
		(" 77O7083893", "77O7083893"),  # inner letter kept
	],
)
def test_normalize(raw, expected):
	assert normalize(raw) == expected


def test_normalized_inner_garbage_is_refused():
	assert inn_problem(normalize(" 7707 083893 ")) == DIGITS_ONLY
	assert inn_problem(normalize("\u00a07707083893\u00a0"), "Company") is None


# --- known vectors -----------------------------------------------------------------------------------


@pytest.mark.parametrize("inn", VALID_COMPANY_INNS)
def test_valid_company_inn(inn):
	assert inn_problem(inn, "Company") is None
	assert inn_problem(inn) is None
	assert make_inn(inn[:9]) == inn


@pytest.mark.parametrize("inn", VALID_INDIVIDUAL_INNS)
def test_valid_individual_inn(inn):
	assert inn_problem(inn, "Individual") is None
	assert inn_problem(inn) is None
	assert make_inn(inn[:10]) == inn
	assert inn_check_digits(inn[:10]) == inn[10:]


@pytest.mark.parametrize(
	("inn", "client_type", "expected"),
	[
		("7707083894", "Company", CHECK_DIGIT_WRONG),
		("7707083894", None, CHECK_DIGIT_WRONG),
		("500100732258", "Individual", CHECK_DIGIT_WRONG),  # second check digit wrong
		("500100732159", "Individual", CHECK_DIGIT_WRONG),  # first check digit wrong
		("600100732259", None, CHECK_DIGIT_WRONG),
		("770708389", None, INN_LENGTH),
		("77070838930", None, INN_LENGTH),
		("5001007322590", None, INN_LENGTH),
		("", None, INN_LENGTH),
		("", "Company", INN_COMPANY_LENGTH),
		("", "Individual", INN_INDIVIDUAL_LENGTH),
		("7707083893", "Individual", INN_INDIVIDUAL_LENGTH),  # 10 digits for an individual
		("500100732259", "Company", INN_COMPANY_LENGTH),  # 12 digits for a company
		("77070838a3", "Company", DIGITS_ONLY),
		("7707O83893", None, DIGITS_ONLY),  # Latin O instead of zero
		("7707-083893", None, DIGITS_ONLY),
		("7707 083893", None, DIGITS_ONLY),
		(" 7707083893", None, DIGITS_ONLY),  # not normalized
		("\u0667707083893", None, DIGITS_ONLY),  # Arabic-Indic digit: isdigit() is True, still refused
		("-707083893", None, DIGITS_ONLY),
	],
)
def test_invalid_inn(inn, client_type, expected):
	assert inn_problem(inn, client_type) == expected


def test_unknown_client_type_accepts_both_lengths():
	assert inn_problem("7707083893", "Sole Proprietor") is None
	assert inn_problem("500100732259", "Sole Proprietor") is None


@pytest.mark.parametrize("kpp", VALID_KPPS)
def test_valid_kpp(kpp):
	assert kpp_problem(kpp) is None


@pytest.mark.parametrize(
	("kpp", "expected"),
	[
		("", KPP_LENGTH),
		("77360100", KPP_LENGTH),
		("7736010011", KPP_LENGTH),
		("7736 01001", KPP_LENGTH),
		("7707ab001", KPP_FORMAT),  # lowercase letters
		("7707Ab001", KPP_FORMAT),
		("7707\u0410\u0412001", KPP_FORMAT),  # Cyrillic letters that look like Latin A and B
		("77A701001", KPP_FORMAT),  # letter in the first four characters
		("773601A01", KPP_FORMAT),  # letter in the last three characters
		("7736-1001", KPP_FORMAT),
		("7736 1001", KPP_FORMAT),
	],
)
def test_invalid_kpp(kpp, expected):
	assert kpp_problem(kpp) == expected


@pytest.mark.parametrize("prefix", ["", "12345678", "12345678901", "12345678a", "١٢٣٤٥٦٧٨٩"])
def test_inn_check_digits_rejects_bad_prefix(prefix):
	with pytest.raises(ValueError):
		inn_check_digits(prefix)


# --- properties --------------------------------------------------------------------------------------


def digit_strings(length: int):
	return st.text(alphabet="0123456789", min_size=length, max_size=length)


@given(digit_strings(9))
def test_generated_company_inn_is_valid(prefix):
	inn = make_inn(prefix)
	assert len(inn) == 10
	assert inn_problem(inn, "Company") is None
	assert inn_problem(inn) is None


@given(digit_strings(10))
def test_generated_individual_inn_is_valid(prefix):
	inn = make_inn(prefix)
	assert len(inn) == 12
	assert inn_problem(inn, "Individual") is None
	assert inn_problem(inn) is None


def _inn_10_residue(inn: str) -> int:
	return sum(int(d) * w for d, w in zip(inn[:9], INN_10_WEIGHTS, strict=True)) % 11


@given(digit_strings(9), st.integers(min_value=0, max_value=9), st.sampled_from("0123456789"))
def test_company_inn_single_digit_change(prefix, position, digit):
	"""The 10-digit ИНН does NOT catch every single-digit change, so only what truly holds is tested.

	Changing data digit i by d (0 < |d| < 10) changes the weighted sum by w_i * d, which is never 0 mod 11
	(no weight is a multiple of 11), so the residue always changes. But residues 0 and 10 both give check
	digit 0, so a change that moves the residue between 0 and 10 goes unnoticed. Hence: a changed check digit
	is always caught, and a changed data digit is caught exactly when the residue does not move 0 <-> 10."""
	inn = make_inn(prefix)
	if digit == inn[position]:
		return
	changed = replace(inn, position, digit)
	if position == 9:
		assert inn_problem(changed) == CHECK_DIGIT_WRONG
		return
	if {_inn_10_residue(inn), _inn_10_residue(changed)} == {0, 10}:
		assert inn_problem(changed) is None
	else:
		assert inn_problem(changed) == CHECK_DIGIT_WRONG


def test_company_inn_collision_example():
	# The limitation above, concretely: weighted sums 297 (% 11 = 0) and 307 (% 11 = 10), both check digit 0.
	assert inn_problem("7737083890") is None
	assert inn_problem("7747083890") is None


def test_individual_inn_detects_every_single_digit_change_algebraically():
	"""Proof that a 12-digit ИНН catches every single-digit change, checked over all positions and deltas.

	A change in digit 11 or 12 is caught directly. A change of data digit i (1-10) by d changes the first sum
	by a = W1_i * d and, while digit 11 stays the same, the second sum by b = W2_i * d; neither is 0 mod 11.
	It goes unnoticed only if both check digits stay the same, i.e. both residues move between 0 and 10,
	which needs a = +-1 and b = +-1 (mod 11)."""
	for w1, w2 in zip(INN_12_WEIGHTS_1, INN_12_WEIGHTS_2[:10], strict=True):
		for d in range(-9, 10):
			if d == 0:
				continue
			a, b = w1 * d % 11, w2 * d % 11
			assert a != 0
			assert b != 0
			assert not (a in (1, 10) and b in (1, 10))


@given(digit_strings(10), st.integers(min_value=0, max_value=11), st.sampled_from("0123456789"))
def test_individual_inn_single_digit_change_fails(prefix, position, digit):
	inn = make_inn(prefix)
	if digit == inn[position]:
		return
	assert inn_problem(replace(inn, position, digit)) == CHECK_DIGIT_WRONG
	assert inn_problem(replace(inn, position, digit), "Individual") == CHECK_DIGIT_WRONG


@pytest.mark.parametrize("position", range(12))
def test_individual_inn_every_single_digit_change_of_known_vector_fails(position):
	inn = VALID_INDIVIDUAL_INNS[0]
	for digit in other_digits(inn[position]):
		assert inn_problem(replace(inn, position, digit)) == CHECK_DIGIT_WRONG


@pytest.mark.parametrize("inn", VALID_COMPANY_INNS)
def test_company_inn_changed_check_digit_fails(inn):
	for digit in other_digits(inn[9]):
		assert inn_problem(inn[:9] + digit, "Company") == CHECK_DIGIT_WRONG


KPP_MIDDLE = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


@given(digit_strings(4), st.text(alphabet=KPP_MIDDLE, min_size=2, max_size=2), digit_strings(3))
def test_generated_kpp_is_valid(head, middle, tail):
	assert kpp_problem(head + middle + tail) is None


@given(
	digit_strings(4),
	st.text(alphabet=KPP_MIDDLE, min_size=2, max_size=2),
	digit_strings(3),
	st.integers(min_value=0, max_value=8),
	st.sampled_from("abzАВ -_.O"),
)
def test_kpp_with_a_bad_character_fails(head, middle, tail, position, bad):
	kpp = head + middle + tail
	if position in (4, 5) and bad in KPP_MIDDLE:
		return
	assert kpp_problem(replace(kpp, position, bad)) == KPP_FORMAT
