"""models.reconcile on hand-built claims and remittances: each case states what a biller
would conclude (status, amounts, which line) from the remittance alone."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import attrs
import pytest

from models.acknowledgment import ClaimAcknowledgment, StatusCode, StatusInfo
from models.claim import Claim, Payer, Provider, ServiceLine, Subscriber
from models.common import Adjustment, AdjustmentGroup
from models.json import to_json
from models.reconcile import (
    Amounts,
    Status,
    SubmittedClaim,
    TransactionAcceptance,
    reconcile,
)
from models.remittance import (
    Amount,
    ClaimGroup,
    ClaimPayment,
    Party,
    Procedure,
    Reference,
    Remittance,
    RemittanceParty,
    ServicePayment,
)

CO = AdjustmentGroup.CONTRACTUAL
PR = AdjustmentGroup.PATIENT_RESPONSIBILITY
OA = AdjustmentGroup.OTHER
DAY = dt.date(2024, 3, 1)


def claim(cid: str = "C1", *lines: tuple[str, str, str | None]) -> Claim:
    """A claim with lines (procedure, charge, REF*6R)."""
    lines = lines or (("99213", "100.00", "L1"), ("85025", "40.00", "L2"))
    sl = tuple(ServiceLine(p, D(c), DAY, control_number=ctrl) for p, c, ctrl in lines)
    return Claim(
        id=cid,
        charge=sum((x.charge for x in sl), D(0)),
        place_of_service="11",
        billing_provider=Provider(name="CLINIC", npi="1234567893"),
        subscriber=Subscriber(last_name="DOE", member_id="M1"),
        payer=Payer(name="ACME", id="P1"),
        service_lines=sl,
    )


def svc(
    code: str,
    charge: str,
    paid: str,
    *adj: tuple[AdjustmentGroup, str, str],
    ctrl: str | None = None,
    allowed: str | None = None,
    submitted: str | None = None,
) -> ServicePayment:
    return ServicePayment(
        procedure=Procedure("HC", code),
        charge=D(charge),
        paid=D(paid),
        submitted_procedure=Procedure("HC", submitted) if submitted else None,
        service_date=DAY,
        adjustments=tuple(Adjustment(g, r, D(a)) for g, r, a in adj),
        references=(Reference("6R", ctrl),) if ctrl else (),
        amounts=(Amount("B6", D(allowed)),) if allowed else (),
    )


def pay(
    cid: str,
    status: str,
    *services: ServicePayment,
    number: str = "N1",
    adj: tuple[tuple[AdjustmentGroup, str, str], ...] = (),
    **kw: object,
) -> ClaimPayment:
    cas = tuple(Adjustment(g, r, D(a)) for g, r, a in adj)
    charge = sum((s.charge for s in services), D(0)) + sum((a.amount for a in cas), D(0))
    paid = sum((s.paid for s in services), D(0))
    return ClaimPayment(
        cid,
        status,
        charge,
        paid,
        payer_claim_number=number,
        adjustments=cas,
        services=services,
        **kw,  # type: ignore[arg-type]
    )


def remit(*claims: ClaimPayment, payer: str = "ACME") -> Remittance:
    return Remittance(
        handling="I",
        amount=sum((c.paid for c in claims), D(0)),
        credit_debit="C",
        method="CHK",
        trace_number="T1",
        payer=RemittanceParty(payer),
        payee=RemittanceParty("CLINIC"),
        groups=(ClaimGroup("1", claims=claims),),
    )


FULL = (
    svc("99213", "100.00", "80.00", (CO, "45", "20.00"), ctrl="L1", allowed="80.00"),
    svc("85025", "40.00", "30.00", (CO, "45", "10.00"), ctrl="L2", allowed="30.00"),
)
DENY_L2 = svc("85025", "40.00", "0", (CO, "50", "40.00"), ctrl="L2")


def test_paid_in_full_by_line_control_number() -> None:
    r = reconcile([claim()], [remit(pay("C1", "1", *FULL))]).claims[0]
    assert r.status is Status.PAID
    assert r.amounts == Amounts(
        D("140.00"), D("110.00"), D("110.00"), D("30.00"), D(0), D(0), D(0), D(0)
    )
    assert [ln.matched_by for ln in r.lines] == ["control_number"] * 2
    assert [ln.amounts.paid for ln in r.lines] == [D("80.00"), D("30.00")]


def test_partial_denied_line_and_patient_share() -> None:
    l1 = svc("99213", "100.00", "60.00", (CO, "45", "20.00"), (PR, "2", "20.00"), ctrl="L1")
    r = reconcile([claim()], [remit(pay("C1", "1", l1, DENY_L2))]).claims[0]
    assert r.status is Status.PARTIAL
    assert [ln.status for ln in r.lines] == [Status.PAID, Status.DENIED]
    a = r.amounts
    assert (a.paid, a.contractual, a.patient_responsibility, a.denied, a.open) == (
        D("60.00"),
        D("60.00"),
        D("20.00"),
        D("40.00"),
        D(0),
    )
    assert r.lines[1].reasons == ("CO-50",)


def test_denied_claim_and_deductible_line_is_not_a_denial() -> None:
    d1 = svc("99213", "100.00", "0", (CO, "50", "100.00"), ctrl="L1")
    r = reconcile([claim()], [remit(pay("C1", "4", d1, DENY_L2))]).claims[0]
    assert r.status is Status.DENIED and r.amounts.allowed == 0
    ded = svc("99213", "100.00", "0", (CO, "45", "20.00"), (PR, "1", "80.00"), ctrl="L1")
    r = reconcile([claim()], [remit(pay("C1", "1", ded, FULL[1]))]).claims[0]
    assert r.status is Status.PAID
    assert r.lines[0].status is Status.PAID and r.lines[0].amounts.patient_responsibility == 80


def test_fallback_without_line_control_numbers() -> None:
    stripped = tuple(attrs.evolve(s, references=()) for s in FULL)
    r = reconcile([claim()], [remit(pay("C1", "1", *reversed(stripped)))]).claims[0]
    assert [ln.matched_by for ln in r.lines] == ["procedure_date_charge"] * 2
    assert [ln.amounts.paid for ln in r.lines] == [D("80.00"), D("30.00")]
    assert r.status is Status.PAID


def test_unbundled_line_matches_by_submitted_procedure() -> None:
    c = claim("C1", ("80053", "90.00", None))
    parts = (
        svc("82947", "45.00", "30.00", (CO, "45", "15.00"), submitted="80053"),
        svc("82565", "45.00", "30.00", (CO, "45", "15.00"), submitted="80053"),
    )
    r = reconcile([c], [remit(pay("C1", "1", *parts))]).claims[0]
    (line,) = r.lines
    assert line.payments == 2 and line.matched_by == "procedure_date"
    assert line.amounts.paid == D("60.00") and line.amounts.open == 0
    assert r.status is Status.PAID and r.unmatched_services == 0


def test_split_claim_and_unanswered_part() -> None:
    first = pay("C1", "1", FULL[0], number="A")
    r = reconcile([claim()], [remit(first)]).claims[0]
    assert r.status is Status.PARTIAL
    assert [ln.status for ln in r.lines] == [Status.PAID, Status.PENDING]
    assert r.amounts.open == D("40.00")
    second = pay("C1", "1", FULL[1], number="B")
    r = reconcile([claim()], [remit(first), remit(second)]).claims[0]
    assert r.status is Status.PAID and r.payments == 2 and r.amounts.open == 0


def _negate(p: ClaimPayment) -> ClaimPayment:
    def neg(items: tuple[Adjustment, ...]) -> tuple[Adjustment, ...]:
        return tuple(Adjustment(a.group, a.reason, -a.amount) for a in items)

    return attrs.evolve(
        p,
        status="22",
        charge=-p.charge,
        paid=-p.paid,
        services=tuple(
            attrs.evolve(s, charge=-s.charge, paid=-s.paid, adjustments=neg(s.adjustments))
            for s in p.services
        ),
        adjustments=neg(p.adjustments),
    )


def test_reversal_alone_and_reversal_with_correction() -> None:
    orig = pay("C1", "1", *FULL, number="N1")
    r = reconcile([claim()], [remit(orig), remit(_negate(orig))]).claims[0]
    assert r.status is Status.REVERSED
    assert r.amounts.paid == 0 and r.amounts.open == D("140.00")
    assert r.reversed_paid == D("110.00") and {ln.status for ln in r.lines} == {Status.REVERSED}
    corrected = pay("C1", "1", FULL[0], DENY_L2, number="N2")
    r = reconcile([claim()], [remit(orig), remit(_negate(orig), corrected)]).claims[0]
    assert r.status is Status.ADJUSTED and r.outcome is Status.PARTIAL
    assert r.amounts.paid == D("80.00") and r.amounts.open == 0
    assert r.payments == 1 and r.reversals == 1
    # The reversal of a payment sent in an older file: the correction alone stands.
    r = reconcile([claim()], [remit(_negate(orig), pay("C1", "1", *FULL, number="N2"))]).claims[0]
    assert r.status is Status.ADJUSTED and r.outcome is Status.PAID
    assert r.amounts.paid == D("110.00")


def test_crossover_to_secondary_payer() -> None:
    tt = Party("TT", "2", "SECOND PLAN", id_qualifier="PI", id="S1")
    p = pay("C1", "19", *FULL, crossover_carrier=tt)
    r = reconcile([claim()], [remit(p)]).claims[0]
    assert r.status is Status.PAID and r.forwarded_to == "SECOND PLAN"


def test_unmatched_remittance_claims_are_reported() -> None:
    rep = reconcile([claim()], [remit(pay("C1", "1", *FULL), pay("OTHER", "1", FULL[0]))])
    assert [(u.patient_control_number, u.paid) for u in rep.unmatched] == [("OTHER", D("80.00"))]
    assert rep.claims[0].status is Status.PAID


def _ack(cid: str, category: str) -> ClaimAcknowledgment:
    return ClaimAcknowledgment(None, cid, (StatusInfo((StatusCode(category, "20"),)),))


@pytest.mark.parametrize(
    ("acceptances", "acks", "expected"),
    [
        ((), (), Status.PENDING),
        ((TransactionAcceptance("0001", True, ("C1",)),), (), Status.ACCEPTED),
        ((TransactionAcceptance("0001", False, ("C1",)),), (), Status.REJECTED),
        ((), (_ack("C1", "A2"),), Status.ACCEPTED),
        ((), (_ack("C1", "A7"),), Status.REJECTED),
        ((TransactionAcceptance("0001", True, ("C1",)),), (_ack("C1", "A3"),), Status.REJECTED),
    ],
)
def test_acknowledgments_and_age(
    acceptances: tuple[TransactionAcceptance, ...],
    acks: tuple[ClaimAcknowledgment, ...],
    expected: Status,
) -> None:
    sub = SubmittedClaim(claim(), "batch1", dt.date(2024, 3, 5))
    rep = reconcile([sub], [], acceptances=acceptances, claim_acks=acks, as_of=dt.date(2024, 4, 4))
    r = rep.claims[0]
    assert r.status is expected and r.age_days == 30
    assert r.amounts.open == D("140.00") and r.amounts.paid == 0
    assert rep.by_batch[0].key == "batch1" and rep.by_batch[0].counts == ((str(expected), 1),)


def test_payment_wins_over_acknowledgment_and_summaries() -> None:
    acc = TransactionAcceptance("0001", True, ("C1", "C2"))
    rep = reconcile([claim("C1"), claim("C2")], [remit(pay("C1", "1", *FULL))], acceptances=[acc])
    assert [c.status for c in rep.claims] == [Status.PAID, Status.ACCEPTED]
    assert rep.claims[0].acknowledgment is Status.ACCEPTED
    (s,) = rep.by_payer
    assert s.key == "P1" and s.claims == 2
    assert s.counts == (("accepted", 1), ("paid", 1))
    assert s.amounts.billed == D("280.00") and s.amounts.open == D("140.00")
    assert '"status": "paid"' in to_json(rep)


def test_amount_identity_holds_for_every_claim_and_line() -> None:
    cases = [
        remit(pay("C1", "1", *FULL)),
        remit(pay("C1", "1", FULL[0], DENY_L2, adj=((OA, "23", "5.00"),))),
        remit(pay("C1", "1", FULL[0])),
    ]
    for rm in cases:
        r = reconcile([claim()], [rm]).claims[0]
        for a in [r.amounts, *(ln.amounts for ln in r.lines)]:
            total = a.paid + a.contractual + a.patient_responsibility + a.other_adjustments
            assert a.billed == total + a.open


def test_secondary_payment_after_crossover_is_kept_apart() -> None:
    tt = Party("TT", "2", "SECOND PLAN", id_qualifier="PI", id="S1")
    l1 = svc("99213", "100.00", "60.00", (CO, "45", "20.00"), (PR, "2", "20.00"), ctrl="L1")
    primary = pay("C1", "19", l1, FULL[1], crossover_carrier=tt)
    sec = svc("99213", "100.00", "20.00", (CO, "45", "80.00"), ctrl="L1")
    secondary = pay("C1", "2", sec, number="S9")
    r = reconcile([claim()], [remit(primary), remit(secondary, payer="SECOND")]).claims[0]
    assert r.status is Status.PAID and r.forwarded_to == "SECOND PLAN"
    assert r.amounts.paid == D("90.00") and r.secondary_paid == D("20.00")
    assert r.amounts.open == 0 and r.lines[0].payments == 1


def test_report_json_round_trip() -> None:
    from models.json import from_json
    from models.reconcile import ReconciliationReport

    rep = reconcile(
        [SubmittedClaim(claim("C1"), "b", DAY), claim("C2")],
        [remit(pay("C1", "1", FULL[0], DENY_L2), pay("X", "4", DENY_L2))],
        as_of=dt.date(2024, 5, 1),
    )
    assert from_json(to_json(rep), ReconciliationReport) == rep
