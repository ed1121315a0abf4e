"""Code sets that can be checked offline (SNIP type 5): shapes and published short lists.

Each function answers "could this value be a code of that set?" without a licensed table:
NPI check digit, EIN shape, ICD-10-CM / ICD-10-PCS / CPT / HCPCS Level II / CDT shapes, CMS
place-of-service codes, the Health Care Provider Taxonomy shape, US state and territory codes,
ZIP codes. A shape that passes is not proof the code exists (a current code list says that);
a shape that fails is certainly wrong.
"""

from __future__ import annotations

import re

from models.common import is_valid_npi

__all__ = [
    "PLACE_OF_SERVICE_CODES",
    "STATE_CODES",
    "is_cdt",
    "is_cpt",
    "is_ein",
    "is_hcpcs",
    "is_icd10_cm",
    "is_icd10_pcs",
    "is_npi",
    "is_place_of_service",
    "is_procedure_code",
    "is_taxonomy",
    "is_us_state",
    "is_zip",
]

#: CMS place-of-service codes (the code list is public: cms.gov "Place of Service Code Set").
PLACE_OF_SERVICE_CODES = frozenset(
    {
        "01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12", "13", "14",
        "15", "16", "17", "18", "19", "20", "21", "22", "23", "24", "25", "26", "27", "31",
        "32", "33", "34", "41", "42", "49", "50", "51", "52", "53", "54", "55", "56", "57",
        "58", "60", "61", "62", "65", "66", "71", "72", "81", "99",
    }
)  # fmt: skip

#: USPS codes of the states, DC, territories and military "states" (N402 in the US).
STATE_CODES = frozenset(
    {
        "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL",
        "IN", "IA", "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE",
        "NV", "NH", "NJ", "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD",
        "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY", "AS", "GU", "MP", "PR", "VI",
        "UM", "FM", "MH", "PW", "AA", "AE", "AP",
    }
)  # fmt: skip

_ICD10_CM = re.compile(r"[A-Z][0-9][0-9A-Z]([0-9A-Z]{1,4})?")
_ICD10_PCS = re.compile(r"[0-9A-HJ-NP-Z]{7}")  # no I or O
_CPT = re.compile(r"[0-9]{4}[0-9FTMU]")
_HCPCS = re.compile(r"[A-V][0-9]{4}")
_CDT = re.compile(r"D[0-9]{4}")
_TAXONOMY = re.compile(r"[0-9]{3}[0-9A-Z]{6}X")
_EIN = re.compile(r"[0-9]{9}")
_ZIP = re.compile(r"[0-9]{5}([0-9]{4})?")


def is_npi(value: str) -> bool:
    """A National Provider Identifier: 10 digits starting with 1 or 2 whose last is the Luhn
    check digit computed with the prefix 80840 (:func:`models.common.is_valid_npi`)."""
    return is_valid_npi(value)


def is_ein(value: str) -> bool:
    """An employer identification number as the guides carry it: 9 digits, no hyphen."""
    return bool(_EIN.fullmatch(value))


def is_icd10_cm(value: str) -> bool:
    """An ICD-10-CM diagnosis code without its dot: a letter, a digit, then 1-5 letters or
    digits (3-7 characters). U is a letter of the set: U07.1 (COVID-19) and U09.9 are codes
    CMS added in 2020-2021 for special purposes."""
    return bool(_ICD10_CM.fullmatch(value))


def is_icd10_pcs(value: str) -> bool:
    """An ICD-10-PCS procedure code: 7 letters or digits, never I or O."""
    return bool(_ICD10_PCS.fullmatch(value))


def is_cpt(value: str) -> bool:
    """A CPT code: 4 digits then a digit (Category I), F (II), T (III), M or U."""
    return bool(_CPT.fullmatch(value))


def is_hcpcs(value: str) -> bool:
    """A HCPCS Level II code: a letter A-V then 4 digits."""
    return bool(_HCPCS.fullmatch(value))


def is_cdt(value: str) -> bool:
    """A CDT dental procedure code: D then 4 digits."""
    return bool(_CDT.fullmatch(value))


def is_procedure_code(qualifier: str, value: str) -> bool | None:
    """The shape check for a procedure code by its qualifier (SV101-1, SVC01-1...):
    HC (CPT or HCPCS), AD (CDT), ER/WK/IV/N4... (None: no offline check)."""
    if qualifier == "HC":
        return is_cpt(value) or is_hcpcs(value)
    if qualifier == "AD":
        return is_cdt(value)
    return None


def is_place_of_service(value: str) -> bool:
    """A CMS place-of-service code (CLM05-1 of the 837P, SV105)."""
    return value in PLACE_OF_SERVICE_CODES


def is_taxonomy(value: str) -> bool:
    """A Health Care Provider Taxonomy code shape: 3 digits, 6 letters or digits, then X."""
    return bool(_TAXONOMY.fullmatch(value))


def is_us_state(value: str) -> bool:
    """A USPS state, DC, territory or military code."""
    return value in STATE_CODES


def is_zip(value: str) -> bool:
    """A US ZIP code: 5 or 9 digits."""
    return bool(_ZIP.fullmatch(value))
