"""The 277CA records: dispositions of status categories, flattening, JSON round trip."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import cattrs
import pytest

from models.acknowledgment import (
    ClaimAcknowledgment,
    ClaimAcknowledgmentReport,
    Disposition,
    InformationReceiver,
    InformationSource,
    LineAcknowledgment,
    Party,
    ProviderAcknowledgment,
    StatusCode,
    StatusInfo,
    disposition_of,
)
from models.common import UnmappedSegment


@pytest.mark.parametrize(
    ("category", "expected"),
    [
        ("A1", Disposition.ACCEPTED),
        ("A2", Disposition.ACCEPTED),
        ("A5", Disposition.ACCEPTED),
        ("A3", Disposition.REJECTED),
        ("A4", Disposition.REJECTED),
        ("A6", Disposition.REJECTED),
        ("A7", Disposition.REJECTED),
        ("A8", Disposition.REJECTED),
        ("E0", Disposition.ERROR),
        ("P1", Disposition.PENDING),
        ("F2", Disposition.FINALIZED),
        ("", Disposition.OTHER),
        ("ZZ", Disposition.OTHER),
    ],
)
def test_disposition_of(category: str, expected: Disposition) -> None:
    assert disposition_of(category) is expected


def _report() -> ClaimAcknowledgmentReport:
    accepted = StatusInfo((StatusCode("A2", "20"),), dt.date(2024, 1, 2), "WQ", Decimal("10.5"))
    rejected = StatusInfo((StatusCode("A7", "562", "85"),), None, "U")
    claims = (
        ClaimAcknowledgment(Party("QC", "1", "DOE"), "PCN1", (accepted,)),
        ClaimAcknowledgment(
            None,
            "PCN2",
            (accepted, rejected),
            payer_claim_number="P2",
            lines=(LineAcknowledgment(("HC", "99213"), Decimal(5), statuses=(rejected,)),),
            unmapped=(UnmappedSegment("AMT", ((("X",),),)),),
        ),
    )
    provider = ProviderAcknowledgment(Party("85", "2", "CLINIC"), "T", claims=claims)
    receiver = InformationReceiver(None, "B1", providers=(provider,))
    source = InformationSource(None, "S", dt.date(2024, 1, 1), receivers=(receiver,))
    return ClaimAcknowledgmentReport("0001", "REF", dt.date(2024, 1, 1), sources=(source,))


def test_claims_flatten_and_any_rejection_rejects() -> None:
    report = _report()
    first, second = report.claims
    assert first.accepted and first.status is not None and first.status.category == "A2"
    assert second.rejected and second.lines[0].disposition is Disposition.REJECTED
    assert report.claim("PCN2") is second and report.claim("nope") is None
    assert ClaimAcknowledgment(None, "X").disposition is Disposition.OTHER


def test_json_round_trip() -> None:
    conv = cattrs.Converter()
    conv.register_unstructure_hook(Decimal, str)
    conv.register_structure_hook(Decimal, lambda v, _: Decimal(v))
    conv.register_unstructure_hook(dt.date, dt.date.isoformat)
    conv.register_structure_hook(dt.date, lambda v, _: dt.date.fromisoformat(v))
    report = _report()
    data = conv.unstructure(report)
    assert (
        data["sources"][0]["receivers"][0]["providers"][0]["claims"][0]["statuses"][0]["amount"]
        == "10.5"
    )
    assert conv.structure(data, ClaimAcknowledgmentReport) == report
