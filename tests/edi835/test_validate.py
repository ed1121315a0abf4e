"""edi835.validate, balancing findings in the 999: each SNIP 3 finding points at the paid
amount its rule ends in (SVC03, CLP04, BPR02), so the 999 carries an IK4 under the IK3 (an
IK3 saying "segment has data element errors" names the element), and pyx12 accepts the 999.
The broken-file table for the 835 rules is tests/edi835/test_validate_remittance.py."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pytest

from edi835.fake import adjudicate, synthetic_claims
from edi835.validation import validate
from edi835.writer import dumps
from x12.pyx12_check import pyx12_available, validate_with_pyx12

TODAY = dt.date(2025, 1, 1)


def _text(seed: int = 2, count: int = 4) -> str:
    rem = adjudicate(synthetic_claims(count, seed=seed), seed=seed)
    return dumps([rem], timestamp=dt.datetime(2024, 5, 1, 10, 0))


def _set(prefix: str, element: int, value: str) -> Callable[[str], str]:
    def edit(text: str) -> str:
        segs = text.split("~")
        i = next(k for k, s in enumerate(segs) if s.startswith(prefix))
        parts = segs[i].split("*")
        parts[element] = value
        segs[i] = "*".join(parts)
        return "~".join(segs)

    return edit


# (name, edit, code, segment id, element)
UNBALANCED = [
    ("line", _set("SVC*", 3, "90.00"), "LINE_UNBALANCED", "SVC", 3),
    ("claim", _set("CLP*", 4, "230.00"), "CLAIM_UNBALANCED", "CLP", 4),
    ("transaction", _set("BPR*", 2, "500.00"), "TRANSACTION_UNBALANCED", "BPR", 2),
]


@pytest.mark.parametrize(
    ("name", "edit", "code", "seg_id", "element"), UNBALANCED, ids=[u[0] for u in UNBALANCED]
)
def test_balancing_findings_name_the_paid_element_and_the_999_an_ik4(
    name: str, edit: Callable[[str], str], code: str, seg_id: str, element: int
) -> None:
    report = validate(edit(_text()), today=TODAY)
    hits = [f for f in report.errors if f.code == code]
    assert hits, f"{name}: {[str(f) for f in report.findings]}"
    loc = hits[0].location
    assert loc is not None and (loc.segment_id, loc.element) == (seg_id, element)
    ack = report.to_999()
    ik3 = re.search(rf"IK3\*{seg_id}\*\d+\*[^~]*\*8~(CTX\*[^~]*~)*IK4\*{element}\*", ack)
    assert ik3, ack
    assert "IK5*R" in ack
    if pyx12_available():
        assert validate_with_pyx12(ack).passed


def test_balanced_remittances_still_accepted() -> None:
    report = validate(_text(seed=4, count=10), today=TODAY)
    assert report.findings == ()
    assert "IK5*A~" in report.to_999()
