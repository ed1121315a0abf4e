"""The 835 writer: :class:`~models.remittance.Remittance` objects to X12 text.

Meant for test remittances (a payer's side: ``edi835 fake``) and for writing back what the
reader read: segments come out in the guide's order (:mod:`edi835.tables`), unmapped
segments at the end of the loop they were read in. Consecutive CAS triplets with one group
code share a CAS segment (up to six), consecutive PLB pairs with one provider and fiscal
period share a PLB (up to six), so read(write(r)) == r.

Everything is checked before a byte is written: :class:`x12.errors.X12WriteError` lists
every problem with its field path (``remittances[0].claims[3].services[1].procedure.code``).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import IO

from edi835 import tables as T
from models.common import Address, Adjustment, Contact, UnmappedSegment
from models.remittance import (
    INPATIENT_FIELDS,
    OUTPATIENT_FIELDS,
    SUMMARY_FIELDS,
    SUPPLEMENTAL_FIELDS,
    ClaimPayment,
    Party,
    Procedure,
    ProviderAdjustment,
    Remittance,
    RemittanceParty,
    ServicePayment,
)
from x12.delimiters import DEFAULT, Delimiters
from x12.envelope import (
    ControlNumbers,
    GroupSpec,
    InterchangeOptions,
    TransactionSpec,
    write_interchange,
)
from x12.errors import X12WriteError
from x12.segment import Element

__all__ = ["IMPLEMENTATION", "dump", "dumps", "remittance_segments"]

IMPLEMENTATION = "005010X221A1"

SegmentSpec = tuple[str, list[Element]]


def _d(value: Decimal | None) -> str:
    if value is None:
        return ""
    text = format(value, "f")
    return text


def _date(value: _dt.date | None) -> str:
    if value is None:
        return ""
    return f"{value.year:04d}{value.month:02d}{value.day:02d}"


def _s(value: str | None) -> str:
    return value or ""


def _unmapped(u: UnmappedSegment) -> SegmentSpec:
    out: list[Element] = []
    for reps in u.elements:
        items: list[str | tuple[str, ...]] = [c[0] if len(c) == 1 else tuple(c) for c in reps]
        if len(items) == 1:
            out.append(items[0])
        else:
            out.append(items)
    return (u.id, out)


def _cas(adjustments: Sequence[Adjustment]) -> list[SegmentSpec]:
    out: list[SegmentSpec] = []
    cur: list[Element] = []
    group = None
    for a in adjustments:
        if a.group != group or len(cur) >= 19:
            if cur:
                out.append(("CAS", cur))
            group = a.group
            cur = [str(a.group)]
        cur += [a.reason, _d(a.amount), _d(a.quantity)]
    if cur:
        out.append(("CAS", cur))
    return out


def _plb(items: Sequence[ProviderAdjustment]) -> list[SegmentSpec]:
    out: list[SegmentSpec] = []
    cur: list[Element] = []
    key: tuple[str, _dt.date] | None = None
    for p in items:
        k = (p.provider_id, p.fiscal_period_end)
        if k != key or len(cur) >= 14:
            if cur:
                out.append(("PLB", cur))
            key = k
            cur = [p.provider_id, _date(p.fiscal_period_end)]
        code: Element = (p.reason, p.reference) if p.reference else p.reason
        cur += [code, _d(p.amount)]
    if cur:
        out.append(("PLB", cur))
    return out


def _table(seg_id: str, obj: object, fields: tuple[tuple[str, str], ...]) -> SegmentSpec:
    out: list[Element] = []
    for name, kind in fields:
        if not kind:
            out.append("")
            continue
        v = getattr(obj, name)
        if kind == "d":
            out.append(_d(v))
        elif kind == "date":
            out.append(_date(v))
        else:
            out.append(_s(v))
    return (seg_id, out)


def _procedure(p: Procedure) -> tuple[str, ...]:
    comps = [p.qualifier, p.code, *p.modifiers]
    if p.description:
        comps += [""] * (6 - len(comps)) + [p.description]
    return tuple(comps)


def _contact(c: Contact) -> SegmentSpec:
    els: list[Element] = [c.function, _s(c.name)]
    for q, n in c.numbers:
        els += [q, n]
    return ("PER", els)


def _address(a: Address | None) -> list[SegmentSpec]:
    if a is None:
        return []
    return [
        ("N3", [a.line1, _s(a.line2)]),
        (
            "N4",
            [
                a.city,
                _s(a.state),
                _s(a.postal_code),
                _s(a.country),
                "",
                "",
                _s(a.country_subdivision),
            ],
        ),
    ]


def _placed(
    loop: int, segs: list[SegmentSpec], unmapped: Sequence[UnmappedSegment]
) -> list[SegmentSpec]:
    """Merge a loop's unmapped segments into its own at their guide position (after the
    mapped segments of the same id; segments the loop does not define go last)."""
    if not unmapped:
        return segs
    order = T.LOOP_SEGMENTS[loop]
    last = len(order)
    rank = {sid: i for i, sid in enumerate(order)}
    keyed = [(rank.get(sid, last), 0, i, (sid, els)) for i, (sid, els) in enumerate(segs)]
    keyed += [(rank.get(u.id, last), 1, i, _unmapped(u)) for i, u in enumerate(unmapped)]
    keyed.sort(key=lambda k: (k[0], k[1], k[2]))
    return [k[3] for k in keyed]


def _party_loop(loop: int, code: str, p: RemittanceParty) -> list[SegmentSpec]:
    out: list[SegmentSpec] = [("N1", [code, p.name, _s(p.id_qualifier), _s(p.id)])]
    out += _address(p.address)
    out += [("REF", [r.qualifier, r.value]) for r in p.references]
    out += [_contact(c) for c in p.contacts]
    if p.delivery is not None:
        d = p.delivery
        out.append(("RDM", [d.method, _s(d.name), _s(d.communication_number)]))
    return _placed(loop, out, p.unmapped)


def _nm1(p: Party) -> SegmentSpec:
    return (
        "NM1",
        [
            p.entity,
            p.entity_type,
            _s(p.name),
            _s(p.first_name),
            _s(p.middle_name),
            "",
            _s(p.suffix),
            _s(p.id_qualifier),
            _s(p.id),
        ],
    )


def _service(s: ServicePayment, dest: list[SegmentSpec]) -> None:
    out: list[SegmentSpec] = []
    out.append(
        (
            "SVC",
            [
                _procedure(s.procedure),
                _d(s.charge),
                _d(s.paid),
                _s(s.revenue_code),
                _d(s.units),
                _procedure(s.submitted_procedure) if s.submitted_procedure else "",
                _d(s.submitted_units),
            ],
        )
    )
    for qual, field in T.SERVICE_DATES.items():
        v = getattr(s, field)
        if v is not None:
            out.append(("DTM", [qual, _date(v)]))
    out += _cas(s.adjustments)
    out += [("REF", [r.qualifier, r.value]) for r in s.references]
    out += [("AMT", [a.qualifier, _d(a.amount)]) for a in s.amounts]
    out += [("QTY", [q.qualifier, _d(q.quantity)]) for q in s.quantities]
    out += [("LQ", [r.qualifier, r.code]) for r in s.remarks]
    dest += _placed(T.SERVICE, out, s.unmapped)


def _claim(c: ClaimPayment, dest: list[SegmentSpec]) -> None:
    out: list[SegmentSpec] = []
    clp: list[Element] = [
        c.patient_control_number,
        c.status,
        _d(c.charge),
        _d(c.paid),
        _d(c.patient_responsibility),
        _s(c.filing_indicator),
        _s(c.payer_claim_number),
        _s(c.facility_type),
        _s(c.frequency),
        "",
        _s(c.drg_code),
        _d(c.drg_weight),
        _d(c.discharge_fraction),
    ]
    out.append(("CLP", clp))
    out += _cas(c.adjustments)
    for field in T.CLAIM_PARTIES.values():
        p = getattr(c, field)
        if p is not None:
            out.append(_nm1(p))
    if c.inpatient is not None:
        out.append(_table("MIA", c.inpatient, INPATIENT_FIELDS))
    if c.outpatient is not None:
        out.append(_table("MOA", c.outpatient, OUTPATIENT_FIELDS))
    out += [("REF", [r.qualifier, r.value]) for r in c.references]
    for qual, field in T.CLAIM_DATES.items():
        v = getattr(c, field)
        if v is not None:
            out.append(("DTM", [qual, _date(v)]))
    out += [_contact(ct) for ct in c.contacts]
    out += [("AMT", [a.qualifier, _d(a.amount)]) for a in c.amounts]
    out += [("QTY", [q.qualifier, _d(q.quantity)]) for q in c.quantities]
    dest += _placed(T.CLAIM, out, c.unmapped)
    for s in c.services:
        _service(s, dest)


def remittance_segments(r: Remittance) -> list[SegmentSpec]:
    """The body segments (ST and SE excluded) of one remittance, in guide order."""
    sb, rb = r.sender_bank, r.receiver_bank
    bpr: list[Element] = [
        r.handling,
        _d(r.amount),
        r.credit_debit,
        r.method,
        _s(r.payment_format),
        sb.dfi_qualifier if sb else "",
        sb.dfi_id if sb else "",
        _s(sb.account_qualifier) if sb else "",
        _s(sb.account_number) if sb else "",
        _s(r.originating_company_id),
        _s(r.originating_company_code),
        rb.dfi_qualifier if rb else "",
        rb.dfi_id if rb else "",
        _s(rb.account_qualifier) if rb else "",
        _s(rb.account_number) if rb else "",
        _date(r.payment_date),
    ]
    head: list[SegmentSpec] = [("BPR", bpr)]
    head.append(
        (
            "TRN",
            [
                r.trace_type,
                r.trace_number,
                _s(r.trace_originator),
                _s(r.trace_originator_supplemental),
            ],
        )
    )
    if r.currency:
        head.append(("CUR", ["PR", r.currency]))
    head += [("REF", [x.qualifier, x.value]) for x in r.references]
    if r.production_date is not None:
        head.append(("DTM", ["405", _date(r.production_date)]))
    out = _placed(T.HEADER, head, r.unmapped)
    out += _party_loop(T.PAYER, "PR", r.payer)
    out += _party_loop(T.PAYEE, "PE", r.payee)
    for g in r.groups:
        gs: list[SegmentSpec] = []
        if g.number is not None:
            gs.append(("LX", [g.number]))
        if g.summary is not None:
            gs.append(_table("TS3", g.summary, SUMMARY_FIELDS))
        if g.supplemental is not None:
            gs.append(_table("TS2", g.supplemental, SUPPLEMENTAL_FIELDS))
        out += _placed(T.GROUP, gs, g.unmapped)
        for c in g.claims:
            _claim(c, out)
    out += _plb(r.provider_adjustments)
    return out


# ------------------------------------------------------------------------------ checks
def _required(value: object, path: str, problems: list[tuple[str, str]]) -> None:
    if not isinstance(value, str) or not value.strip():
        problems.append((path, "is required and empty"))


def _check_money(value: Decimal | None, path: str, problems: list[tuple[str, str]]) -> None:
    if value is not None and (not isinstance(value, Decimal) or not value.is_finite()):
        problems.append((path, "is not a finite decimal amount"))


def check(remittances: Sequence[Remittance]) -> list[tuple[str, str]]:
    """Every problem that keeps these remittances from being written, with its path."""
    problems: list[tuple[str, str]] = []
    for ri, r in enumerate(remittances):
        p = f"remittances[{ri}]"
        if not isinstance(r, Remittance):
            problems.append((p, "is not a Remittance"))
            continue
        for name in ("handling", "credit_debit", "method", "trace_number", "trace_type"):
            _required(getattr(r, name), f"{p}.{name}", problems)
        _check_money(r.amount, f"{p}.amount", problems)
        _required(r.payer.name, f"{p}.payer.name", problems)
        _required(r.payee.name, f"{p}.payee.name", problems)
        for gi, g in enumerate(r.groups):
            for ci, c in enumerate(g.claims):
                cp = f"{p}.groups[{gi}].claims[{ci}]"
                _required(c.patient_control_number, f"{cp}.patient_control_number", problems)
                _required(c.status, f"{cp}.status", problems)
                _check_money(c.charge, f"{cp}.charge", problems)
                _check_money(c.paid, f"{cp}.paid", problems)
                _check_money(c.patient_responsibility, f"{cp}.patient_responsibility", problems)
                for ai, a in enumerate(c.adjustments):
                    _check_money(a.amount, f"{cp}.adjustments[{ai}].amount", problems)
                for si, s in enumerate(c.services):
                    sp = f"{cp}.services[{si}]"
                    _required(s.procedure.qualifier, f"{sp}.procedure.qualifier", problems)
                    if len(s.procedure.modifiers) > 4:
                        problems.append((f"{sp}.procedure.modifiers", "at most four"))
                    _check_money(s.charge, f"{sp}.charge", problems)
                    _check_money(s.paid, f"{sp}.paid", problems)
                    for ai, a in enumerate(s.adjustments):
                        _check_money(a.amount, f"{sp}.adjustments[{ai}].amount", problems)
        for pi, pa in enumerate(r.provider_adjustments):
            pp = f"{p}.provider_adjustments[{pi}]"
            _required(pa.provider_id, f"{pp}.provider_id", problems)
            _required(pa.reason, f"{pp}.reason", problems)
            _check_money(pa.amount, f"{pp}.amount", problems)
    return problems


def dumps(
    remittances: Iterable[Remittance],
    *,
    sender_id: str = "PAYER",
    receiver_id: str = "PAYEE",
    usage: str = "T",
    timestamp: _dt.datetime | None = None,
    delimiters: Delimiters = DEFAULT,
    control_numbers: ControlNumbers | None = None,
) -> str:
    """One interchange (one HP group, one 835 per remittance) holding ``remittances``.

    Raises :class:`X12WriteError` listing every problem (field paths) before writing.
    """
    rems = list(remittances)
    problems = check(rems)
    if problems:
        raise X12WriteError(problems)
    # ST03 is "not used" in the X221A1 guide (pyx12 flags it): GS08 carries the version.
    txs = [TransactionSpec("835", None, remittance_segments(r)) for r in rems]
    options = InterchangeOptions(
        sender_id=sender_id,
        receiver_id=receiver_id,
        usage=usage,
        timestamp=timestamp,
        delimiters=delimiters,
    )
    try:
        return write_interchange(
            [GroupSpec("HP", IMPLEMENTATION, txs)], options, control_numbers=control_numbers
        )
    except X12WriteError as exc:
        raise X12WriteError([_field_path(path, msg, rems) for path, msg in exc.problems]) from None


def _field_path(path: str, message: str, rems: Sequence[Remittance]) -> tuple[str, str]:
    # "groups[0].transactions[2].segments[14] (CLP01)" -> "remittances[2], segment 14 (CLP01)"
    if path.startswith("groups[0].transactions["):
        rest = path[len("groups[0].transactions[") :]
        ti, _, tail = rest.partition("]")
        tail = tail.lstrip(".")
        if tail.startswith("segments["):
            si, _, where = tail[len("segments[") :].partition("]")
            return (f"remittances[{ti}], body segment {int(si) + 1}{where}", message)
        return (f"remittances[{ti}]{tail}", message)
    return (path, message)


def dump(remittances: Iterable[Remittance], fp: IO[str], **options: object) -> None:
    """Write :func:`dumps` to a text file object."""
    fp.write(dumps(remittances, **options))  # type: ignore[arg-type]
