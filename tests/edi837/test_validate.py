"""edi837.validate, coordination of benefits at the claim (SNIP 3): a prior payer's paid
amount (2320 AMT*D) is its lines' paid amounts (2430 SVD02) less its claim-level adjustments
(2320 CAS), or the claim charge less them when the payer adjudicated only the claim. The
TR3's own COB examples in the corpus balance under the rule. The broken-file table of the
other 837 rules is tests/edi837/test_validate_claims.py."""

from __future__ import annotations

import datetime as dt
import pathlib

import pytest

import edi837
from _corpus import CORPUS
from edi837 import fake
from edi837.validation import validate
from x12.pyx12_check import pyx12_available, validate_with_pyx12
from x12.validate import snip_level

TODAY = dt.date(2025, 1, 1)
STAMP = dt.datetime(2024, 5, 1, 10, 0)


def _segments() -> list[str]:
    claims = fake.generate(40, seed=7, every_loop=True)
    text = edi837.dumps(
        claims, submitter=fake.submitter(), receiver=fake.receiver(), timestamp=STAMP
    )
    return [s for s in text.split("~") if s]


def _join(segs: list[str]) -> str:
    st = next(i for i, s in enumerate(segs) if s.startswith("ST*"))
    se = next(i for i, s in enumerate(segs) if s.startswith("SE*"))
    parts = segs[se].split("*")
    parts[1] = str(se - st + 1)
    segs[se] = "*".join(parts)
    return "~".join(segs) + "~"


def _cob_claim(segs: list[str]) -> tuple[int, int]:
    """(index of the first AMT*D, index of the first SVD after it) or skip."""
    amt = next((i for i, s in enumerate(segs) if s.startswith("AMT*D*")), None)
    if amt is None:
        pytest.skip("the generator made no claim with a prior payer's paid amount (AMT*D)")
    svd = next((i for i in range(amt, len(segs)) if segs[i].startswith("SVD*")), None)
    if svd is None:
        pytest.skip("the generator made no line adjudication (2430 SVD)")
    return amt, svd


def _cob_codes(text: str) -> list[str]:
    return [f.code for f in validate(text, today=TODAY).errors if f.code.startswith("COB_")]


def test_generated_cob_claims_balance() -> None:
    segs = _segments()
    _cob_claim(segs)
    assert _cob_codes(_join(segs)) == []


def test_paid_amount_not_the_lines_less_adjustments() -> None:
    segs = _segments()
    amt, _ = _cob_claim(segs)
    segs[amt] = "AMT*D*1.00"
    report = validate(_join(segs), today=TODAY)
    hits = [f for f in report.errors if f.code == "COB_CLAIM_UNBALANCED"]
    assert len(hits) == 1, str(report)
    loc = hits[0].location
    assert loc is not None
    assert (loc.segment_index, loc.segment_id, loc.loop, loc.element) == (amt + 1, "AMT", "2320", 2)
    assert snip_level(hits[0]) == 3
    ack = report.to_999()
    assert "IK3*AMT*" in ack and "IK4*2**I12" in ack and "IK5*R" in ack
    if pyx12_available():
        assert validate_with_pyx12(ack).passed


def _claim_level_only(segs: list[str], adjustment: str) -> str:
    """The first COB claim's payer adjudicated the claim only: its 2430 loops are removed
    and its claim-level CAS carries ``adjustment``."""
    amt, svd = _cob_claim(segs)
    cas = max(i for i in range(amt) if segs[i].startswith(("CAS*", "SBR*")))
    if segs[cas].startswith("SBR*"):
        segs.insert(cas + 1, "CAS*CO*45*0.00")
        amt, svd = amt + 1, svd + 1
        cas += 1
    segs[cas] = f"CAS*CO*45*{adjustment}"
    end = next(i for i in range(svd, len(segs)) if segs[i].startswith(("HL*", "CLM*", "SE*")))
    kept: list[str] = []
    in_2430 = False
    for seg in segs[svd:end]:  # every 2430 of the claim: SVD, its CAS and DTP*573
        if seg.startswith("SVD*"):
            in_2430 = True
        elif not seg.startswith(("CAS*", "DTP*573")):
            in_2430 = False
        if not in_2430:
            kept.append(seg)
    segs[svd:end] = kept
    return _join(segs)


def test_claim_level_adjudication_balances_against_the_claim_charge() -> None:
    segs = _segments()
    amt, _ = _cob_claim(segs)
    clm = max(i for i in range(amt) if segs[i].startswith("CLM*"))
    charge = segs[clm].split("*")[2]
    paid = segs[amt].split("*")[2]
    from decimal import Decimal

    balanced = _claim_level_only(list(segs), str(Decimal(charge) - Decimal(paid)))
    assert _cob_codes(balanced) == []
    unbalanced = _claim_level_only(list(segs), "1.00")
    assert _cob_codes(unbalanced) == ["COB_CLAIM_UNBALANCED"]


TR3_COB = ["lfh_cob_ex3B.837", "lfh_cob_ex3C.837", "lfh_cob_ex4.837", "badx12_msp_cob.837"]
TR3_COB += ["badx12_cob_payer_to_payer.837"]


@pytest.mark.parametrize("name", TR3_COB)
def test_the_guides_cob_examples_balance(name: str) -> None:
    """The TR3's COB examples (2320 CAS with 2430 SVD/CAS for the same payer) satisfy both
    forms of the rule; a changed paid amount does not."""
    path: pathlib.Path = CORPUS / "837p" / name
    if not path.is_file():
        pytest.skip(f"corpus file {path} not present")
    text = path.read_text(encoding="latin-1")
    assert "AMT*D*" in text
    assert _cob_codes(text) == []
    broken = text.replace("AMT*D*", "AMT*D*1", 1)
    assert _cob_codes(broken) == ["COB_CLAIM_UNBALANCED"]


# Where pyx12 and we disagree on a corpus file, decided from the guide. pyx12 4.0.0 has no
# map for 005010X222A2 / X223A3 (it stops at "no-map" and judges nothing); we check those
# files against the X222A1 / X223A2 tables (a GUIDE_SUBSTITUTED warning says so) and find
# what the guide forbids. Where pyx12 passes a file, our SNIP 1-2 agree (the test in
# test_validate_claims.py); our SNIP 5 goes further than pyx12, which checks no check digit
# and no EIN shape.
# (file, code, segment id, element, component, the guide's rule)
DISAGREEMENTS: list[tuple[str, str, str, int | None, int | None, str]] = [
    ("837p/lfh_cob_ex4.837", "INVALID_CODE_VALUE", "AMT", 1, None,
     "X222A1 2320 AMT01 is D, A8 or EAF; F2 was 4010's patient-responsibility amount"),
    ("837p/lfh_cob_ex3A.837", "MANDATORY_SEGMENT_MISSING", "NM1", None, None,
     "X222A1 2330B (Other Payer Name) is required in every 2320"),
    ("837p/lfh_ambulance_ex5.837", "REQUIRED_DATA_ELEMENT_MISSING", "CLM", 5, 2,
     "X222A1 CLM05-2 (facility code qualifier, B) is required"),
    ("837i/lfh_institutional_claim.837i", "INVALID_CODE_VALUE", "DTP", 2, None,
     "X223A2 2300 DTP*434 (statement dates) is a range: DTP02 = RD8"),
    ("837i/lfh_institutional_claim.837i", "NOT_USED_ELEMENT_PRESENT", "CLM", 6, None,
     "X223A2 CLM06 is not used"),
    ("837p/badx12_anesthesia.837", "INVALID_NPI", "NM1", 9, None,
     "an NPI's last digit is the Luhn check digit over 80840 and the first nine (pyx12 passes)"),
    ("837p/badx12_home_infusion_ndc.837", "INVALID_EIN", "REF", 2, None,
     "REF*EI carries the 9-digit EIN without its hyphen (pyx12 passes)"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "code", "seg_id", "element", "component", "rule"),
    DISAGREEMENTS,
    ids=[f"{d[0].split('/')[1]}:{d[1]}" for d in DISAGREEMENTS],
)
def test_where_pyx12_and_we_disagree_the_guide_decides(
    name: str, code: str, seg_id: str, element: int | None, component: int | None, rule: str
) -> None:
    path = CORPUS / name
    if not path.is_file():
        pytest.skip(f"corpus file {path} not present")
    data = path.read_bytes()
    report = validate(data)
    hits = [
        f
        for f in report.errors
        if f.code == code and f.location is not None and f.location.segment_id == seg_id
    ]
    assert hits, f"{rule}: {[str(f) for f in report.findings]}"
    loc = hits[0].location
    assert loc is not None and (loc.element, loc.component) == (element, component), rule
    if pyx12_available():
        judged = validate_with_pyx12(data.decode("latin-1"))
        if code in ("INVALID_NPI", "INVALID_EIN"):
            assert judged.passed  # pyx12 does not check these
        else:
            assert [f.code for f in judged.findings] == ["pyx12:no-map"]  # judged nothing
