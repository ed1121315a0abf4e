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
import functools
import re
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
    Reference,
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
from x12.segment import Element, unsafe_reason

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
    return _dt.date.isoformat(value).replace("-", "")  # CCYYMMDD (a datetime's date alone)


def _s(value: str | None) -> str:
    return value or ""


#: Where each element of a segment comes from, aligned with its elements: a field name (a
#: tuple of them for a composite, a list of those for a repeated element, ``None`` for a
#: constant), relative to an owner object's path (``groups[0].claims[1].services[0]``). A
#: segment keeps its names as chunks ``(owner, names)``; paths are only joined when a refusal
#: by :func:`x12.envelope.write_interchange` (segment, element, component) is mapped back to
#: its field (``...services[0].remarks[0].code``), so writing pays next to nothing for them.
FieldPath = str | tuple[str | None, ...] | None
_Name = FieldPath | list[FieldPath]
Fields = list[tuple[str, tuple[_Name, ...]]]
_Seg = tuple[str, list[Element], Fields]


def _at(owner: str, *names: _Name) -> Fields:
    """``names`` (fields of the object at path ``owner``; "" for the remittance), in element
    order, as one chunk."""
    return [(owner, names)]


@functools.cache
def _item(field: str, index: int, names: tuple[str, ...]) -> tuple[str, ...]:
    """``names`` of item ``index`` of the tuple field ``field``: ``references[2].value``."""
    return tuple(f"{field}[{index}].{n}" for n in names)


_CAS_FIRST = ("group", "reason", "amount", "quantity")
_CAS_NEXT = ("reason", "amount", "quantity")
_REF = ("qualifier", "value")
_AMT = ("qualifier", "amount")
_QTY = ("qualifier", "quantity")
_LQ = ("qualifier", "code")


def _join(owner: str, name: str | None) -> str | None:
    if name is None:
        return None
    return f"{owner}.{name}" if owner else name


def _element_field(fields: Fields, element: int) -> FieldPath | list[FieldPath]:
    """The path(s) of 1-based ``element`` of a segment."""
    k = element - 1
    for owner, names in fields:
        if k < len(names):
            name = names[k]
            if isinstance(name, list):
                return [
                    tuple(_join(owner, n) for n in r) if isinstance(r, tuple) else _join(owner, r)
                    for r in name
                ]
            if isinstance(name, tuple):
                return tuple(_join(owner, n) for n in name)
            return _join(owner, name)
        k -= len(names)
    return None


def _unmapped(u: UnmappedSegment, owner: str) -> _Seg:
    out: list[Element] = []
    fields: list[_Name] = []
    for ei, reps in enumerate(u.elements):
        items: list[str | tuple[str, ...]] = [c[0] if len(c) == 1 else tuple(c) for c in reps]
        base = f"elements[{ei}]"
        if len(items) == 1:
            out.append(items[0])
            comps = reps[0]
            if len(comps) == 1:
                fields.append(f"{base}[0][0]")
            else:
                fields.append(tuple(f"{base}[0][{ci}]" for ci in range(len(comps))))
        else:
            out.append(items)
            fields.append(
                [
                    f"{base}[{ri}][0]"
                    if len(comps) == 1
                    else tuple(f"{base}[{ri}][{ci}]" for ci in range(len(comps)))
                    for ri, comps in enumerate(reps)
                ]
            )
    return (u.id, out, _at(owner, *fields))


def _cas(adjustments: Sequence[Adjustment], owner: str) -> list[_Seg]:
    out: list[_Seg] = []
    if not adjustments:
        return out
    cur: list[Element] = []
    names: list[_Name] = []
    group = None
    for ai, a in enumerate(adjustments):
        if a.group != group or len(cur) >= 19:
            if cur:
                out.append(("CAS", cur, [(owner, tuple(names))]))
            group = a.group
            cur = [str(a.group)]
            names = [*_item("adjustments", ai, _CAS_FIRST)]
        else:
            names += _item("adjustments", ai, _CAS_NEXT)
        cur += [a.reason, _d(a.amount), _d(a.quantity)]
    if cur:
        out.append(("CAS", cur, [(owner, tuple(names))]))
    return out


def _plb(items: Sequence[ProviderAdjustment]) -> list[_Seg]:
    out: list[_Seg] = []
    cur: list[Element] = []
    fields: Fields = []
    key: tuple[str, _dt.date] | None = None
    for pi, p in enumerate(items):
        k = (p.provider_id, p.fiscal_period_end)
        at = f"provider_adjustments[{pi}]"
        if k != key or len(cur) >= 14:
            if cur:
                out.append(("PLB", cur, fields))
            key = k
            cur = [p.provider_id, _date(p.fiscal_period_end)]
            fields = _at(at, "provider_id", "fiscal_period_end")
        code: Element = (p.reason, p.reference) if p.reference else p.reason
        cur += [code, _d(p.amount)]
        fields += _at(at, ("reason", "reference") if p.reference else "reason", "amount")
    if cur:
        out.append(("PLB", cur, fields))
    return out


def _table(seg_id: str, obj: object, fields: tuple[tuple[str, str], ...], owner: str) -> _Seg:
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
    return (seg_id, out, _at(owner, *(name if kind else None for name, kind in fields)))


_PROCEDURE_NAMES = ("qualifier", "code", *(f"modifiers[{i}]" for i in range(4)))


@functools.cache
def _procedure_names(field: str, modifiers: int, description: bool) -> tuple[str | None, ...]:
    """The names of the components of ``field`` (a :class:`Procedure`) as written."""
    names: list[str | None] = [f"{field}.{n}" for n in _PROCEDURE_NAMES[: 2 + modifiers]]
    if description:
        names += [None] * (6 - len(names)) + [f"{field}.description"]
    return tuple(names)


def _procedure(p: Procedure, field: str) -> tuple[tuple[str, ...], FieldPath]:
    comps = [p.qualifier, p.code, *p.modifiers]
    if p.description:
        comps += [""] * (6 - len(comps)) + [p.description]
    return tuple(comps), _procedure_names(field, len(p.modifiers), bool(p.description))


def _contact(c: Contact, owner: str) -> _Seg:
    els: list[Element] = [c.function, _s(c.name)]
    names: list[_Name] = ["function", "name"]
    for i, (q, n) in enumerate(c.numbers):
        els += [q, n]
        names += [f"numbers[{i}][0]", f"numbers[{i}][1]"]
    return ("PER", els, _at(owner, *names))


def _address(a: Address | None, owner: str) -> list[_Seg]:
    if a is None:
        return []
    n4: list[Element] = [
        a.city,
        _s(a.state),
        _s(a.postal_code),
        _s(a.country),
        "",
        "",
        _s(a.country_subdivision),
    ]
    return [
        ("N3", [a.line1, _s(a.line2)], _at(owner, "line1", "line2")),
        (
            "N4",
            n4,
            _at(
                owner, "city", "state", "postal_code", "country", None, None, "country_subdivision"
            ),
        ),
    ]


def _refs(refs: Sequence[Reference], owner: str) -> list[_Seg]:
    if not refs:
        return []
    return [
        ("REF", [r.qualifier, r.value], [(owner, _item("references", i, _REF))])
        for i, r in enumerate(refs)
    ]


def _amounts(c: ClaimPayment | ServicePayment, owner: str) -> list[_Seg]:
    out: list[_Seg] = []
    for i, a in enumerate(c.amounts):
        out.append(("AMT", [a.qualifier, _d(a.amount)], [(owner, _item("amounts", i, _AMT))]))
    for i, q in enumerate(c.quantities):
        out.append(("QTY", [q.qualifier, _d(q.quantity)], [(owner, _item("quantities", i, _QTY))]))
    return out


def _placed(
    loop: int, segs: list[_Seg], unmapped: Sequence[UnmappedSegment], owner: str
) -> list[_Seg]:
    """Merge a loop's unmapped segments into its own at their guide position (after the
    mapped segments of the same id; segments the loop does not define go last)."""
    if not unmapped:
        return segs
    order = T.LOOP_SEGMENTS[loop]
    last = len(order)
    rank = {sid: i for i, sid in enumerate(order)}
    prefix = f"{owner}." if owner else ""
    keyed = [(rank.get(seg[0], last), 0, i, seg) for i, seg in enumerate(segs)]
    keyed += [
        (rank.get(u.id, last), 1, i, _unmapped(u, f"{prefix}unmapped[{i}]"))
        for i, u in enumerate(unmapped)
    ]
    keyed.sort(key=lambda k: (k[0], k[1], k[2]))
    return [k[3] for k in keyed]


def _party_loop(loop: int, code: str, p: RemittanceParty, owner: str) -> list[_Seg]:
    out: list[_Seg] = [
        (
            "N1",
            [code, p.name, _s(p.id_qualifier), _s(p.id)],
            _at(owner, None, "name", "id_qualifier", "id"),
        )
    ]
    out += _address(p.address, f"{owner}.address")
    out += _refs(p.references, owner)
    out += [_contact(c, f"{owner}.contacts[{i}]") for i, c in enumerate(p.contacts)]
    if p.delivery is not None:
        d = p.delivery
        out.append(
            (
                "RDM",
                [d.method, _s(d.name), _s(d.communication_number)],
                _at(f"{owner}.delivery", "method", "name", "communication_number"),
            )
        )
    return _placed(loop, out, p.unmapped, owner)


_NM1: tuple[str | None, ...] = ("entity", "entity_type", "name", "first_name", "middle_name")
_NM1 += (None, "suffix", "id_qualifier", "id")


@functools.cache
def _party_names(field: str) -> tuple[str | None, ...]:
    return tuple(None if n is None else f"{field}.{n}" for n in _NM1)


def _nm1(p: Party, owner: str, field: str) -> _Seg:
    els: list[Element] = [
        p.entity,
        p.entity_type,
        _s(p.name),
        _s(p.first_name),
        _s(p.middle_name),
        "",
        _s(p.suffix),
        _s(p.id_qualifier),
        _s(p.id),
    ]
    return ("NM1", els, [(owner, _party_names(field))])


def _service(s: ServicePayment, dest: list[_Seg], owner: str) -> None:
    out: list[_Seg] = []
    proc, proc_names = _procedure(s.procedure, "procedure")
    svc: list[Element] = [proc, _d(s.charge), _d(s.paid), _s(s.revenue_code), _d(s.units)]
    sub: Element = ""
    sub_names: FieldPath = None
    if s.submitted_procedure:
        sub, sub_names = _procedure(s.submitted_procedure, "submitted_procedure")
    svc += [sub, _d(s.submitted_units)]
    names = (proc_names, "charge", "paid", "revenue_code", "units", sub_names, "submitted_units")
    out.append(("SVC", svc, _at(owner, *names)))
    for qual, field in T.SERVICE_DATES.items():
        v = getattr(s, field)
        if v is not None:
            out.append(("DTM", [qual, _date(v)], _at(owner, None, field)))
    out += _cas(s.adjustments, owner)
    out += _refs(s.references, owner)
    out += _amounts(s, owner)
    for i, r in enumerate(s.remarks):
        out.append(("LQ", [r.qualifier, r.code], [(owner, _item("remarks", i, _LQ))]))
    dest += _placed(T.SERVICE, out, s.unmapped, owner)


_CLP_FIELDS: tuple[str | None, ...] = (
    "patient_control_number",
    "status",
    "charge",
    "paid",
    "patient_responsibility",
    "filing_indicator",
    "payer_claim_number",
    "facility_type",
    "frequency",
    None,
    "drg_code",
    "drg_weight",
    "discharge_fraction",
)


def _claim(c: ClaimPayment, dest: list[_Seg], owner: str) -> None:
    out: list[_Seg] = []
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
    out.append(("CLP", clp, _at(owner, *_CLP_FIELDS)))
    out += _cas(c.adjustments, owner)
    for field in T.CLAIM_PARTIES.values():
        p = getattr(c, field)
        if p is not None:
            out.append(_nm1(p, owner, field))
    if c.inpatient is not None:
        out.append(_table("MIA", c.inpatient, INPATIENT_FIELDS, f"{owner}.inpatient"))
    if c.outpatient is not None:
        out.append(_table("MOA", c.outpatient, OUTPATIENT_FIELDS, f"{owner}.outpatient"))
    out += _refs(c.references, owner)
    for qual, field in T.CLAIM_DATES.items():
        v = getattr(c, field)
        if v is not None:
            out.append(("DTM", [qual, _date(v)], _at(owner, None, field)))
    out += [_contact(ct, f"{owner}.contacts[{i}]") for i, ct in enumerate(c.contacts)]
    out += _amounts(c, owner)
    dest += _placed(T.CLAIM, out, c.unmapped, owner)
    for si, s in enumerate(c.services):
        _service(s, dest, f"{owner}.services[{si}]")


def remittance_segments(r: Remittance) -> list[SegmentSpec]:
    """The body segments (ST and SE excluded) of one remittance, in guide order."""
    return [(sid, els) for sid, els, _ in _segments(r)]


def _segments(r: Remittance) -> list[_Seg]:
    """:func:`remittance_segments`, each with the field paths of its elements."""
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
    bank = ("dfi_qualifier", "dfi_id", "account_qualifier", "account_number")
    bpr_fields = _at("", "handling", "amount", "credit_debit", "method", "payment_format")
    bpr_fields += _at("sender_bank", *bank)
    bpr_fields += _at("", "originating_company_id", "originating_company_code")
    bpr_fields += _at("receiver_bank", *bank)
    bpr_fields += _at("", "payment_date")
    head: list[_Seg] = [("BPR", bpr, bpr_fields)]
    trn = ("trace_type", "trace_number", "trace_originator", "trace_originator_supplemental")
    head.append(
        (
            "TRN",
            [
                r.trace_type,
                r.trace_number,
                _s(r.trace_originator),
                _s(r.trace_originator_supplemental),
            ],
            _at("", *trn),
        )
    )
    if r.currency:
        head.append(("CUR", ["PR", r.currency], _at("", None, "currency")))
    head += _refs(r.references, "")
    if r.production_date is not None:
        head.append(("DTM", ["405", _date(r.production_date)], _at("", None, "production_date")))
    out = _placed(T.HEADER, head, r.unmapped, "")
    out += _party_loop(T.PAYER, "PR", r.payer, "payer")
    out += _party_loop(T.PAYEE, "PE", r.payee, "payee")
    for gi, g in enumerate(r.groups):
        gp = f"groups[{gi}]"
        gs: list[_Seg] = []
        if g.number is not None:
            gs.append(("LX", [g.number], _at(gp, "number")))
        if g.summary is not None:
            gs.append(_table("TS3", g.summary, SUMMARY_FIELDS, f"{gp}.summary"))
        if g.supplemental is not None:
            gs.append(_table("TS2", g.supplemental, SUPPLEMENTAL_FIELDS, f"{gp}.supplemental"))
        out += _placed(T.GROUP, gs, g.unmapped, gp)
        for ci, c in enumerate(g.claims):
            _claim(c, out, f"{gp}.claims[{ci}]")
    out += _plb(r.provider_adjustments)
    return out


# ------------------------------------------------------------------------------ checks
def _required(value: object, path: str, problems: list[tuple[str, str]]) -> None:
    if not isinstance(value, str) or not value.strip():
        problems.append((path, "is required and empty"))


def _check_money(value: Decimal | None, path: str, problems: list[tuple[str, str]]) -> None:
    if value is not None and (not isinstance(value, Decimal) or not value.is_finite()):
        problems.append((path, "is not a finite decimal amount"))


_UNMAPPED_ID = re.compile(r"[A-Z][A-Z0-9]{1,2}")


def _check_unmapped(
    unmapped: Sequence[UnmappedSegment], owner: str, problems: list[tuple[str, str]]
) -> None:
    """A kept segment's id is written as is: anything but 2-3 capitals/digits could forge
    segments (``NM1*QC``, ``X~NM1``); envelope ids would break the envelope."""
    prefix = f"{owner}." if owner else ""
    for i, u in enumerate(unmapped):
        if not isinstance(u.id, str) or not _UNMAPPED_ID.fullmatch(u.id):
            problems.append((f"{prefix}unmapped[{i}].id", "is not a segment id (2-3 capitals)"))
        elif u.id in _ENVELOPE_IDS:
            problems.append((f"{prefix}unmapped[{i}].id", "is an envelope segment id"))


_ENVELOPE_IDS = frozenset({"ISA", "IEA", "GS", "GE", "ST", "SE", "TA1"})


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
        _check_unmapped(r.unmapped, p, problems)
        _check_unmapped(r.payer.unmapped, f"{p}.payer", problems)
        _check_unmapped(r.payee.unmapped, f"{p}.payee", problems)
        for gi, g in enumerate(r.groups):
            _check_unmapped(g.unmapped, f"{p}.groups[{gi}]", problems)
            for ci, c in enumerate(g.claims):
                cp = f"{p}.groups[{gi}].claims[{ci}]"
                _check_unmapped(c.unmapped, cp, problems)
                _required(c.patient_control_number, f"{cp}.patient_control_number", problems)
                _required(c.status, f"{cp}.status", problems)
                _check_money(c.charge, f"{cp}.charge", problems)
                _check_money(c.paid, f"{cp}.paid", problems)
                _check_money(c.patient_responsibility, f"{cp}.patient_responsibility", problems)
                for ai, a in enumerate(c.adjustments):
                    _check_money(a.amount, f"{cp}.adjustments[{ai}].amount", problems)
                for si, s in enumerate(c.services):
                    sp = f"{cp}.services[{si}]"
                    _check_unmapped(s.unmapped, sp, problems)
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
    built = [_segments(r) for r in rems]
    txs = [TransactionSpec("835", None, [(sid, els) for sid, els, _ in b]) for b in built]
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
        raise X12WriteError(
            [(_field_path(path, built, delimiters), msg) for path, msg in exc.problems]
        ) from None


_SEGMENT_PROBLEM = re.compile(
    r"groups\[0\]\.transactions\[(\d+)\]\.segments\[(\d+)\] \(([A-Z0-9]+?)(\d{2})(?:-(\d+))?\)"
)


def _field_path(path: str, built: Sequence[Sequence[_Seg]], delimiters: Delimiters) -> str:
    """``groups[0].transactions[2].segments[14] (LQ02)`` (the envelope writer's path) ->
    ``remittances[2].groups[0].claims[1].services[0].remarks[0].code``."""
    m = _SEGMENT_PROBLEM.fullmatch(path)
    if m is None:
        return path
    ti, si, sid = int(m.group(1)), int(m.group(2)), m.group(3)
    element, component = int(m.group(4)), m.group(5)
    prefix = f"remittances[{ti}]"
    segs = built[ti] if ti < len(built) else ()
    if si >= len(segs):
        return f"{prefix} ({sid}{element:02d})"
    field = _element_field(segs[si][2], element) if element > 0 else None
    if isinstance(field, list):  # a repeated element: the first repetition that is unsafe
        value = segs[si][1][element - 1]
        reps = value if isinstance(value, list) else [value]
        field = next(
            (
                f
                for f, r in zip(field, reps, strict=False)
                if any(unsafe_reason(v, delimiters) for v in ((r,) if isinstance(r, str) else r))
            ),
            None,
        )
    if isinstance(field, tuple):
        c = int(component) if component else 0
        field = field[c - 1] if 0 < c <= len(field) else None
    if field is None:
        where = f"{sid}{element:02d}" + (f"-{component}" if component else "")
        return f"{prefix} ({where})"
    return f"{prefix}.{field}"


def dump(remittances: Iterable[Remittance], fp: IO[str], **options: object) -> None:
    """Write :func:`dumps` to a text file object."""
    fp.write(dumps(remittances, **options))  # type: ignore[arg-type]
