"""Payment and denial records against hand-computed expectations for the corpus's TR3
examples (paid, denied, reversed, secondary, capitation, PLB withholding)."""

from __future__ import annotations

import io
from decimal import Decimal as D

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import edi835
from _corpus import CORPUS
from models.common import Adjustment
from models.remittance import ClaimPayment, Remittance
from models.remittance_records import (
    CodeDescriptions,
    ReversalLinker,
    denial_records,
    link_reversals,
    payment_records,
)
from models.strategies_remittance import remittances


def load(name: str) -> list:  # type: ignore[type-arg]
    path = CORPUS / "835" / name
    if not path.is_file():
        pytest.skip(f"corpus file {name} is absent (../shared/corpus)")
    return edi835.loads(path.read_bytes())


def claims_of(records: list) -> list:  # type: ignore[type-arg]
    return [r for r in records if r.level == "claim"]


def test_paid_with_deductible() -> None:
    # CLP*5554555444*1*800*450*300 / CAS*CO*A2*50 / SVC*HC:99211*800*500 / CAS*PR*1*300
    recs = payment_records(load("badx12_dollars_data_separate.835"))
    c1, l1, c2, l2 = recs
    assert (c1.level, l1.level) == ("claim", "line")
    assert (c1.billed, c1.paid, c1.patient_responsibility) == (D(800), D(450), D(300))
    assert (c1.deductible, c1.coinsurance, c1.copay, c1.contractual) == (D(300), 0, 0, D(50))
    assert (l1.billed, l1.paid, l1.deductible, l1.contractual) == (D(800), D(500), D(300), 0)
    assert l1.procedure_code == "99211" and l1.line_number == 1
    # CLP*8765432112*1*1200*495*600 / CO A2 55 / line PR 1 600, CO 45 50
    assert (c2.paid, c2.deductible, c2.contractual) == (D(495), D(600), D(105))
    assert (l2.paid, l2.contractual) == (D(550), D(50))
    assert all(r.kind == "original" for r in recs)
    assert denial_records(load("badx12_dollars_data_separate.835")) == []


def test_capitation_style_managed_care() -> None:
    recs = claims_of(payment_records(load("lfh_managed_care.835")))
    assert [(r.billed, r.paid, r.contractual, r.deductible) for r in recs] == [
        (D("800.00"), D("450.00"), D("50.00"), D("300.00")),
        (D("1200.00"), D("495.00"), D("105.00"), D("600.00")),
    ]


def test_denied_claim() -> None:
    # CLP*2005555A*4*915.39*0 with three lines: CO-16 500.04, OA-A7 127.8, OA-A7 287.55,
    # each LQ*HE*N14.
    rems = load("pyx12_835_mult_loops.835")
    (d,) = denial_records(rems)
    assert (d.level, d.claim_status, d.payer_claim_number) == ("claim", "4", "4276512332")
    assert (d.group, d.reason, d.amount) == ("CO", "16", D("500.04"))
    assert d.remarks == ("N14",)
    assert d.billed == D("915.39")
    assert len(d.adjustments) == 3
    (claim,) = claims_of(payment_records(rems))
    assert claim.paid == 0 and claim.contractual == D("500.04")
    assert claim.other_adjustments == D("415.35")


def test_reversal_and_correction_are_linked() -> None:
    # CLP*9876543210ABC*22*-37617.33*-627.97 (payer claim 1300000000000020) reversed, then
    # CLP*9876543210ABC*1*37617.33*629.54 (1400000000000020): net payment 1.57 = BPR02.
    rems = load("herophilus_emedny_inpatient_drg_retro.835")
    rev, cor = claims_of(payment_records(rems))
    assert (rev.kind, rev.linked_payer_claim_number) == ("reversal", "1400000000000020")
    assert (cor.kind, cor.linked_payer_claim_number) == ("correction", "1300000000000020")
    assert rev.paid + cor.paid == rems[0].amount == D("1.57")
    assert rev.billed + cor.billed == 0  # the claim is not counted twice
    assert link_reversals(rems[0].claims) == {0: ("reversal", 1), 1: ("correction", 0)}
    assert denial_records(rems) == []


def test_secondary_payment() -> None:
    rems = load("lfh_secondary_payment.835")
    recs = payment_records(rems)
    c1 = recs[0]
    assert (c1.claim_status, c1.billed, c1.paid, c1.other_adjustments) == (
        "2",
        D("10323.64"),
        D("912.00"),
        D("9411.64"),
    )
    c2, l1, l2 = recs[1:]
    assert (c2.billed, c2.paid, c2.allowed) == (D("751.50"), D("310.00"), D("650.00"))
    assert (c2.deductible, c2.coinsurance, c2.contractual) == (D("150.00"), D("70.00"), D("85.00"))
    assert c2.patient_responsibility == D("220.00")
    assert (l1.allowed, l1.paid, l1.other_adjustments) == (D("150.00"), D("30.00"), D("136.50"))
    assert l1.modifiers == ("26",)
    assert (l2.revenue_code, l2.deductible, l2.coinsurance) == ("220", D("150.00"), D("70.00"))


def test_plb_withholding_and_line_denials() -> None:
    rems = load("herophilus_emedny_pharmacy.835")
    (plb,) = rems[0].provider_adjustments
    assert (plb.reason, plb.reference, plb.amount) == ("WO", "FCN#201001010000000", D("3.99"))
    assert rems[0].amount == sum((c.paid for c in rems[0].claims), D(0)) - plb.amount
    denials = denial_records(rems)
    assert [(d.level, d.line_number, d.group, d.reason, d.amount) for d in denials] == [
        ("line", 1, "CO", "27", D(4)),
        ("line", 1, "CO", "16", D("9.46")),
    ]
    assert denials[0].procedure_code == "68382005501"
    paid_line = [r for r in payment_records(rems) if r.level == "line"][2]
    assert paid_line.adjustments == (
        Adjustment("CO", "91", D("-3.5")),
        Adjustment("CO", "45", D("36.32")),
    )
    assert paid_line.contractual == D("32.82")


def test_licensed_descriptions_are_loaded_from_csv() -> None:
    rems = load("pyx12_835_mult_loops.835")
    carc = io.StringIO("code,description\n16,text the user licensed for 16\n")
    rarc = io.StringIO("N14,text the user licensed for N14\n")
    desc = CodeDescriptions.from_csv(carc, rarc)
    (d,) = denial_records(rems, desc)
    assert d.reason_description == "text the user licensed for 16"
    assert d.remark_descriptions == ("text the user licensed for N14",)
    (plain,) = denial_records(rems)
    assert plain.reason_description is None


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(remittances())
def test_records_account_for_every_cent(rem: Remittance) -> None:
    """billed - paid = patient responsibility + contractual + other, at both levels, for
    balanced remittances; one claim record per claim and one line record per line."""
    recs = payment_records([rem])
    claims = [r for r in recs if r.level == "claim"]
    lines = [r for r in recs if r.level == "line"]
    assert len(claims) == len(rem.claims)
    assert len(lines) == sum(len(c.services) for c in rem.claims)
    for r in recs:
        pr = sum((a.amount for a in r.adjustments if a.group == "PR"), D(0))
        assert r.billed - r.paid == pr + r.contractual + r.other_adjustments
        assert r.deductible + r.coinsurance + r.copay <= pr or pr < 0
    for d in denial_records([rem]):
        assert d.level in ("claim", "line") and d.reason


# --------------------------------------------------------------------- ReversalLinker
def _claim(pcn: str, status: str, number: str) -> ClaimPayment:
    return ClaimPayment(
        patient_control_number=pcn,
        status=status,
        charge=D(1),
        paid=D(0),
        payer_claim_number=number,
    )


def _rule(claims: list[ClaimPayment]) -> list[tuple[str, int]]:
    """The pairing rule written out over the whole list: a reversal (CLP02 = 22) pairs with
    the next claim of its CLP01 that is not a reversal; a later reversal of the same CLP01
    replaces an unanswered one."""
    kinds = [("reversal" if c.status == "22" else "original", -1) for c in claims]
    for i, c in enumerate(claims):
        if c.status != "22":
            continue
        for j in range(i + 1, len(claims)):
            d = claims[j]
            if d.patient_control_number != c.patient_control_number:
                continue
            if d.status == "22":
                break  # replaced before it was answered
            if kinds[j][1] < 0:
                kinds[i], kinds[j] = ("reversal", j), ("correction", i)
            break
    return kinds


_pairs = st.lists(
    st.tuples(st.sampled_from(("A", "B", "C")), st.sampled_from(("1", "4", "22", "22"))),
    max_size=30,
)


@given(_pairs)
def test_the_linker_pairs_claims_by_the_rule_releasing_them_in_order(
    spec: list[tuple[str, str]],
) -> None:
    claims = [_claim(pcn, status, f"N{i}") for i, (pcn, status) in enumerate(spec)]
    linker = ReversalLinker()
    out = []
    for k, c in enumerate(claims):
        out += linker.push(c)
        # released: every claim before the oldest reversal not yet followed by a claim of
        # its CLP01 (that claim answers or replaces it); held: that reversal on
        waiting = [
            i
            for i in range(k + 1)
            if claims[i].status == "22"
            and all(
                d.patient_control_number != claims[i].patient_control_number
                for d in claims[i + 1 : k + 1]
            )
        ]
        assert len(out) == (waiting[0] if waiting else k + 1)
    out += linker.finish()
    assert [i for i, *_ in out] == list(range(len(claims)))
    assert [c for _, c, *_ in out] == claims
    assert [(kind, p) for _, _, kind, p, _ in out] == _rule(claims)
    for _, _, _, p, number in out:
        assert number == (claims[p].payer_claim_number if p >= 0 else None)
    assert link_reversals(claims) == {i: k for i, k in enumerate(_rule(claims)) if k[1] >= 0}


def test_the_linker_holds_claims_only_while_a_reversal_is_unanswered() -> None:
    linker = ReversalLinker()
    assert len(linker.push(_claim("A", "1", "1"))) == 1  # nothing open: released at once
    assert linker.push(_claim("B", "22", "2")) == []  # waits for its correction
    assert linker.push(_claim("C", "1", "3")) == []  # behind the open reversal
    released = linker.push(_claim("B", "1", "4"))  # answers it: all three go
    assert [(i, kind, p, n) for i, _, kind, p, n in released] == [
        (1, "reversal", 3, "4"),
        (2, "original", -1, None),
        (3, "correction", 1, "2"),
    ]
    assert linker.push(_claim("D", "22", "5")) == []
    assert [(i, kind, p) for i, _, kind, p, _ in linker.finish()] == [(4, "reversal", -1)]
    assert linker.finish() == []
    # reusable: positions start again
    assert linker.push(_claim("A", "1", "6"))[0][0] == 0
