"""models.codesets: the offline SNIP 5 shape checks, one table of (check, value, expected).

Kept beside the validator's tests (tests/x12/test_validate.py) because these checks exist for
it; the module itself lives in models so that models and both transaction packages share it.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from models import codesets

CASES: list[tuple[str, Callable[[str], bool], str, bool]] = [
    # NPI: 10 digits, Luhn over 80840 + the first 9
    ("npi", codesets.is_npi, "1234567893", True),
    ("npi check digit", codesets.is_npi, "1234567890", False),
    ("npi length", codesets.is_npi, "123456789", False),
    # EIN as the guides carry it: 9 digits, no hyphen
    ("ein", codesets.is_ein, "101234567", True),
    ("ein hyphen", codesets.is_ein, "10-1234567", False),
    # ICD-10-CM without the dot
    ("icd10cm 3", codesets.is_icd10_cm, "I10", True),
    ("icd10cm 7", codesets.is_icd10_cm, "S72001A", True),
    ("icd10cm letter third", codesets.is_icd10_cm, "C7A010", True),
    ("icd10cm covid U07.1", codesets.is_icd10_cm, "U071", True),
    ("icd10cm post-covid U09.9", codesets.is_icd10_cm, "U099", True),
    ("icd10cm dot", codesets.is_icd10_cm, "M79.604", False),
    ("icd10cm icd9", codesets.is_icd10_cm, "4779", False),
    ("icd10cm too long", codesets.is_icd10_cm, "S72001AA", False),
    # ICD-10-PCS: 7 characters, no I or O
    ("icd10pcs", codesets.is_icd10_pcs, "0DTJ4ZZ", True),
    ("icd10pcs letter O", codesets.is_icd10_pcs, "0DTJOZZ", False),
    ("icd10pcs short", codesets.is_icd10_pcs, "0DTJ4Z", False),
    # CPT categories I, II, III, PLA
    ("cpt I", codesets.is_cpt, "99213", True),
    ("cpt II", codesets.is_cpt, "0001F", True),
    ("cpt III", codesets.is_cpt, "0042T", True),
    ("cpt PLA", codesets.is_cpt, "0001U", True),
    ("cpt letter inside", codesets.is_cpt, "7104X", False),
    # HCPCS level II and CDT
    ("hcpcs", codesets.is_hcpcs, "J3490", True),
    ("hcpcs W", codesets.is_hcpcs, "W1234", False),
    ("cdt", codesets.is_cdt, "D0120", True),
    ("cdt short", codesets.is_cdt, "D012", False),
    # places of service (CMS), taxonomy, states, ZIP
    ("pos office", codesets.is_place_of_service, "11", True),
    ("pos telehealth home", codesets.is_place_of_service, "10", True),
    ("pos unassigned", codesets.is_place_of_service, "98", False),
    ("taxonomy", codesets.is_taxonomy, "207Q00000X", True),
    ("taxonomy letters", codesets.is_taxonomy, "363LF0000X", True),
    ("taxonomy short", codesets.is_taxonomy, "207R0000", False),
    ("state", codesets.is_us_state, "NY", True),
    ("state territory", codesets.is_us_state, "PR", True),
    ("state invalid", codesets.is_us_state, "ZZ", False),
    ("zip 5", codesets.is_zip, "12345", True),
    ("zip 9", codesets.is_zip, "123456789", True),
    ("zip 4", codesets.is_zip, "3111", False),
    ("zip plus hyphen", codesets.is_zip, "12345-6789", False),
]


@pytest.mark.parametrize(("name", "check", "value", "expected"), CASES, ids=[c[0] for c in CASES])
def test_shapes(name: str, check: Callable[[str], bool], value: str, expected: bool) -> None:
    assert check(value) is expected, name


@pytest.mark.parametrize(
    ("qualifier", "code", "expected"),
    [("HC", "99213", True), ("HC", "J3490", True), ("HC", "7104X", False),
     ("AD", "D0120", True), ("AD", "99213", False), ("N4", "00002140701", None)],
)  # fmt: skip
def test_procedure_code_by_qualifier(qualifier: str, code: str, expected: bool | None) -> None:
    assert codesets.is_procedure_code(qualifier, code) is expected


def test_covid_diagnosis_is_not_a_finding() -> None:
    """U07.1 on a claim is a real diagnosis (COVID-19), not an INVALID_ICD10_CM."""
    import datetime as dt
    import re

    import edi837
    from edi837 import fake
    from edi837.validation import validate

    text = edi837.dumps(
        fake.generate(1, seed=5),
        submitter=fake.submitter(),
        receiver=fake.receiver(),
        timestamp=dt.datetime(2024, 5, 1, 10, 0),
    )
    text = re.sub(r"HI\*ABK:[^*~]*", "HI*ABK:U071", text, count=1)
    assert "HI*ABK:U071" in text
    report = validate(text, today=dt.date(2025, 1, 1))
    assert report.findings == (), str(report)
