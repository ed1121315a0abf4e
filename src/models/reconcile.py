"""Claim lifecycle: reconcile what came back (835 remittances, 999 and 277CA acknowledgments)
against what was sent (837 claims), on models only.

:func:`reconcile` matches every remittance claim (loop 2100) to the submitted claim by patient
control number (CLP01 = CLM01) and every service payment (loop 2110) to the submitted line by
line item control number (REF*6R = the 837's REF*6R), falling back to procedure code
(SVC06-2 when the payer changed the code, else SVC01-2), date of service and charge, then to
procedure and date alone (unbundled lines whose charge was split), and reports a
:class:`ClaimReconciliation` per submitted claim and its lines, plus the remittance claims
that match nothing (:class:`UnmatchedPayment`: reported, never dropped) and summaries per
payer and per batch.

Statuses (:class:`Status`):

* ``pending`` – sent, no answer (``age_days`` counts from the submission date to ``as_of``);
  ``accepted`` – acknowledged (999 IK501 A/E, 277CA A1/A2/A5) but not yet paid;
  ``rejected`` – refused at acknowledgment (999 IK501 R/M/W/X, 277CA A3/A4/A6/A7/A8).
* ``paid`` – adjudicated with only contractual (CO-45, 42, 59, 131, 253, 23) and cost-share
  (PR-1/2/3/66) reductions (a line paid zero because of the deductible is paid);
  ``partial`` – some lines denied or reduced for other reasons (or still unanswered in a
  split claim); ``denied`` – CLP02 = 4, or every line paid zero without cost share.
* ``reversed`` – the last payment was taken back (CLP02 = 22) and nothing replaced it;
  ``adjusted`` – a reversal followed by a corrected claim: the amounts are the corrected
  claim's and :attr:`ClaimReconciliation.outcome` says how it was paid.

Amounts are the *effective* adjudication: each reversal cancels the earlier payment it
reverses (same CLP07, else the same CLP04, else the latest); a reversal of a payment that is
not among the inputs (sent in an older 835) is counted in ``reversed_paid`` only. Split claims
(several payments for one claim) are summed. Crossovers (CLP02 19/20/21, NM1*TT) are noted in
``forwarded_to``; a later payer's adjudication of the same claim (CLP02 2/3/20/21 above the
claim's own SBR01 level) pays the patient's share and is reported as ``secondary_paid``, apart
from the claim's amounts. The identity ``billed = paid + contractual + patient_responsibility +
other_adjustments + open`` holds for claims and lines; ``denied`` (the charge of denied lines)
is informational.
"""

from __future__ import annotations

import datetime as _dt
import enum
import gc
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal

import attrs

from models.acknowledgment import ClaimAcknowledgment, Disposition
from models.claim import Claim, ServiceLine
from models.remittance import ClaimPayment, Remittance, ServicePayment

__all__ = [
    "CONTRACTUAL_REASONS",
    "COST_SHARE_REASONS",
    "PRIOR_PAYER_REASONS",
    "Amounts",
    "ClaimReconciliation",
    "LineReconciliation",
    "ReconciliationReport",
    "Status",
    "SubmittedClaim",
    "Summary",
    "TransactionAcceptance",
    "UnmatchedPayment",
    "reconcile",
]

_ZERO = Decimal("0.00")

#: CARCs that are a contractual (fee schedule) reduction rather than a denial.
CONTRACTUAL_REASONS = frozenset({"45", "42", "59", "131", "253", "23", "94", "144"})
#: CARCs of the patient's cost share (deductible, coinsurance, copay, blood deductible).
COST_SHARE_REASONS = frozenset({"1", "2", "3", "66"})
#: CARCs for what a prior payer already settled (23: the impact of prior payers' adjudication,
#: usually OA-23 on a secondary claim, CLP02 = 2/3). Under any group it is neither a denial
#: nor a shortfall: that money was paid (or adjusted) upstream.
PRIOR_PAYER_REASONS = frozenset({"23"})
_FORWARDED = frozenset({"19", "20", "21", "23"})
# CLP02 -> the payer level that adjudicated (1 primary, 2 secondary, 3 tertiary); denials,
# reversals and the rest are taken as the claim's own level.
_LEVEL = {"1": 1, "19": 1, "2": 2, "20": 2, "3": 3, "21": 3}
_CLAIM_LEVEL = {"P": 1, "S": 2, "T": 3}


class Status(enum.StrEnum):
    """Where a claim or a line stands (see the module docstring)."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    PAID = "paid"
    PARTIAL = "partial"
    DENIED = "denied"
    REVERSED = "reversed"
    ADJUSTED = "adjusted"


# ------------------------------------------------------------------------------ inputs
@attrs.frozen(slots=True)
class SubmittedClaim:
    """A claim as sent: the claim, the batch it went in (a file name or BHT03) and when."""

    claim: Claim
    batch: str = ""
    submitted: _dt.date | None = None  # BHT04 of the 837 (or the day the file was sent)


@attrs.frozen(slots=True)
class TransactionAcceptance:
    """A 999's verdict on one 837 transaction set (AK2/IK5), with the claims it carried.

    Built by the file layer (which reads the 999 with ``x12.ack`` and knows which CLM01s
    each ST02 held), so that this module needs nothing from ``x12``.
    """

    control_number: str  # AK202 = the 837's ST02
    accepted: bool  # IK501 A or E
    claim_ids: tuple[str, ...] = ()  # CLM01 of the claims in that transaction set
    group_control_number: str = ""  # AK102 = the 837's GS06
    code: str = ""  # IK501 as sent


# ----------------------------------------------------------------------------- results
@attrs.frozen(slots=True)
class Amounts:
    """Money for a claim, a line or a summary: ``billed = paid + contractual +
    patient_responsibility + other_adjustments + open``."""

    billed: Decimal = _ZERO  # CLM02 / SV102
    allowed: Decimal = _ZERO  # AMT*B6 (else billed less contractual; 0 when denied)
    paid: Decimal = _ZERO  # CLP04 / SVC03 of the effective payments
    contractual: Decimal = _ZERO  # CAS CO
    patient_responsibility: Decimal = _ZERO  # CAS PR
    other_adjustments: Decimal = _ZERO  # CAS OA / PI / CR
    denied: Decimal = _ZERO  # charge of denied lines (informational)
    open: Decimal = _ZERO  # what no payment or adjustment accounts for yet

    def __add__(self, other: Amounts) -> Amounts:
        return Amounts(
            self.billed + other.billed,
            self.allowed + other.allowed,
            self.paid + other.paid,
            self.contractual + other.contractual,
            self.patient_responsibility + other.patient_responsibility,
            self.other_adjustments + other.other_adjustments,
            self.denied + other.denied,
            self.open + other.open,
        )


_AMOUNT_FIELDS = tuple(f.name for f in attrs.fields(Amounts))


@attrs.frozen(slots=True)
class LineReconciliation:
    """One submitted service line and what the remittances said about it."""

    index: int  # position in the claim (0-based; LX01 - 1)
    procedure: str  # SV101-2
    service_date: _dt.date
    control_number: str | None  # REF*6R
    status: Status
    amounts: Amounts
    matched_by: str = ""  # "control_number", "procedure_date_charge", "procedure_date", ""
    payments: int = 0  # SVC loops matched (more than one: unbundled or split)
    reasons: tuple[str, ...] = ()  # CAS group-reason pairs, e.g. "CO-45"
    remarks: tuple[str, ...] = ()  # LQ*HE RARCs


@attrs.frozen(slots=True)
class ClaimReconciliation:
    """One submitted claim: status, amounts, lines and what answered it."""

    claim_id: str  # CLM01
    payer: str  # the 837's payer id (2010BB NM109)
    batch: str
    status: Status
    amounts: Amounts
    lines: tuple[LineReconciliation, ...] = ()
    outcome: Status | None = None  # how the effective payments paid (paid/partial/denied)
    acknowledgment: Status | None = None  # accepted / rejected at 999 or 277CA
    submitted: _dt.date | None = None
    age_days: int | None = None  # as_of - submitted, for unanswered claims
    payer_claim_numbers: tuple[str, ...] = ()  # CLP07 of every payment
    payments: int = 0  # effective CLP loops (more than one: a split claim)
    reversals: int = 0  # CLP02 = 22 loops
    reversed_paid: Decimal = _ZERO  # the CLP04 taken back by reversals
    forwarded_to: str | None = None  # crossover carrier (NM1*TT) or "secondary payer"
    secondary_paid: Decimal = _ZERO  # CLP04 of later payers' adjudications (CLP02 2/3/20/21)
    reasons: tuple[str, ...] = ()  # claim-level CAS group-reason pairs
    remarks: tuple[str, ...] = ()  # MOA/MIA RARCs
    unmatched_services: int = 0  # SVC loops that matched no submitted line


@attrs.frozen(slots=True)
class UnmatchedPayment:
    """A remittance claim that matches no submitted claim (another system's, or a payer
    error): reported, never dropped."""

    patient_control_number: str  # CLP01
    status: str  # CLP02
    charge: Decimal  # CLP03
    paid: Decimal  # CLP04
    payer: str  # N1*PR N102 (or N104)
    trace_number: str  # TRN02
    payer_claim_number: str | None = None  # CLP07


@attrs.frozen(slots=True)
class Summary:
    """Counts and amounts over a payer's or a batch's claims."""

    key: str
    claims: int
    counts: tuple[tuple[str, int], ...]  # (status, claims) in Status order, non-zero only
    amounts: Amounts


@attrs.frozen(slots=True)
class ReconciliationReport:
    """What :func:`reconcile` returns."""

    claims: tuple[ClaimReconciliation, ...]
    unmatched: tuple[UnmatchedPayment, ...] = ()
    by_payer: tuple[Summary, ...] = ()
    by_batch: tuple[Summary, ...] = ()
    as_of: _dt.date | None = None

    def claim(self, claim_id: str) -> ClaimReconciliation | None:
        """The (last submitted) claim with this CLM01."""
        for c in reversed(self.claims):
            if c.claim_id == claim_id:
                return c
        return None


# ----------------------------------------------------------------------------- engine
def _svc_date(s: ServicePayment) -> _dt.date | None:
    return s.service_date or s.service_from


def _svc_code(s: ServicePayment) -> str:
    sp = s.submitted_procedure
    return sp.code if sp is not None else s.procedure.code


class _LineAcc:
    """Running totals for one submitted line."""

    __slots__ = (
        "allowed",
        "by",
        "co",
        "cost_share",
        "has_allowed",
        "non_contract",
        "other",
        "paid",
        "payments",
        "pr",
        "prior",
        "reasons",
        "remarks",
    )

    def __init__(self) -> None:
        self.paid = _ZERO
        self.co = _ZERO
        self.pr = _ZERO
        self.other = _ZERO
        self.cost_share = _ZERO
        self.non_contract = _ZERO  # reductions that are neither contract nor cost share
        self.prior = _ZERO  # settled by a prior payer (CARC 23)
        self.allowed = _ZERO
        self.has_allowed = False
        self.payments = 0
        self.by = ""
        self.reasons: list[str] = []
        self.remarks: list[str] = []

    def add(self, s: ServicePayment, by: str) -> None:
        self.payments += 1
        if not self.by:
            self.by = by
        self.paid += s.paid
        for a in s.adjustments:
            g = str(a.group)
            amt = a.amount
            if g == "CO":
                self.co += amt
            elif g == "PR":
                self.pr += amt
            else:
                self.other += amt
            r = a.reason
            if g == "PR" and r in COST_SHARE_REASONS:
                self.cost_share += amt
            elif r in PRIOR_PAYER_REASONS:
                self.prior += amt
            elif not (g == "CO" and r in CONTRACTUAL_REASONS):
                self.non_contract += amt
            code = f"{g}-{r}"
            if code not in self.reasons:
                self.reasons.append(code)
        for am in s.amounts:
            if am.qualifier == "B6":
                self.allowed += am.amount
                self.has_allowed = True
        for rm in s.remarks:
            if rm.code not in self.remarks:
                self.remarks.append(rm.code)


def _line_status(acc: _LineAcc | None, charge: Decimal) -> Status:
    if acc is None or acc.payments == 0:
        return Status.PENDING
    if (
        acc.paid == 0
        and acc.cost_share == 0
        and acc.prior == 0
        and (charge != 0 or acc.non_contract != 0)
    ):
        return Status.DENIED
    if acc.non_contract != 0:
        return Status.PARTIAL
    return Status.PAID


class _Matcher:
    """Assigns the SVC loops of a claim's payments to its submitted lines."""

    __slots__ = ("by_code", "by_ctrl", "by_full", "lines", "used")

    def __init__(self, lines: Sequence[ServiceLine]) -> None:
        self.lines = lines
        self.by_ctrl: dict[str, int] | None = None
        self.by_full: dict[tuple[str, _dt.date, Decimal], list[int]] | None = None
        self.by_code: dict[tuple[str, _dt.date], list[int]] = {}
        self.used: set[int] = set()

    def _index(self) -> None:
        by_full: dict[tuple[str, _dt.date, Decimal], list[int]] = {}
        by_code = self.by_code
        for i, ln in enumerate(self.lines):
            by_full.setdefault((ln.procedure, ln.service_date, ln.charge), []).append(i)
            by_code.setdefault((ln.procedure, ln.service_date), []).append(i)
        self.by_full = by_full

    def match(self, s: ServicePayment, date: _dt.date | None) -> tuple[int, str] | None:
        ctrl = s.line_item_control_number
        if ctrl is not None:
            by_ctrl = self.by_ctrl
            if by_ctrl is None:
                by_ctrl = self.by_ctrl = {}
                for k, ln in enumerate(self.lines):
                    if ln.control_number:
                        by_ctrl.setdefault(ln.control_number, k)
            i = by_ctrl.get(ctrl)
            if i is not None:
                self.used.add(i)
                return i, "control_number"
        if date is None:
            return None
        by_full = self.by_full
        if by_full is None:
            self._index()
            by_full = self.by_full
            assert by_full is not None
        code = _svc_code(s)
        # A reversal carries negated charges: match on the size of the charge.
        found = self._pick(by_full.get((code, date, abs(s.charge))))
        if found is not None:
            return found, "procedure_date_charge"
        found = self._pick(self.by_code.get((code, date)))
        if found is not None:
            return found, "procedure_date"
        return None

    def _pick(self, candidates: list[int] | None) -> int | None:
        if not candidates:
            return None
        for i in candidates:
            if i not in self.used:
                self.used.add(i)
                return i
        return candidates[0]  # already matched: an unbundled line or a second payment


def _effective(payments: Sequence[ClaimPayment]) -> tuple[list[ClaimPayment], list[ClaimPayment]]:
    """The payments still standing after reversals cancel what they reverse, and the
    reversals themselves (in order)."""
    standing: list[ClaimPayment] = []
    reversals: list[ClaimPayment] = []
    for p in payments:
        if p.status != "22":
            standing.append(p)
            continue
        reversals.append(p)
        target = None
        for j in range(len(standing) - 1, -1, -1):
            if p.payer_claim_number and standing[j].payer_claim_number == p.payer_claim_number:
                target = j
                break
        if target is None:
            for j in range(len(standing) - 1, -1, -1):
                if standing[j].paid == -p.paid:
                    target = j
                    break
        if target is None and standing:
            target = len(standing) - 1
        if target is not None:
            del standing[target]
    return standing, reversals


def _reconcile_claim(
    sub: SubmittedClaim,
    payments: Sequence[ClaimPayment],
    ack: Status | None,
    as_of: _dt.date | None,
) -> ClaimReconciliation:
    claim = sub.claim
    lines = claim.service_lines
    age = (as_of - sub.submitted).days if as_of is not None and sub.submitted else None
    if not payments:
        status = ack if ack is not None else Status.PENDING
        pending_recs = tuple(
            LineReconciliation(
                i,
                ln.procedure,
                ln.service_date,
                ln.control_number,
                status,
                Amounts(billed=ln.charge, open=ln.charge),
            )
            for i, ln in enumerate(lines)
        )
        return ClaimReconciliation(
            claim.id,
            claim.payer.id,
            sub.batch,
            status,
            Amounts(billed=claim.charge, open=claim.charge),
            pending_recs,
            acknowledgment=ack,
            submitted=sub.submitted,
            age_days=age,
        )

    # A crossover's later payer (a secondary paying after the primary forwarded the claim)
    # answers the patient's share, not this claim's billed amount: kept apart.
    own_level = _CLAIM_LEVEL.get(claim.subscriber.payer_responsibility, 1)
    later = [p for p in payments if _LEVEL.get(p.status, own_level) > own_level]
    if later:
        payments = [p for p in payments if _LEVEL.get(p.status, own_level) <= own_level]
    secondary_paid = sum((p.paid for p in later), _ZERO)
    if not payments:
        # Only a later payer answered: the claim's own payer said nothing (yet).
        rec = _reconcile_claim(sub, (), ack, as_of)
        return attrs.evolve(rec, secondary_paid=secondary_paid, forwarded_to="secondary payer")
    standing, reversals = _effective(payments)
    matcher = _Matcher(lines)
    accs: list[_LineAcc | None] = [None] * len(lines)
    unmatched_svc = 0
    c_co = c_pr = c_other = c_cost = c_non = c_prior = _ZERO
    reasons: list[str] = []
    remarks: list[str] = []
    paid = _ZERO
    forwarded: str | None = None
    all_denied = bool(standing)
    any_services = False
    for p in standing:
        paid += p.paid
        if p.status != "4":
            all_denied = False
        if p.status in _FORWARDED or p.crossover_carrier is not None:
            cc = p.crossover_carrier
            forwarded = (cc.name or cc.id or "crossover") if cc is not None else "secondary payer"
        for a in p.adjustments:
            g = str(a.group)
            if g == "CO":
                c_co += a.amount
            elif g == "PR":
                c_pr += a.amount
            else:
                c_other += a.amount
            if g == "PR" and a.reason in COST_SHARE_REASONS:
                c_cost += a.amount
            elif a.reason in PRIOR_PAYER_REASONS:
                c_prior += a.amount
            elif not (g == "CO" and a.reason in CONTRACTUAL_REASONS):
                c_non += a.amount
            code = f"{g}-{a.reason}"
            if code not in reasons:
                reasons.append(code)
        for adj in (p.outpatient, p.inpatient):
            if adj is not None:
                for rm in adj.remarks:
                    if rm not in remarks:
                        remarks.append(rm)
        for s in p.services:
            any_services = True
            m = matcher.match(s, _svc_date(s))
            if m is None:
                unmatched_svc += 1
                # Its money still counts at claim level.
                loose = _LineAcc()
                loose.add(s, "")
                c_co += loose.co
                c_pr += loose.pr
                c_other += loose.other
                c_cost += loose.cost_share
                c_prior += loose.prior
                c_non += loose.non_contract
                continue
            i, by = m
            acc2 = accs[i]
            if acc2 is None:
                acc2 = accs[i] = _LineAcc()
            acc2.add(s, by)

    line_recs: list[LineReconciliation] = []
    t_allowed = t_co = t_pr = t_other = t_denied = _ZERO
    denied_lines = paid_lines = pending_lines = partial_lines = 0
    for i, ln in enumerate(lines):
        acc = accs[i]
        if acc is None and standing and not any_services:
            st = Status.DENIED if all_denied else Status.PAID  # claim-level adjudication
            line_recs.append(
                LineReconciliation(
                    i, ln.procedure, ln.service_date, ln.control_number, st, Amounts(ln.charge)
                )
            )
            continue
        st = _line_status(acc, ln.charge)
        if not standing and reversals:
            st = Status.REVERSED
        if acc is None:
            amts = Amounts(billed=ln.charge, open=ln.charge)
            line_recs.append(
                LineReconciliation(i, ln.procedure, ln.service_date, ln.control_number, st, amts)
            )
            if st is Status.PENDING:
                pending_lines += 1
            continue
        if acc.has_allowed:
            allowed = acc.allowed
        elif st is Status.DENIED:
            allowed = _ZERO
        else:
            allowed = ln.charge - acc.co
        adjusted = acc.paid + acc.co + acc.pr + acc.other
        amts = Amounts(
            ln.charge,
            allowed,
            acc.paid,
            acc.co,
            acc.pr,
            acc.other,
            ln.charge if st is Status.DENIED else _ZERO,
            ln.charge - adjusted,
        )
        t_allowed += allowed
        t_co += acc.co
        t_pr += acc.pr
        t_other += acc.other
        if st is Status.DENIED:
            t_denied += ln.charge
        if st is Status.DENIED:
            denied_lines += 1
        elif st is Status.PARTIAL:
            partial_lines += 1
        elif st is Status.PAID:
            paid_lines += 1
        line_recs.append(
            LineReconciliation(
                i,
                ln.procedure,
                ln.service_date,
                ln.control_number,
                st,
                amts,
                acc.by,
                acc.payments,
                tuple(acc.reasons),
                tuple(acc.remarks),
            )
        )

    # Claim amounts: line totals plus claim-level adjustments and unmatched services.
    co = t_co + c_co
    pr = t_pr + c_pr
    other = t_other + c_other
    if not standing:
        co = pr = other = paid = _ZERO
        allowed_c = _ZERO
    elif any_services:
        allowed_c = t_allowed
    else:
        allowed_c = _ZERO if all_denied else claim.charge - co
    denied_amt = t_denied
    if standing and all_denied and not any_services:
        denied_amt = claim.charge
    amounts = Amounts(
        claim.charge,
        allowed_c,
        paid,
        co,
        pr,
        other,
        denied_amt,
        claim.charge - paid - co - pr - other,
    )

    outcome: Status | None
    if not standing:
        outcome = None
    elif all_denied:
        outcome = Status.DENIED
    elif any_services and lines:
        if denied_lines == len(lines):
            outcome = Status.DENIED
        elif denied_lines or partial_lines or pending_lines or c_non != 0 or unmatched_svc:
            outcome = Status.PARTIAL
        else:
            outcome = Status.PAID
    elif paid == 0 and c_cost == 0 and c_prior == 0:
        outcome = Status.DENIED
    elif c_non != 0:
        outcome = Status.PARTIAL
    else:
        outcome = Status.PAID
    if not standing:
        status = Status.REVERSED
    elif reversals:
        status = Status.ADJUSTED
    else:
        assert outcome is not None
        status = outcome
    reversed_paid = -sum((r.paid for r in reversals), _ZERO)
    return ClaimReconciliation(
        claim.id,
        claim.payer.id,
        sub.batch,
        status,
        amounts,
        tuple(line_recs),
        outcome=outcome,
        acknowledgment=ack,
        submitted=sub.submitted,
        age_days=None,
        payer_claim_numbers=tuple(p.payer_claim_number for p in payments if p.payer_claim_number),
        payments=len(standing),
        reversals=len(reversals),
        reversed_paid=reversed_paid,
        forwarded_to=forwarded,
        secondary_paid=secondary_paid,
        reasons=tuple(reasons),
        remarks=tuple(remarks),
        unmatched_services=unmatched_svc,
    )


def _summaries(groups: Mapping[str, list[ClaimReconciliation]]) -> tuple[Summary, ...]:
    out: list[Summary] = []
    order = list(Status)
    for key in sorted(groups):
        recs = groups[key]
        counts: dict[Status, int] = {}
        sums = [_ZERO] * len(_AMOUNT_FIELDS)
        for r in recs:
            counts[r.status] = counts.get(r.status, 0) + 1
            a = r.amounts
            for k, name in enumerate(_AMOUNT_FIELDS):
                sums[k] += getattr(a, name)
        amounts = Amounts(*sums)
        out.append(
            Summary(
                key,
                len(recs),
                tuple((str(s), counts[s]) for s in order if s in counts),
                amounts,
            )
        )
    return tuple(out)


def _ack_status(
    claim_id: str,
    accepted_999: Mapping[str, bool],
    acks_277: Mapping[str, Disposition],
) -> Status | None:
    a999 = accepted_999.get(claim_id)
    if a999 is False:
        return Status.REJECTED
    d = acks_277.get(claim_id)
    if d is Disposition.REJECTED:
        return Status.REJECTED
    if d is Disposition.ACCEPTED or a999:
        return Status.ACCEPTED
    return None


def reconcile(
    claims: Iterable[Claim | SubmittedClaim],
    remittances: Iterable[Remittance] = (),
    *,
    acceptances: Iterable[TransactionAcceptance] = (),
    claim_acks: Iterable[ClaimAcknowledgment] = (),
    as_of: _dt.date | None = None,
) -> ReconciliationReport:
    """Match ``remittances`` and acknowledgments to the submitted ``claims``.

    ``claims`` are :class:`~models.claim.Claim` objects or :class:`SubmittedClaim` (with the
    batch and submission date). When a CLM01 was sent twice, the remittances answer the last
    one sent (an earlier one is reported on its own, unanswered). ``acceptances`` are the
    999 verdicts (:class:`TransactionAcceptance`), ``claim_acks`` the 277CA claims (later
    ones win). ``as_of`` gives unanswered claims their age in days.
    """
    # The records built here are acyclic: pausing the cyclic GC keeps it from rescanning
    # the (large) claim and remittance models on every few hundred allocations.
    paused = gc.isenabled()
    gc.disable()
    try:
        return _reconcile(claims, remittances, acceptances, claim_acks, as_of)
    finally:
        if paused:
            gc.enable()


def _reconcile(
    claims: Iterable[Claim | SubmittedClaim],
    remittances: Iterable[Remittance],
    acceptances: Iterable[TransactionAcceptance],
    claim_acks: Iterable[ClaimAcknowledgment],
    as_of: _dt.date | None,
) -> ReconciliationReport:
    subs = [c if isinstance(c, SubmittedClaim) else SubmittedClaim(c) for c in claims]
    index: dict[str, int] = {}
    for i, s in enumerate(subs):
        index[s.claim.id] = i
    found: dict[int, list[ClaimPayment]] = defaultdict(list)
    unmatched: list[UnmatchedPayment] = []
    for remit in remittances:
        payer_name = remit.payer.name or (remit.payer.id or "")
        for p in remit.claims:
            at = index.get(p.patient_control_number)
            if at is None:
                unmatched.append(
                    UnmatchedPayment(
                        p.patient_control_number,
                        p.status,
                        p.charge,
                        p.paid,
                        payer_name,
                        remit.trace_number,
                        p.payer_claim_number,
                    )
                )
            else:
                found[at].append(p)
    accepted_999: dict[str, bool] = {}
    for ta in acceptances:
        for cid in ta.claim_ids:
            # A rejection anywhere stands; an acceptance does not undo it.
            accepted_999[cid] = accepted_999.get(cid, True) and ta.accepted
    acks_277: dict[str, Disposition] = {}
    for ca in claim_acks:
        d = ca.disposition
        if d in (Disposition.ACCEPTED, Disposition.REJECTED):
            acks_277[ca.patient_control_number] = d
    out: list[ClaimReconciliation] = []
    for i, sub in enumerate(subs):
        ack = _ack_status(sub.claim.id, accepted_999, acks_277)
        out.append(_reconcile_claim(sub, found.get(i, ()), ack, as_of))
    by_payer: dict[str, list[ClaimReconciliation]] = defaultdict(list)
    by_batch: dict[str, list[ClaimReconciliation]] = defaultdict(list)
    for r in out:
        by_payer[r.payer].append(r)
        by_batch[r.batch].append(r)
    return ReconciliationReport(
        tuple(out),
        tuple(unmatched),
        _summaries(by_payer),
        _summaries(by_batch),
        as_of,
    )
