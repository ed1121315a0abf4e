"""Reconciliation end to end: edi837.fake claims -> 837 -> the 835 fake adjudicator ->
835 (some claim payments dropped, as if unanswered) -> reconcile. The expected statuses and
amounts are computed from the generated remittance models (what the adjudicator decided),
never from the reconciler."""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
from decimal import Decimal as D
from pathlib import Path

import attrs
import pytest

import edi837
from edi835 import fake as fake835
from edi835.reconcile import add_reconcile_parser, reconcile_files, run_reconcile
from edi835.writer import dumps as dumps_835
from edi837 import fake as fake837
from models.claim import Claim
from models.reconcile import ReconciliationReport, Status, reconcile
from models.remittance import ClaimPayment, Remittance
from x12.ack import Ack999, AckStatus, TransactionAck, acknowledge, write_999

DENIAL_CODES = {(str(g), carc) for g, carc, _ in fake835.DENIALS}
DROP_EVERY = 9  # every ninth claim gets no answer


def generated(
    count: int,
    seed: int,
    *,
    line_controls: bool = False,
    mix: fake835.AdjudicationMix | None = None,
) -> tuple[list[Claim], str, Remittance]:
    claims = fake837.generate(count, seed)
    if line_controls:
        claims = [
            attrs.evolve(
                c,
                service_lines=tuple(
                    attrs.evolve(ln, control_number=f"{c.id}-{i + 1}")
                    for i, ln in enumerate(c.service_lines)
                ),
            )
            for c in claims
        ]
    text = edi837.dumps(claims, submitter=fake837.submitter(), receiver=fake837.receiver())
    inputs, parties = fake835.claims_from_837(text)
    remit = fake835.adjudicate(inputs, seed=seed, parties=parties, mix=mix)
    dropped = {c.id for i, c in enumerate(claims) if i % DROP_EVERY == 4}
    kept = tuple(p for p in remit.claims if p.patient_control_number not in dropped)
    remit = attrs.evolve(remit, groups=(attrs.evolve(remit.groups[0], claims=kept),))
    return claims, text, remit


def expected(claim: Claim, payments: list[ClaimPayment]) -> dict[str, object]:
    """What the generator decided for a claim, read off its payments."""
    if not payments:
        return {"status": Status.PENDING, "paid": D(0), "open": claim.charge, "lines": None}
    final = [p for p in payments if p.status != "22"]
    assert len(final) == 1
    p = final[0]
    line_status = [
        Status.DENIED
        if any((str(a.group), a.reason) in DENIAL_CODES for a in s.adjustments)
        else Status.PAID
        for s in p.services
    ]
    if p.status == "4":
        outcome = Status.DENIED
    elif Status.DENIED in line_status:
        outcome = Status.PARTIAL
    else:
        outcome = Status.PAID
    co = sum((a.amount for s in p.services for a in s.adjustments if a.group == "CO"), D(0)) + sum(
        (a.amount for a in p.adjustments if a.group == "CO"), D(0)
    )
    return {
        "status": Status.ADJUSTED if len(payments) > 1 else outcome,
        "outcome": outcome,
        "paid": p.paid,
        "patient": p.patient_responsibility,
        "contractual": co,
        "open": D(0),
        "lines": [
            (st, s.paid, s.allowed or D(0)) for st, s in zip(line_status, p.services, strict=True)
        ],
    }


def check(claims: list[Claim], remit: Remittance, rep: ReconciliationReport) -> None:
    assert rep.unmatched == ()
    by_id = {c.claim_id: c for c in rep.claims}
    for claim in claims:
        payments = [p for p in remit.claims if p.patient_control_number == claim.id]
        want = expected(claim, payments)
        got = by_id[claim.id]
        assert got.status is want["status"], claim.id
        assert got.amounts.billed == claim.charge
        assert got.amounts.paid == want["paid"]
        assert got.amounts.open == want["open"]
        if want["lines"] is None:
            continue
        assert got.outcome is want["outcome"]
        assert got.amounts.patient_responsibility == want["patient"]
        assert got.amounts.contractual == want["contractual"]
        lines = [(ln.status, ln.amounts.paid, ln.amounts.allowed) for ln in got.lines]
        assert lines == want["lines"], claim.id


def test_end_to_end_generated_statuses_and_amounts() -> None:
    claims, _, remit = generated(300, seed=11)
    rep = reconcile(claims, [remit])
    check(claims, remit, rep)
    seen = {c.status for c in rep.claims}
    # The data exercises every outcome the generator makes.
    assert {Status.PAID, Status.PARTIAL, Status.DENIED, Status.ADJUSTED, Status.PENDING} <= seen
    assert sum(c.status is Status.PENDING for c in rep.claims) == len(
        [i for i in range(300) if i % DROP_EVERY == 4]
    )


def test_secondary_payments_after_a_prior_payer_are_paid_not_partial() -> None:
    """A claim billed as secondary (SBR01 = S) and paid as such (CLP02 = 2) carries OA-23
    for what the primary paid: that is settled money, not a shortfall. Its lines are PAID
    (PARTIAL only where the generator denied a line), whatever CAS group the 23 is under."""
    mix = fake835.AdjudicationMix(cob=1.0)
    claims, _, remit = generated(300, seed=12, mix=mix)
    secondary = [p for p in remit.claims if p.status == "2"]
    assert len(secondary) >= 20
    assert all(
        any(a.reason == "23" for s in p.services for a in s.adjustments)
        for p in secondary
        if p.paid
    )
    rep = reconcile(claims, [remit])
    check(claims, remit, rep)
    by_id = {c.claim_id: c for c in rep.claims}
    assert {by_id[p.patient_control_number].outcome for p in secondary} >= {Status.PAID}


def test_line_control_numbers_then_fallback_when_removed() -> None:
    claims, _, remit = generated(120, seed=4, line_controls=True)
    rep = reconcile(claims, [remit])
    check(claims, remit, rep)
    answered = [ln for c in rep.claims for ln in c.lines if ln.matched_by]
    assert answered and {ln.matched_by for ln in answered} == {"control_number"}
    # The payer drops REF*6R: the same answer by procedure, date and charge.
    stripped = attrs.evolve(
        remit,
        groups=tuple(
            attrs.evolve(
                g,
                claims=tuple(
                    attrs.evolve(
                        p, services=tuple(attrs.evolve(s, references=()) for s in p.services)
                    )
                    for p in g.claims
                ),
            )
            for g in remit.groups
        ),
    )
    assert all(s.line_item_control_number is None for p in stripped.claims for s in p.services)
    rep2 = reconcile(claims, [stripped])
    check(claims, stripped, rep2)
    answered2 = [ln for c in rep2.claims for ln in c.lines if ln.matched_by]
    assert len(answered2) == len(answered)
    assert {ln.matched_by for ln in answered2} == {"procedure_date_charge"}


# ------------------------------------------------------------------------- files and CLI
@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    d = tmp_path_factory.mktemp("reconcile")
    claims, text, remit = generated(40, seed=7)
    (d / "a.837").write_text(text)
    (d / "x.835").write_text(dumps_835([remit]))
    (d / "ok.999").write_text(acknowledge(text))
    gs06 = text.split("~GS*")[1].split("*")[5]
    st02 = text.split("~ST*")[1].split("*")[1]
    rejected = Ack999(
        "HC",
        gs06,
        "005010X222A1",
        AckStatus.REJECTED,
        1,
        1,
        0,
        transactions=(TransactionAck("837", st02, AckStatus.REJECTED, "005010X222A1", ("5",)),),
    )
    (d / "bad.999").write_text(write_999([rejected]))
    return {"dir": d, "claims": claims, "remit": remit}


def _args(*argv: str) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="edi835")
    add_reconcile_parser(p.add_subparsers(dest="command", required=True))
    return p.parse_args(["reconcile", *argv])


def test_reconcile_files_with_999(files: dict[str, object]) -> None:
    d: Path = files["dir"]  # type: ignore[assignment]
    claims: list[Claim] = files["claims"]  # type: ignore[assignment]
    remit: Remittance = files["remit"]  # type: ignore[assignment]
    rep = reconcile_files([d / "a.837"], [d / "x.835"], [d / "ok.999"], as_of=dt.date(2030, 1, 1))
    check_statuses = {c.claim_id: c for c in rep.claims}
    unanswered = [
        c for c in claims if not any(p.patient_control_number == c.id for p in remit.claims)
    ]
    assert unanswered
    for c in unanswered:
        r = check_statuses[c.id]
        assert r.status is Status.ACCEPTED and r.age_days is not None and r.age_days > 0
    assert all(r.acknowledgment is Status.ACCEPTED for r in rep.claims)
    assert rep.by_batch[0].key.startswith("a.837:") and rep.by_batch[0].claims == len(claims)
    rep = reconcile_files([d / "a.837"], [], [d / "bad.999"])
    assert {r.status for r in rep.claims} == {Status.REJECTED}


@pytest.mark.parametrize("fmt", ["table", "json", "csv"])
def test_command_line_formats(files: dict[str, object], fmt: str) -> None:
    d: Path = files["dir"]  # type: ignore[assignment]
    claims: list[Claim] = files["claims"]  # type: ignore[assignment]
    args = _args(
        "--claims", str(d / "a.837"), "--remits", str(d / "x.835"),
        "--acks", str(d / "ok.999"), "--as-of", "2030-01-01", "--format", fmt,
    )  # fmt: skip
    out = io.StringIO()
    assert run_reconcile(args, out) == 0
    text = out.getvalue()
    if fmt == "json":
        data = json.loads(text)
        assert len(data["claims"]) == len(claims) and data["as_of"] == "2030-01-01"
        assert {c["status"] for c in data["claims"]} >= {"paid", "accepted"}
    elif fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(text)))
        claim_rows = [r for r in rows if r["level"] == "claim"]
        assert len(claim_rows) == len(claims)
        for r in rows:
            parts = ("paid", "contractual", "patient_responsibility", "other_adjustments", "open")
            if r["level"] != "unmatched":
                assert D(r["billed"]) == sum(D(r[k]) for k in parts)
    else:
        assert "by payer:" in text and "unmatched remittance claims: 0" in text
        assert claims[0].id in text


def test_command_line_errors_exit_2(tmp_path: Path, files: dict[str, object]) -> None:
    err = io.StringIO()
    assert run_reconcile(_args("--claims", str(tmp_path / "missing.837")), io.StringIO(), err) == 2
    assert "reconcile" in err.getvalue() and "Traceback" not in err.getvalue()
    junk = tmp_path / "junk.837"
    junk.write_bytes(b"\xff\x00garbage")
    assert run_reconcile(_args("--claims", str(junk)), io.StringIO(), io.StringIO()) == 2
    d: Path = files["dir"]  # type: ignore[assignment]
    args = _args("--claims", str(d / "a.837"), "--acks", str(d / "x.835"))
    assert run_reconcile(args, io.StringIO(), io.StringIO()) == 2
    with pytest.raises(SystemExit):
        _args("--claims", "a.837", "--as-of", "yesterday")


def _277ca(accepted: list[str], rejected: list[str]) -> str:
    """A small synthetic 277CA (005010X214) accepting and rejecting these CLM01s."""
    from x12.envelope import GroupSpec, InterchangeOptions, TransactionSpec, write_interchange

    segs: list[tuple[str, list[object]]] = [
        ("BHT", ["0085", "08", "BATCH1", "20240301", "1200", "TH"]),
        ("HL", ["1", "", "20", "1"]),
        ("NM1", ["PR", "2", "PAYER", "", "", "", "", "PI", "12345"]),
        ("TRN", ["1", "T1"]),
        ("DTP", ["050", "D8", "20240301"]),
        ("DTP", ["009", "D8", "20240301"]),
        ("HL", ["2", "1", "21", "1"]),
        ("NM1", ["41", "2", "SUBMITTER", "", "", "", "", "46", "S1"]),
        ("TRN", ["2", "0001"]),
        ("HL", ["3", "2", "19", "1"]),
        ("NM1", ["85", "2", "CLINIC", "", "", "", "", "XX", "1234567893"]),
    ]
    n = 3
    for cid, cat in [(c, "A2") for c in accepted] + [(c, "A7") for c in rejected]:
        n += 1
        segs += [
            ("HL", [str(n), "3", "PT"]),
            ("NM1", ["QC", "1", "DOE", "JANE", "", "", "", "MI", "M1"]),
            ("TRN", ["2", cid]),
            ("STC", [(cat, "20"), "20240301", "WQ" if cat == "A2" else "U", "10"]),
        ]
    tx = TransactionSpec("277", "005010X214", segs)  # type: ignore[arg-type]
    return write_interchange(
        [GroupSpec("HN", "005010X214", [tx])],
        InterchangeOptions(sender_id="PAYER", receiver_id="CLINIC"),
    )


def test_277ca_file_rejects_and_accepts(files: dict[str, object], tmp_path: Path) -> None:
    d: Path = files["dir"]  # type: ignore[assignment]
    claims: list[Claim] = files["claims"]  # type: ignore[assignment]
    ack = tmp_path / "ack.277"
    ack.write_text(_277ca([claims[0].id], [claims[1].id]))
    rep = reconcile_files([d / "a.837"], [], [ack])
    got = {c.claim_id: c.status for c in rep.claims}
    assert got[claims[0].id] is Status.ACCEPTED
    assert got[claims[1].id] is Status.REJECTED
    assert got[claims[2].id] is Status.PENDING
