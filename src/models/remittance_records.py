"""Flat payment and denial records: the views of a remittance that posting code wants.

* :class:`PaymentRecord`: one per claim payment (``level="claim"``) and one per service line
  (``level="line"``): billed, allowed, paid, patient responsibility split by CARC into
  deductible (1), coinsurance (2) and copay (3), contractual (group CO) and other
  adjustments.
* :class:`DenialRecord`: one per denied claim (CLP02 = 4) and one per line paid zero with
  adjustments in a claim that is not itself denied (a line paid zero only because the patient
  owes it, PR 1/2/3 deductible/coinsurance/copay, or by fee schedule, CARC 45 / 253, is not a
  denial): group code, CARC, RARCs, amount, the payer's claim number.

Reversals and corrections: a claim with CLP02 = 22 reverses an earlier payment; the claim
with the same patient control number that follows it in the remittance is its correction.
Both records say so (``kind`` = ``"reversal"`` / ``"correction"``, ``linked_payer_claim_number``
naming the other), so posting code can net them instead of counting the claim twice.

CARC and RARC texts belong to X12 and do not ship: load licensed text with
:meth:`CodeDescriptions.from_csv` (``code,description`` rows) and pass it in; the records
then carry the descriptions.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as _dt
import gc
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from typing import IO, Any

import attrs

from models.common import Adjustment, AdjustmentGroup
from models.remittance import ClaimPayment, ClaimStatus, Remittance, ServicePayment

__all__ = [
    "CodeDescriptions",
    "DenialRecord",
    "Linked",
    "PaymentRecord",
    "ReversalLinker",
    "claim_records",
    "denial_records",
    "link_reversals",
    "linked_claims",
    "linked_records",
    "payment_records",
    "remittance_context",
]

_ZERO = Decimal(0)
_PR = AdjustmentGroup.PATIENT_RESPONSIBILITY
_CO = AdjustmentGroup.CONTRACTUAL


@attrs.frozen(slots=True)
class CodeDescriptions:
    """Licensed CARC / RARC descriptions supplied by the user (none ship)."""

    carc: dict[str, str] = attrs.field(factory=dict)
    rarc: dict[str, str] = attrs.field(factory=dict)

    @classmethod
    def from_csv(
        cls, carc: str | IO[str] | None = None, rarc: str | IO[str] | None = None
    ) -> CodeDescriptions:
        """Read ``code,description`` CSV files (a header row ``code,description`` is
        skipped) for CARCs and/or RARCs. Paths or open text files."""
        return cls(_read_csv(carc), _read_csv(rarc))


def _read_csv(source: str | IO[str] | None) -> dict[str, str]:
    if source is None:
        return {}
    if isinstance(source, str):
        with open(source, encoding="utf-8", newline="") as fp:
            return _read_csv(fp)
    out: dict[str, str] = {}
    for row in csv.reader(source):
        if len(row) < 2 or not row[0].strip():
            continue
        code = row[0].strip()
        if code.lower() == "code":
            continue
        out[code] = row[1].strip()
    return out


@attrs.frozen(slots=True)
class PaymentRecord:
    """One claim payment or one service line payment, flat."""

    level: str  # "claim" or "line"
    trace_number: str  # TRN02 check / EFT number
    payment_date: _dt.date | None  # BPR16
    payer_name: str  # 1000A N102
    payee_id: str | None  # 1000B N104 (NPI when N103 = XX)
    patient_control_number: str  # CLP01
    payer_claim_number: str | None  # CLP07
    claim_status: str  # CLP02
    kind: str  # "original", "reversal" (CLP02 = 22) or "correction" (follows a reversal)
    line_number: int | None  # 1-based position of the line in the claim (line level)
    line_item_control_number: str | None  # REF*6R
    procedure_code: str | None  # SVC01-2
    modifiers: tuple[str, ...]
    revenue_code: str | None  # SVC04
    service_date: _dt.date | None  # DTM*472 or DTM*150 (line); DTM*232 (claim)
    billed: Decimal  # CLP03 / SVC02
    allowed: Decimal | None  # AMT*B6 (line; claim: sum of its lines' when all have one)
    paid: Decimal  # CLP04 / SVC03
    patient_responsibility: Decimal  # group PR total (claim: CLP05 when sent)
    deductible: Decimal  # PR, CARC 1
    coinsurance: Decimal  # PR, CARC 2
    copay: Decimal  # PR, CARC 3
    contractual: Decimal  # group CO total
    other_adjustments: Decimal  # groups OA, PI, CR
    adjustments: tuple[Adjustment, ...]  # claim level: claim CAS and every line's CAS
    remarks: tuple[str, ...]  # RARCs (LQ*HE on a line; MIA/MOA and lines' on a claim)
    linked_payer_claim_number: str | None = None  # the reversal's or correction's CLP07


@attrs.frozen(slots=True)
class DenialRecord:
    """One denied claim or line: why (group, CARC, RARCs) and for how much."""

    level: str  # "claim" or "line"
    trace_number: str
    payment_date: _dt.date | None
    payer_name: str
    payee_id: str | None
    patient_control_number: str  # CLP01
    payer_claim_number: str | None  # CLP07
    claim_status: str  # CLP02
    line_number: int | None
    line_item_control_number: str | None
    procedure_code: str | None
    billed: Decimal
    group: str  # CAS01 of the main adjustment (the largest)
    reason: str  # CARC (CAS02) of the main adjustment
    amount: Decimal  # its amount
    remarks: tuple[str, ...]  # RARCs
    adjustments: tuple[Adjustment, ...]  # every adjustment behind the denial
    reason_description: str | None = None  # from user-supplied CodeDescriptions
    remark_descriptions: tuple[str | None, ...] = ()


def _positional(cls: type[Any]) -> Callable[..., Any]:
    """A positional constructor for a frozen slots attrs class without validators (all
    fields, in order): about twice as fast as attrs' __init__ for wide records."""
    names = [f.name for f in attrs.fields(cls)]
    ns: dict[str, Any] = {"new": object.__new__, "C": cls}
    lines = []
    for i, n in enumerate(names):
        ns[f"s{i}"] = getattr(cls, n).__set__
        lines.append(f" s{i}(o, {n})\n")
    exec(f"def make({', '.join(names)}):\n o = new(C)\n{''.join(lines)} return o\n", ns)
    make: Callable[..., Any] = ns["make"]
    return make


_new_payment_record = _positional(PaymentRecord)


def _split(adjs: Iterable[Adjustment]) -> tuple[Decimal, ...]:
    pr = ded = coins = copay = co = other = _ZERO
    for a in adjs:
        g = a.group
        amt = a.amount
        if g is _PR or g == "PR":
            pr += amt
            r = a.reason
            if r == "1":
                ded += amt
            elif r == "2":
                coins += amt
            elif r == "3":
                copay += amt
        elif g is _CO or g == "CO":
            co += amt
        else:
            other += amt
    return pr, ded, coins, copay, co, other


def _line_remarks(s: ServicePayment) -> tuple[str, ...]:
    if not s.remarks:
        return ()
    return tuple(r.code for r in s.remarks if r.qualifier == "HE")


def _claim_remarks(c: ClaimPayment) -> tuple[str, ...]:
    if c.inpatient is None and c.outpatient is None and not any(s.remarks for s in c.services):
        return ()
    out: list[str] = []
    if c.inpatient is not None:
        out += c.inpatient.remarks
    if c.outpatient is not None:
        out += c.outpatient.remarks
    for s in c.services:
        out += _line_remarks(s)
    return tuple(dict.fromkeys(out))


#: A claim with its pairing: (position, claim, kind, partner position, partner's CLP07).
Linked = tuple[int, ClaimPayment, str, int, str | None]


class ReversalLinker:
    """Pairs each CLP02 = 22 reversal with its correction as claims arrive one by one: the
    next claim with the same patient control number (CLP01) that is not a reversal.

    :meth:`push` takes the claims in file order and returns those whose pairing is now
    known, in file order, as :data:`Linked` tuples ``(position, claim, kind, partner
    position, partner's payer claim number)``; :meth:`finish` returns the rest. ``kind`` is
    ``"reversal"`` or ``"correction"`` for a pair's two claims (partner -1 and number None
    otherwise: ``"reversal"`` for an unanswered reversal, else ``"original"``).

    A claim is held only while a reversal before it is unanswered (its record names the
    correction, which may come later), so memory holds the claims from the oldest open
    reversal on: none when every reversal is answered by the next claim of its patient, as
    payers send them, and up to the rest of the remittance when one never is. A second
    reversal of the same CLP01 leaves the first unanswered (it is released unpaired)."""

    __slots__ = ("_held", "_n", "_open")

    def __init__(self) -> None:
        self._n = 0
        self._open: dict[str, list[Any]] = {}  # CLP01 -> its open reversal's held entry
        self._held: deque[list[Any]] = deque()  # entries from the oldest open reversal on

    def push(self, claim: ClaimPayment) -> list[Linked]:
        """Take the next claim; return the claims now paired (or not), in file order."""
        i = self._n
        self._n = i + 1
        pcn = claim.patient_control_number
        opened = self._open
        if claim.status == ClaimStatus.REVERSAL:
            earlier = opened.get(pcn)
            if earlier is not None:  # answered by no one now: released as unpaired
                earlier[2] = "reversal"
            opened[pcn] = entry = [i, claim, None, -1, None]
        elif opened and pcn in opened:
            rev = opened.pop(pcn)
            rev[2:] = "reversal", i, claim.payer_claim_number
            entry = [i, claim, "correction", rev[0], rev[1].payer_claim_number]
        elif not self._held:
            return [(i, claim, "original", -1, None)]
        else:
            entry = [i, claim, "original", -1, None]
        held = self._held
        held.append(entry)
        out: list[Linked] = []
        while held and held[0][2] is not None:
            i, c, kind, partner, number = held.popleft()
            out.append((i, c, kind, partner, number))
        return out

    def finish(self) -> list[Linked]:
        """The claims still held (each open reversal released unpaired); the linker is then
        empty, ready for another remittance's claims."""
        out: list[Linked] = [
            (i, c, kind or "reversal", partner, number)
            for i, c, kind, partner, number in self._held
        ]
        self._held.clear()
        self._open.clear()
        self._n = 0
        return out


def linked_claims(claims: Iterable[ClaimPayment]) -> Iterator[Linked]:
    """``claims`` in order, each with its pairing (:class:`ReversalLinker`), lazily."""
    linker = ReversalLinker()
    for c in claims:
        yield from linker.push(c)
    yield from linker.finish()


def link_reversals(claims: Iterable[ClaimPayment]) -> dict[int, tuple[str, int]]:
    """Map claim position -> (kind, partner position) for reversal/correction pairs: a
    CLP02 = 22 claim and the next claim with the same CLP01 that is not a reversal."""
    return {i: (kind, p) for i, _, kind, p, _ in linked_claims(claims) if p >= 0}


def remittance_context(r: Remittance) -> tuple[str, _dt.date | None, str, str | None]:
    """What each record carries of its remittance: TRN02, BPR16, the payer's N102 and the
    payee's N104."""
    return r.trace_number, r.payment_date, r.payer.name, r.payee.id


def claim_records(
    remittance: Remittance, claims: Iterable[ClaimPayment] | None = None
) -> Iterator[PaymentRecord]:
    """Payment records (claim, then its lines) of one remittance's claims (``claims``: its
    claims as they stream, when ``remittance`` is only its header), made as the claims come
    (see :class:`ReversalLinker` for what waits)."""
    claimed = remittance.claims if claims is None else claims
    yield from linked_records(remittance_context(remittance), linked_claims(claimed))


def linked_records(
    context: tuple[str, _dt.date | None, str, str | None], claims: Iterable[Linked]
) -> Iterator[PaymentRecord]:
    """The payment records of paired claims (:class:`ReversalLinker`'s output) under one
    remittance's ``context`` (TRN02, BPR16, the payer's N102, the payee's N104)."""
    trace, when, payer, payee = context
    for _, c, kind, _, linked in claims:
        all_adj = list(c.adjustments)
        for s in c.services:
            all_adj += s.adjustments
        pr, ded, coins, copay, co, other = _split(all_adj)
        allowed: Decimal | None = None
        if c.services:
            vals = [s.allowed for s in c.services]
            if None not in vals:
                allowed = sum((v for v in vals if v is not None), _ZERO)
        yield _new_payment_record(
            "claim",
            trace,
            when,
            payer,
            payee,
            c.patient_control_number,
            c.payer_claim_number,
            c.status,
            kind,
            None,
            None,
            None,
            (),
            None,
            c.statement_from,
            c.charge,
            allowed,
            c.paid,
            c.patient_responsibility if c.patient_responsibility is not None else pr,
            ded,
            coins,
            copay,
            co,
            other,
            tuple(all_adj),
            _claim_remarks(c),
            linked,
        )
        for n, s in enumerate(c.services, 1):
            pr, ded, coins, copay, co, other = _split(s.adjustments)
            yield _new_payment_record(
                "line",
                trace,
                when,
                payer,
                payee,
                c.patient_control_number,
                c.payer_claim_number,
                c.status,
                kind,
                n,
                s.line_item_control_number,
                s.procedure.code,
                s.procedure.modifiers,
                s.revenue_code,
                s.service_date or s.service_from,
                s.charge,
                s.allowed,
                s.paid,
                pr,
                ded,
                coins,
                copay,
                co,
                other,
                s.adjustments,
                _line_remarks(s),
                linked,
            )


def payment_records(remittances: Iterable[Remittance]) -> list[PaymentRecord]:
    """Every payment record of these remittances (claim records, each followed by its
    lines')."""
    out: list[PaymentRecord] = []
    with _gc_paused():
        for r in remittances:
            out.extend(claim_records(r))
    return out


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Records are acyclic: the cyclic collector only slows building many of them."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _main(adjs: Iterable[Adjustment]) -> Adjustment | None:
    best: Adjustment | None = None
    for a in adjs:
        if best is None or abs(a.amount) > abs(best.amount):
            best = a
    return best


def _denial(
    level: str,
    ctx: tuple[str, _dt.date | None, str, str | None],
    c: ClaimPayment,
    line: int | None,
    s: ServicePayment | None,
    adjs: tuple[Adjustment, ...],
    remarks: tuple[str, ...],
    descriptions: CodeDescriptions | None,
) -> DenialRecord:
    main = _main(adjs)
    reason = main.reason if main else ""
    return DenialRecord(
        level=level,
        trace_number=ctx[0],
        payment_date=ctx[1],
        payer_name=ctx[2],
        payee_id=ctx[3],
        patient_control_number=c.patient_control_number,
        payer_claim_number=c.payer_claim_number,
        claim_status=c.status,
        line_number=line,
        line_item_control_number=s.line_item_control_number if s else None,
        procedure_code=s.procedure.code if s else None,
        billed=s.charge if s else c.charge,
        group=str(main.group) if main else "",
        reason=reason,
        amount=main.amount if main else _ZERO,
        remarks=remarks,
        adjustments=adjs,
        reason_description=descriptions.carc.get(reason) if descriptions else None,
        remark_descriptions=tuple(descriptions.rarc.get(r) for r in remarks)
        if descriptions
        else (),
    )


def _cost_share(a: Adjustment) -> bool:
    """Not a denial reason: deductible, coinsurance or copay (PR 1/2/3: the patient pays),
    a fee-schedule reduction (CARC 45) or sequestration (CARC 253)."""
    return (a.group == "PR" and a.reason in ("1", "2", "3")) or a.reason in ("45", "253")


def denial_records(
    remittances: Iterable[Remittance],
    descriptions: CodeDescriptions | None = None,
    *,
    claims: Iterable[tuple[Remittance, ClaimPayment]] | None = None,
) -> list[DenialRecord]:
    """One record per denied claim (CLP02 = 4) and per zero-paid line with adjustments
    in a claim that is not denied. Pass ``claims`` (``iter_claims`` output) to stream."""
    pairs: Iterable[tuple[Remittance, ClaimPayment]] = (
        claims if claims is not None else ((r, c) for r in remittances for c in r.claims)
    )
    out: list[DenialRecord] = []
    for r, c in pairs:
        ctx = remittance_context(r)
        if c.status == ClaimStatus.DENIED:
            adjs = tuple(c.adjustments) + tuple(a for s in c.services for a in s.adjustments)
            out.append(_denial("claim", ctx, c, None, None, adjs, _claim_remarks(c), descriptions))
            continue
        if c.status == ClaimStatus.REVERSAL:
            continue
        for n, s in enumerate(c.services, 1):
            if (
                s.paid == 0
                and s.adjustments
                and s.charge != 0
                and not all(_cost_share(a) for a in s.adjustments)
            ):
                out.append(
                    _denial("line", ctx, c, n, s, s.adjustments, _line_remarks(s), descriptions)
                )
    return out
