"""The 837P writer: claims (models) -> segments -> one interchange.

Claims are grouped into the guide's HL hierarchy (2000A billing provider -> 2000B subscriber
-> 2000C patient when the patient is not the subscriber), HL numbers, parents and child
codes computed. Every loop object's segments are written in the guide's order; segments a
reader kept without modelling them (``unmapped``) go back to their guide position, found
in the generated table :mod:`edi837.guide_x222a1`, which also gives the max-use limits that
are checked (or split, for the 100 claims of a subscriber/patient level).

Everything is checked before a byte is written; :class:`x12.errors.X12WriteError` lists
every problem by field path (``claims[3].service_lines[0].charge``).
"""

from __future__ import annotations

import bisect
import datetime as _dt
import gc
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import IO, Any, NamedTuple

from edi837.guide_x222a1 import GUIDE
from models.claim import (
    AmbulanceTransport,
    Attachment,
    Claim,
    Condition,
    Diagnosis,
    EventDate,
    OtherPayer,
    Patient,
    Payer,
    Place,
    Provider,
    Receiver,
    Reference,
    ServiceLine,
    Submission,
    Submitter,
    Subscriber,
)
from models.common import Address, Adjustment, Contact, UnmappedSegment
from x12.delimiters import Delimiters
from x12.envelope import (
    ControlNumbers,
    GroupSpec,
    InterchangeOptions,
    TransactionSpec,
    write_interchange,
)
from x12.errors import X12WriteError
from x12.guide import ElementSpec, LoopSpec, SegmentSpec

__all__ = ["dump", "dumps", "group_claims", "transaction_segments"]

IMPLEMENTATION = "005010X222A1"

Element = Any  # str | tuple[str, ...] | list[str | tuple[str, ...]]
Seg = tuple[str, list[Element]]


# --------------------------------------------------------------------------- guide data
def _loop_specs() -> dict[str, LoopSpec]:
    return {loop.id: loop for loop in GUIDE.root.walk()}


_LOOPS = _loop_specs()


def _max_use(loop_id: str) -> int | None:
    return _LOOPS[loop_id].max_use


def _order_table(spec: LoopSpec) -> tuple[dict[tuple[str, str | None], int], dict[str, Any]]:
    """(key -> child index) for a loop's own segments; qualifier position per id."""
    table: dict[tuple[str, str | None], int] = {}
    qual: dict[str, Any] = {}
    for i, child in enumerate(spec.children):
        if isinstance(child, LoopSpec):
            continue
        table[(child.id, None)] = i  # an unknown qualifier goes after the known ones
        if child.qualifier is not None:
            qual[child.id] = child.qualifier
            for code in child.qualifier_codes:
                table.setdefault((child.id, code), i)
    return table, qual


_ORDER = {loop_id: _order_table(spec) for loop_id, spec in _LOOPS.items()}


def _value_at(elements: Sequence[Element], position: tuple[int, int]) -> str | None:
    e, c = position
    if e - 1 >= len(elements):
        return None
    v = elements[e - 1]
    if isinstance(v, list):
        v = v[0] if v else ""
    if isinstance(v, tuple):
        return v[c - 1] if c and c - 1 < len(v) else (v[0] if v else "")
    return v if isinstance(v, str) else None


def _rank(loop_id: str, seg: Seg) -> int:
    table, qual = _ORDER[loop_id]
    sid = seg[0]
    pos = qual.get(sid)
    if pos is not None:
        q = _value_at(seg[1], pos)
        r = table.get((sid, q))
        if r is not None:
            return r
    return table.get((sid, None), 10_000)


def _fits(loop_id: str, seg: Seg) -> bool:
    table, qual = _ORDER[loop_id]
    pos = qual.get(seg[0])
    if pos is not None:
        return (seg[0], _value_at(seg[1], pos)) in table
    return (seg[0], None) in table


def _label(seg: Seg) -> str:
    """``REF*EI``-style name of a typed segment (its qualifier is a code, never data)."""
    first = seg[1][0] if seg[1] else ""
    return f"{seg[0]}*{first}" if isinstance(first, str) and first else seg[0]


def _unmapped_seg(u: UnmappedSegment) -> Seg:
    out: list[Element] = []
    for reps in u.elements:
        items: list[Element] = [comps[0] if len(comps) == 1 else tuple(comps) for comps in reps]
        out.append(items[0] if len(items) == 1 else items)
    return (u.id, out)


def _single(loop_id: str) -> frozenset[int]:
    spec = _LOOPS[loop_id]
    return frozenset(
        i for i, c in enumerate(spec.children) if not isinstance(c, LoopSpec) and c.max_use == 1
    )


_SINGLE = {loop_id: _single(loop_id) for loop_id in _LOOPS}


def _merge(
    loop_id: str, segs: list[Seg], unmapped: Iterable[Seg], *, order: bool = False
) -> list[Seg]:
    """A loop's segments in guide order, kept (unmapped) ones at their guide position.

    A kept segment where the guide allows only one (a CLM or an SV1 a reader could not
    model faithfully) replaces the typed one the model would give.
    """
    problems = _CHECK.problems
    if problems is not None:
        for seg in segs:
            if _fits(loop_id, seg):
                _check_segment(loop_id, seg, _CHECK.path, problems)
            else:
                problems.append((_CHECK.path, f"{_label(seg)} has no place in loop {loop_id}"))
    extra = list(unmapped)
    if not extra:
        if order:
            return sorted(segs, key=lambda s: _rank(loop_id, s))
        return segs
    single = _SINGLE[loop_id]
    taken = {r for r in (_rank(loop_id, u) for u in extra) if r in single}
    if taken:
        segs = [s for s in segs if _rank(loop_id, s) not in taken]
    # stable: typed segments are already in guide order; kept ones join at their position
    return sorted(segs + extra, key=lambda s: _rank(loop_id, s))


def _split(unmapped: Sequence[UnmappedSegment], loop_ids: Sequence[str]) -> dict[str, list[Seg]]:
    """Kept segments of an object spanning several loops (2000A + 2010AA) to their loop."""
    out: dict[str, list[Seg]] = {k: [] for k in loop_ids}
    for u in unmapped:
        seg = _unmapped_seg(u)
        for loop_id in loop_ids:
            if _fits(loop_id, seg):
                out[loop_id].append(seg)
                break
        else:
            out[loop_ids[-1]].append(seg)
    return out


# --------------------------------------------------------------------------- element checks
class _Rule(NamedTuple):
    position: int  # 1-based element
    ref: str
    usage: str
    data_type: str
    min_len: int
    max_len: int
    codes: frozenset[str]
    components: tuple[_Rule, ...]


def _rule(i: int, e: ElementSpec) -> _Rule:
    comps = tuple(_rule(j, c) for j, c in enumerate(e.components, 1))
    return _Rule(i, e.ref, e.usage, e.data_type, e.min_len, e.max_len, frozenset(e.codes), comps)


class _SegRules(NamedTuple):
    rules: tuple[_Rule, ...]
    last_required: int


def _rules(spec: SegmentSpec) -> _SegRules:
    rules = tuple(_rule(i, e) for i, e in enumerate(spec.elements, 1))
    last = max((r.position for r in rules if r.usage == "R"), default=0)
    return _SegRules(rules, last)


_RULES: dict[tuple[str, int], _SegRules] = {
    (loop_id, i): _rules(child)
    for loop_id, spec in _LOOPS.items()
    for i, child in enumerate(spec.children)
    if isinstance(child, SegmentSpec)
}

_TEXT = ("AN", "ID")
_MEMO: dict[tuple[Any, ...], tuple[str, ...]] = {}


def _check_segment(loop_id: str, seg: Seg, path: str, problems: list[tuple[str, str]]) -> None:
    """The guide's usage (R/N), length and closed code list for each element of ``seg``."""
    try:
        key: tuple[Any, ...] = (loop_id, seg[0], *seg[1])
        found = _MEMO.get(key)
    except TypeError:  # repetitions (lists) are not hashable: check without the memo
        key, found = (), None
    if found is None:
        messages: list[str] = []
        sr = _RULES.get((loop_id, _rank(loop_id, seg)))
        if sr is not None:
            _check_elements(sr, seg[1], messages)
        found = tuple(f"{m} (loop {loop_id})" for m in messages)
        if key:
            if len(_MEMO) > 100_000:
                _MEMO.clear()
            _MEMO[key] = found
    for m in found:
        problems.append((path, m))


def _check_elements(sr: _SegRules, elements: Sequence[Element], out: list[str]) -> None:
    n = len(elements)
    last = sr.last_required
    for r in sr.rules:
        pos = r.position
        if pos > n:
            if pos > last:
                break
            if r.usage == "R":
                out.append(f"{r.ref} is required by the guide")
            continue
        v = elements[pos - 1]
        if isinstance(v, list):  # repetitions: check the first
            v = v[0] if v else ""
        if isinstance(v, tuple):
            if not any(v):
                if r.usage == "R":
                    out.append(f"{r.ref} is required by the guide")
            elif r.usage == "N":
                out.append(f"{r.ref} is not used by the guide")
            else:
                _check_values(r.components, v, out)
            continue
        if not r.components:
            _check_value(r, v, out)
        elif v:  # a composite written as one value: its first component
            _check_values(r.components, (v,), out)
        elif r.usage == "R":
            out.append(f"{r.ref} is required by the guide")


def _check_values(rules: Sequence[_Rule], values: Sequence[str], out: list[str]) -> None:
    n = len(values)
    for r in rules:
        _check_value(r, values[r.position - 1] if r.position <= n else "", out)


def _check_value(r: _Rule, v: str, out: list[str]) -> None:
    if not v:
        if r.usage == "R":
            out.append(f"{r.ref} is required by the guide")
        return
    if r.usage == "N":
        out.append(f"{r.ref} is not used by the guide")
    elif r.codes and v not in r.codes:
        out.append(f"{r.ref} is not one of the guide's codes")
    elif r.data_type in _TEXT and not r.min_len <= len(v) <= r.max_len:
        out.append(f"{r.ref} must be {r.min_len}-{r.max_len} characters")
    elif r.data_type == "R" and len(v.replace(".", "").replace("-", "")) > r.max_len:
        out.append(f"{r.ref} has more than {r.max_len} digits")


class _Checking:
    """Where the element checks report (set while a claim is written)."""

    __slots__ = ("marks", "path", "problems")

    def __init__(self) -> None:
        self.path = ""
        self.problems: list[tuple[str, str]] | None = None
        self.marks: list[tuple[int, str]] = []  # (first body segment index, field path)


_CHECK = _Checking()


# --------------------------------------------------------------------------- values
def _amt(d: Decimal) -> str:
    text = format(d, "f")
    if text.startswith("-0") and d == 0:
        text = text[1:]
    return text


def _date(d: _dt.date) -> str:
    return f"{d.year:04d}{d.month:02d}{d.day:02d}"


def _yn(flag: bool) -> str:
    return "Y" if flag else "N"


def _o(v: str | None) -> str:
    return "" if v is None else v


# --------------------------------------------------------------------------- segments
def _nm1(
    code: str,
    entity: str,
    name: str,
    first: str | None = None,
    middle: str | None = None,
    suffix: str | None = None,
    id_qual: str | None = None,
    ident: str | None = None,
) -> Seg:
    return (
        "NM1",
        [
            code,
            entity,
            name,
            _o(first),
            _o(middle),
            "",
            _o(suffix),
            _o(id_qual) if ident else "",
            _o(ident),
        ],
    )


def _address(a: Address | None, out: list[Seg]) -> None:
    if a is None:
        return
    out.append(("N3", [a.line1, _o(a.line2)]))
    out.append(
        (
            "N4",
            [
                a.city,
                _o(a.state),
                _o(a.postal_code),
                _o(a.country),
                "",
                "",
                _o(a.country_subdivision),
            ],
        )
    )


def _per(c: Contact) -> Seg:
    els: list[Element] = [c.function, _o(c.name)]
    for q, n in c.numbers:
        els += [q, n]
    return ("PER", els)


def _ref(r: Reference) -> Seg:
    return ("REF", [r.qualifier, r.value, _o(r.description)])


def _dtp(kind: str, start: _dt.date, end: _dt.date | None = None) -> Seg:
    if end is None:
        return ("DTP", [kind, "D8", _date(start)])
    return ("DTP", [kind, "RD8", f"{_date(start)}-{_date(end)}"])


def _pwk(a: Attachment) -> Seg:
    if a.control_number:
        return ("PWK", [a.report_type, a.transmission, "", "", "AC", a.control_number])
    return ("PWK", [a.report_type, a.transmission])


def _crc(c: Condition) -> Seg:
    return ("CRC", [c.category, _yn(c.applies), *c.codes])


def _cr1(a: AmbulanceTransport) -> Seg:
    weight = _amt(a.patient_weight_lbs) if a.patient_weight_lbs is not None else ""
    return (
        "CR1",
        [
            "LB" if weight else "",
            weight,
            "",
            a.reason,
            "DH",
            _amt(a.distance_miles),
            "",
            "",
            _o(a.round_trip_purpose),
            _o(a.stretcher_purpose),
        ],
    )


def _cas(adjustments: Sequence[Adjustment]) -> list[Seg]:
    out: list[Seg] = []
    groups: dict[str, list[Adjustment]] = {}
    for a in adjustments:
        groups.setdefault(str(a.group), []).append(a)
    for group, items in groups.items():
        for start in range(0, len(items), 6):
            els: list[Element] = [group]
            for a in items[start : start + 6]:
                els += [
                    a.reason,
                    _amt(a.amount),
                    _amt(a.quantity) if a.quantity is not None else "",
                ]
            out.append(("CAS", els))
    return out


def _place(code: str, p: Place, out: list[Seg]) -> None:
    out.append(_nm1(code, "2", _o(p.name)))
    _address(p.address, out)


# --------------------------------------------------------------------------- checks
class _Problems:
    __slots__ = ("items",)

    def __init__(self) -> None:
        self.items: list[tuple[str, str]] = []

    def add(self, path: str, message: str) -> None:
        self.items.append((path, message))


def _check_claim(claim: Claim, path: str, p: _Problems) -> None:
    if not claim.service_lines:
        p.add(f"{path}.service_lines", "a claim needs at least one service line (2400)")
    limit = _max_use("2400")
    if limit is not None and len(claim.service_lines) > limit:
        p.add(f"{path}.service_lines", f"at most {limit} service lines per claim (loop 2400)")
    if not claim.diagnoses:
        p.add(f"{path}.diagnoses", "a claim needs at least one diagnosis (HI ABK/BK)")
    if claim.service_lines and claim.charge != claim.line_total:
        p.add(f"{path}.charge", "CLM02 must equal the sum of the service line charges (SV102)")
    if len(claim.related_causes) > 2:
        p.add(f"{path}.related_causes", "at most 2 related causes (CLM11-1, CLM11-2)")
    if "AA" in claim.related_causes and not claim.accident_state:
        p.add(f"{path}.accident_state", "required when a related cause is AA (auto accident)")
    for name, limit_loop, items in (
        ("referring_providers", "2310A", claim.referring_providers),
        ("other_payers", "2320", claim.other_payers),
    ):
        lim = _max_use(limit_loop)
        if lim is not None and len(items) > lim:
            p.add(f"{path}.{name}", f"at most {lim} (loop {limit_loop})")
    if claim.service_facility is not None and claim.service_facility.address is None:
        p.add(f"{path}.service_facility.address", "required (2310C N3/N4)")
    bp = claim.billing_provider
    if bp.npi is None:
        p.add(f"{path}.billing_provider.npi", "required (2010AA NM109)")
    if bp.address is None:
        p.add(f"{path}.billing_provider.address", "required (2010AA N3/N4)")
    if bp.tax_id is None:
        p.add(f"{path}.billing_provider.tax_id", "required (2010AA REF EI/SY)")
    if claim.patient is not None:
        if claim.patient.address is None:
            p.add(f"{path}.patient.address", "required (2010CA N3/N4)")
        if claim.patient.birth_date is None or claim.patient.gender is None:
            p.add(f"{path}.patient.birth_date", "birth date and gender required (2010CA DMG)")
    if len(claim.condition_codes) > 24:
        p.add(f"{path}.condition_codes", "at most 24 condition codes (2 HI BG)")
    if len(claim.anesthesia_procedures) > 2:
        p.add(f"{path}.anesthesia_procedures", "at most 2 (HI BP/BO)")
    n_diag = len(claim.diagnoses)
    icd9 = {d.icd9 for d in claim.diagnoses}
    if len(icd9) > 1:
        p.add(f"{path}.diagnoses", "ICD-9 and ICD-10 codes cannot be mixed in one HI")
    for i, line in enumerate(claim.service_lines):
        lp = f"{path}.service_lines[{i}]"
        for j, ptr in enumerate(line.diagnosis_pointers):
            if ptr > n_diag:
                p.add(f"{lp}.diagnosis_pointers[{j}]", f"points at diagnosis {ptr} of {n_diag}")
        if not line.diagnosis_pointers:
            p.add(f"{lp}.diagnosis_pointers", "at least one pointer required (SV107-1)")
        if line.modifiers and len(line.modifiers) > 4:
            p.add(f"{lp}.modifiers", "at most 4 modifiers")
        for name, loop_id, seq in (
            ("adjudications", "2430", line.adjudications),
            ("referring_providers", "2420F", line.referring_providers),
        ):
            lim = _max_use(loop_id)
            if lim is not None and len(seq) > lim:
                p.add(f"{lp}.{name}", f"at most {lim} (loop {loop_id})")
        if line.service_facility is not None and line.service_facility.address is None:
            p.add(f"{lp}.service_facility.address", "required (2420C N3/N4)")
        payer_ids = {op.payer.id for op in claim.other_payers}
        for k, adj in enumerate(line.adjudications):
            if adj.payer_id not in payer_ids:
                p.add(
                    f"{lp}.adjudications[{k}].payer_id",
                    "must name an other payer of the claim (SVD01 = 2330B NM109)",
                )
    for k, op in enumerate(claim.other_payers):
        if op.subscriber.relationship is None:
            p.add(f"{path}.other_payers[{k}].subscriber.relationship", "required (2320 SBR02)")


# --------------------------------------------------------------------------- loops
def _provider_segs(code: str, pv: Provider, loop_id: str) -> list[Seg]:
    """A provider loop (2310x, 2330C-G, 2420x): every field the model holds is written and
    the guide's table for ``loop_id`` refuses what the loop has no place for."""
    out: list[Seg] = [
        _nm1(
            code if pv.role is None else pv.role,
            pv.entity_type,
            _o(pv.name),
            pv.first_name,
            pv.middle_name,
            pv.suffix,
            "XX",
            pv.npi,
        )
    ]
    if pv.taxonomy:
        out.append(("PRV", ["PE", "PXC", pv.taxonomy]))
    if pv.currency:
        out.append(("CUR", ["85", pv.currency]))
    _address(pv.address, out)
    if pv.tax_id:
        out.append(("REF", [pv.tax_id_type, pv.tax_id]))
    out.extend(_ref(r) for r in pv.secondary_ids)
    out.extend(_per(c) for c in pv.contacts)
    return _merge(loop_id, out, (_unmapped_seg(u) for u in pv.unmapped))


def _billing(claim: Claim, hl: int, child: bool, out: list[Seg]) -> None:
    bp = claim.billing_provider
    kept = _split(bp.unmapped, ("2000A", "2010AA"))
    head: list[Seg] = [("HL", [str(hl), "", "20", "1" if child else "0"])]
    if bp.taxonomy:
        head.append(("PRV", ["BI", "PXC", bp.taxonomy]))
    if bp.currency:
        head.append(("CUR", ["85", bp.currency]))
    out.extend(_merge("2000A", head, kept["2000A"]))
    name: list[Seg] = [
        _nm1(
            "85",
            bp.entity_type,
            _o(bp.name),
            bp.first_name,
            bp.middle_name,
            bp.suffix,
            "XX",
            bp.npi,
        )
    ]
    _address(bp.address, name)
    if bp.tax_id:
        name.append(("REF", [bp.tax_id_type, bp.tax_id]))
    name.extend(_ref(r) for r in bp.secondary_ids)
    name.extend(_per(c) for c in bp.contacts)
    out.extend(_merge("2010AA", name, kept["2010AA"]))
    if claim.pay_to_address is not None:
        pay: list[Seg] = [("NM1", ["87", "2"])]
        _address(claim.pay_to_address, pay)
        out.extend(_merge("2010AB", pay, ()))
    if claim.pay_to_plan is not None:
        out.extend(_payer_segs("PE", "2010AC", claim.pay_to_plan))


def _payer_segs(code: str, loop_id: str, payer: Payer, extra: Sequence[Seg] = ()) -> list[Seg]:
    segs: list[Seg] = []
    if payer.name or payer.id:  # a reader's placeholder for a missing loop writes nothing
        segs.append(_nm1(code, "2", payer.name, None, None, None, payer.id_qualifier, payer.id))
    _address(payer.address, segs)
    segs.extend(extra)
    segs.extend(_ref(r) for r in payer.secondary_ids)
    return _merge(loop_id, segs, (_unmapped_seg(u) for u in payer.unmapped))


def _person_segs(
    code: str,
    loop_id: str,
    s: Subscriber | Patient,
    id_qual: str | None,
    ident: str | None,
    unmapped: Sequence[Seg],
) -> list[Seg]:
    entity = s.entity_type if isinstance(s, Subscriber) else "1"
    segs: list[Seg] = [
        _nm1(code, entity, s.last_name, s.first_name, s.middle_name, s.suffix, id_qual, ident)
    ]
    _address(s.address, segs)
    if s.birth_date is not None or s.gender is not None:
        segs.append(
            (
                "DMG",
                [
                    "D8" if s.birth_date else "",
                    _date(s.birth_date) if s.birth_date else "",
                    _o(s.gender),
                ],
            )
        )
    segs.extend(_ref(r) for r in s.secondary_ids)
    segs.extend(_per(c) for c in s.contacts)
    return _merge(loop_id, segs, unmapped)


def _sbr(s: Subscriber, relationship: str) -> Seg:
    return (
        "SBR",
        [
            s.payer_responsibility,
            relationship,
            _o(s.group_number),
            _o(s.group_name),
            _o(s.insurance_type),
            "",
            "",
            "",
            s.claim_filing_code,
        ],
    )


def _subscriber(claim: Claim, hl: int, parent: int, child: bool, out: list[Seg]) -> None:
    s = claim.subscriber
    kept = _split(s.unmapped, ("2000B", "2010BA"))
    rel = s.relationship if s.relationship is not None else ("18" if claim.patient is None else "")
    head: list[Seg] = [("HL", [str(hl), str(parent), "22", "1" if child else "0"]), _sbr(s, rel)]
    out.extend(_merge("2000B", head, kept["2000B"]))
    out.extend(_person_segs("IL", "2010BA", s, s.id_qualifier, s.member_id, kept["2010BA"]))
    out.extend(_payer_segs("PR", "2010BB", claim.payer))


def _patient(pt: Patient, hl: int, parent: int, out: list[Seg]) -> None:
    kept = _split(pt.unmapped, ("2000C", "2010CA"))
    head: list[Seg] = [("HL", [str(hl), str(parent), "23", "0"]), ("PAT", [pt.relationship])]
    out.extend(_merge("2000C", head, kept["2000C"]))
    out.extend(_person_segs("QC", "2010CA", pt, None, None, kept["2010CA"]))


def _claim(c: Claim, out: list[Seg]) -> None:
    causes = ""
    if c.related_causes or c.accident_state or c.accident_country:
        rc = [*c.related_causes, "", ""]
        causes_t = (rc[0], rc[1], "", _o(c.accident_state), _o(c.accident_country))
        causes = causes_t  # type: ignore[assignment]
    clm: list[Element] = [
        c.id,
        _amt(c.charge),
        "",
        "",
        (c.place_of_service, "B", c.frequency),
        _yn(c.provider_signature),
        c.assignment,
        c.benefits_assigned,
        c.release_of_information,
        _o(c.patient_signature_source),
        causes,
        _o(c.special_program),
    ]
    if c.delay_reason:
        clm += ["", "", "", "", "", "", "", c.delay_reason]
    segs: list[Seg] = [("CLM", clm)]
    for d in c.dates:
        segs.append(_dtp(d.kind, d.start, d.end))
    segs.extend(_pwk(a) for a in c.attachments)
    if c.patient_paid is not None:
        segs.append(("AMT", ["F5", _amt(c.patient_paid)]))
    segs.extend(_ref(r) for r in c.references)
    if c.note is not None:
        segs.append(("NTE", [c.note.code, c.note.text]))
    if c.ambulance is not None:
        segs.append(_cr1(c.ambulance))
    segs.extend(_crc(x) for x in c.conditions)
    if c.diagnoses:
        segs.append(("HI", _hi(c.diagnoses)))
    if c.anesthesia_procedures:
        segs.append(
            (
                "HI",
                [
                    ("BP" if i == 0 else "BO", code)
                    for i, code in enumerate(c.anesthesia_procedures)
                ],
            )
        )
    codes = c.condition_codes
    for start in range(0, len(codes), 12):
        segs.append(("HI", [("BG", code) for code in codes[start : start + 12]]))
    # typed segments were appended by kind; the guide orders DTP/REF/... by qualifier
    out.extend(_merge("2300", segs, (_unmapped_seg(u) for u in c.unmapped), order=True))
    for pv in c.referring_providers:
        out.extend(_provider_segs("DN", pv, "2310A"))
    if c.rendering_provider is not None:
        out.extend(_provider_segs("82", c.rendering_provider, "2310B"))
    if c.service_facility is not None:
        out.extend(_provider_segs("77", c.service_facility, "2310C"))
    if c.supervising_provider is not None:
        out.extend(_provider_segs("DQ", c.supervising_provider, "2310D"))
    if c.ambulance_pickup is not None:
        seg: list[Seg] = []
        _place("PW", c.ambulance_pickup, seg)
        out.extend(_merge("2310E", seg, (_unmapped_seg(u) for u in c.ambulance_pickup.unmapped)))
    if c.ambulance_dropoff is not None:
        seg = []
        _place("45", c.ambulance_dropoff, seg)
        out.extend(_merge("2310F", seg, (_unmapped_seg(u) for u in c.ambulance_dropoff.unmapped)))
    for op in c.other_payers:
        _other_payer(op, out)
    for n, line in enumerate(c.service_lines, 1):
        _line(n, line, out)


def _hi(diagnoses: Sequence[Diagnosis]) -> list[Element]:
    els: list[Element] = []
    for i, d in enumerate(diagnoses):
        q = "BK" if d.icd9 else "ABK"
        els.append((q if i == 0 else q[:-1] + "F", d.code))
    return els


def _other_payer(op: OtherPayer, out: list[Seg]) -> None:
    s = op.subscriber
    segs: list[Seg] = [_sbr(s, _o(s.relationship))]
    segs.extend(_cas(op.adjustments))
    if op.paid is not None:
        segs.append(("AMT", ["D", _amt(op.paid)]))
    if op.non_covered is not None:
        segs.append(("AMT", ["A8", _amt(op.non_covered)]))
    if op.remaining_liability is not None:
        segs.append(("AMT", ["EAF", _amt(op.remaining_liability)]))
    segs.append(
        (
            "OI",
            [
                "",
                "",
                op.benefits_assigned,
                _o(op.patient_signature_source),
                "",
                op.release_of_information,
            ],
        )
    )
    out.extend(_merge("2320", segs, (_unmapped_seg(u) for u in op.unmapped)))
    out.extend(
        _person_segs(
            "IL", "2330A", s, s.id_qualifier, s.member_id, [_unmapped_seg(u) for u in s.unmapped]
        )
    )
    extra: list[Seg] = []
    if op.adjudication_date is not None:
        extra.append(_dtp("573", op.adjudication_date))
    payer_segs = _payer_segs("PR", "2330B", op.payer, extra)
    payer_segs.extend(_ref(r) for r in op.payer_references)
    out.extend(_merge("2330B", payer_segs, (), order=True))
    for pv in op.referring_providers:
        out.extend(_provider_segs("DN", pv, "2330C"))
    for code, loop_id, pv2 in (
        ("82", "2330D", op.rendering_provider),
        ("77", "2330E", op.service_facility),
        ("DQ", "2330F", op.supervising_provider),
        ("85", "2330G", op.billing_provider),
    ):
        if pv2 is not None:
            out.extend(_provider_segs(code, pv2, loop_id))


def _line(n: int, ln: ServiceLine, out: list[Seg]) -> None:
    proc: tuple[str, ...] = (ln.procedure_qualifier, ln.procedure, *ln.modifiers)
    if ln.description:
        proc = proc + ("",) * (6 - len(proc)) + (ln.description,)
    sv1: list[Element] = [
        proc if len(proc) > 1 else proc[0],
        _amt(ln.charge),
        ln.unit_type,
        _amt(ln.units),
        _o(ln.place_of_service),
        "",
        tuple(str(p) for p in ln.diagnosis_pointers),
        "",
        "Y" if ln.emergency else "",
        "",
        "Y" if ln.epsdt else "",
        "Y" if ln.family_planning else "",
        "",
        "",
        "0" if ln.copay_exempt else "",
    ]
    segs: list[Seg] = [("LX", [str(n)]), ("SV1", sv1)]
    segs.extend(_pwk(a) for a in ln.attachments)
    if ln.ambulance is not None:
        segs.append(_cr1(ln.ambulance))
    if ln.dme_certification is not None:
        segs.append(
            (
                "CR3",
                [
                    ln.dme_certification.certification_type,
                    "MO",
                    _amt(ln.dme_certification.duration_months),
                ],
            )
        )
    segs.extend(_crc(x) for x in ln.conditions)
    segs.append(_dtp("472", ln.service_date, ln.service_date_end))
    segs.extend(_dtp(d.kind, d.start, d.end) for d in ln.dates)
    if ln.control_number:
        segs.append(("REF", ["6R", ln.control_number]))
    segs.extend(_ref(r) for r in ln.references)
    if ln.sales_tax is not None:
        segs.append(("AMT", ["T", _amt(ln.sales_tax)]))
    if ln.postage is not None:
        segs.append(("AMT", ["F4", _amt(ln.postage)]))
    if ln.note is not None:
        segs.append(("NTE", [ln.note.code, ln.note.text]))
    if ln.third_party_note is not None:
        segs.append(("NTE", ["TPO", ln.third_party_note]))
    out.extend(_merge("2400", segs, (_unmapped_seg(u) for u in ln.unmapped), order=True))
    if ln.drug is not None:
        dr = ln.drug
        dsegs: list[Seg] = [
            ("LIN", ["", dr.id_qualifier, dr.ndc]),
            ("CTP", ["", "", "", _amt(dr.quantity), dr.unit]),
        ]
        if dr.prescription is not None:
            dsegs.append(_ref(dr.prescription))
        out.extend(_merge("2410", dsegs, (_unmapped_seg(u) for u in dr.unmapped)))
    if ln.rendering_provider is not None:
        out.extend(_provider_segs("82", ln.rendering_provider, "2420A"))
    if ln.purchased_service_provider is not None:
        out.extend(_provider_segs("QB", ln.purchased_service_provider, "2420B"))
    if ln.service_facility is not None:
        out.extend(_provider_segs("77", ln.service_facility, "2420C"))
    if ln.supervising_provider is not None:
        out.extend(_provider_segs("DQ", ln.supervising_provider, "2420D"))
    if ln.ordering_provider is not None:
        out.extend(_provider_segs("DK", ln.ordering_provider, "2420E"))
    for pv in ln.referring_providers:
        out.extend(_provider_segs("DN", pv, "2420F"))
    for code, loop_id, place in (
        ("PW", "2420G", ln.ambulance_pickup),
        ("45", "2420H", ln.ambulance_dropoff),
    ):
        if place is not None:
            seg: list[Seg] = []
            _place(code, place, seg)
            out.extend(_merge(loop_id, seg, (_unmapped_seg(u) for u in place.unmapped)))
    for adj in ln.adjudications:
        proc2: tuple[str, ...] = (adj.procedure_qualifier, adj.procedure, *adj.modifiers)
        if adj.description:
            proc2 = proc2 + ("",) * (6 - len(proc2)) + (adj.description,)
        asegs: list[Seg] = [
            (
                "SVD",
                [adj.payer_id, _amt(adj.paid), proc2, "", _amt(adj.units), _o(adj.bundled_line)],
            )
        ]
        asegs.extend(_cas(adj.adjustments))
        asegs.append(_dtp("573", adj.paid_date))
        if adj.remaining_liability is not None:
            asegs.append(("AMT", ["EAF", _amt(adj.remaining_liability)]))
        out.extend(_merge("2430", asegs, (_unmapped_seg(u) for u in adj.unmapped)))
    for form in ln.forms:
        fsegs: list[Seg] = [("LQ", [form.qualifier, form.form_id])]
        fsegs.extend(("FRM", list(a)) for a in form.answers)
        out.extend(_merge("2440", fsegs, (_unmapped_seg(u) for u in form.unmapped)))


# --------------------------------------------------------------------------- grouping
def group_claims(claims: Iterable[Claim]) -> list[Claim]:
    """The claims in the order the writer writes them (and a reader reads them back).

    Grouped by billing provider (with pay-to address and plan), then subscriber and payer,
    then patient, each group in order of first appearance; within a subscriber, the
    subscriber's own claims come before those of dependents.
    """
    return [c for _, subs in _grouped(list(claims)) for _, pts in subs for _, cs in pts for c in cs]


_Groups = list[tuple[Claim, list[tuple[Claim, list[tuple[Patient | None, list[Claim]]]]]]]


def _grouped(claims: list[Claim]) -> _Groups:
    top: dict[Any, tuple[Claim, dict[Any, tuple[Claim, dict[Any, list[Claim]]]]]] = {}
    for c in claims:
        k1 = (c.billing_provider, c.pay_to_address, c.pay_to_plan)
        g1 = top.get(k1)
        if g1 is None:
            g1 = top[k1] = (c, {})
        k2 = (c.subscriber, c.payer, c.patient is None)
        g2 = g1[1].get(k2)
        if g2 is None:
            g2 = g1[1][k2] = (c, {})
        g2[1].setdefault(c.patient, []).append(c)
    return [
        (first, [(sfirst, list(pts.items())) for sfirst, pts in subs.values()])
        for first, subs in top.values()
    ]


# --------------------------------------------------------------------------- transaction
def transaction_segments(
    submission: Submission, *, timestamp: _dt.datetime | None = None, check: bool = True
) -> tuple[list[Seg], list[tuple[str, str]]]:
    """The body segments (BHT .. last claim; no ST/SE) and the problems found.

    ``check=False`` skips the guide's business checks (sums, pointers, required parties,
    max use) but never the delimiter checks: what a lenient reader kept from a deviating
    file is written back as it was read.
    """
    p = _Problems()
    when = timestamp or _dt.datetime.now()
    claims = list(submission.claims)
    if not claims:
        p.add("claims", "at least one claim is needed")
    if check:
        for i, c in enumerate(claims):
            _check_claim(c, f"claims[{i}]", p)
    sub = submission.submitter
    if check and not sub.contacts:
        p.add("submitter.contacts", "at least one contact is required (1000A PER)")
    _CHECK.problems = p.items if check else None
    _CHECK.path = "submission"
    _CHECK.marks = [(0, "submission")]
    try:
        out = _body(submission, claims, when, p)
    finally:
        _CHECK.problems = None
    return out, p.items


def _mark(out: list[Seg], path: str) -> None:
    _CHECK.path = path
    _CHECK.marks.append((len(out), path))


def _body(
    submission: Submission, claims: list[Claim], when: _dt.datetime, p: _Problems
) -> list[Seg]:
    sub = submission.submitter
    out: list[Seg] = []
    bht: Seg = (
        "BHT",
        [
            submission.structure,
            submission.purpose,
            submission.reference,
            _date(submission.created) if submission.created else _date(when.date()),
            submission.created_time
            if submission.created_time is not None
            else f"{when.hour:02d}{when.minute:02d}",
            submission.transaction_type,
        ],
    )
    out.extend(_merge("HEADER", [bht], (_unmapped_seg(u) for u in submission.unmapped)))
    _mark(out, "submitter")
    s1: list[Seg] = [
        _nm1("41", sub.entity_type, sub.name, sub.first_name, sub.middle_name, None, "46", sub.id)
    ]
    s1.extend(_per(c) for c in sub.contacts)
    out.extend(_merge("1000A", s1, (_unmapped_seg(u) for u in sub.unmapped)))
    _mark(out, "receiver")
    rc: Receiver = submission.receiver
    out.extend(
        _merge(
            "1000B",
            [_nm1("40", "2", rc.name, None, None, None, "46", rc.id)],
            (_unmapped_seg(u) for u in rc.unmapped),
        )
    )
    if p.items:
        return out
    index = {id(c): i for i, c in reversed(list(enumerate(claims)))}
    per_level = _max_use("2300") or 100
    hl = 0
    for first, subs in _grouped(claims):
        hl += 1
        top = hl
        _mark(out, f"claims[{index[id(first)]}].billing_provider")
        _billing(first, top, True, out)
        for sfirst, pts in subs:
            spath = f"claims[{index[id(sfirst)]}].subscriber"
            own = [cs for pt, cs in pts if pt is None]
            if own:
                cs = own[0]
                for start in range(0, len(cs), per_level):
                    hl += 1
                    _mark(out, spath)
                    _subscriber(sfirst, hl, top, False, out)
                    for c in cs[start : start + per_level]:
                        _mark(out, f"claims[{index[id(c)]}]")
                        _claim(c, out)
            deps = [(pt, cs) for pt, cs in pts if pt is not None]
            if deps:
                hl += 1
                parent = hl
                _mark(out, spath)
                _subscriber(sfirst, parent, top, True, out)
                for pt, cs in deps:
                    assert pt is not None
                    for start in range(0, len(cs), per_level):
                        hl += 1
                        _mark(out, f"claims[{index[id(cs[0])]}].patient")
                        _patient(pt, hl, parent, out)
                        for c in cs[start : start + per_level]:
                            _mark(out, f"claims[{index[id(c)]}]")
                            _claim(c, out)
    return out


_SEG_INDEX = re.compile(r"segments\[(\d+)\]")


def dumps_submissions(
    submissions: Sequence[Submission],
    *,
    sender_id: str | None = None,
    receiver_id: str | None = None,
    usage: str = "T",
    delimiters: Delimiters | None = None,
    control_numbers: ControlNumbers | None = None,
    timestamp: _dt.datetime | None = None,
    options: InterchangeOptions | None = None,
    check: bool = True,
) -> str:
    """One interchange with one ST..SE per submission (all in one functional group)."""
    when = timestamp or (options.timestamp if options else None) or _dt.datetime.now()
    enabled = gc.isenabled()
    gc.disable()  # many small acyclic objects: the cyclic collector would only rescan them
    try:
        return _dumps(
            submissions,
            sender_id,
            receiver_id,
            usage,
            delimiters,
            control_numbers,
            when,
            options,
            check,
        )
    finally:
        if enabled:
            gc.enable()


def _dumps(
    submissions: Sequence[Submission],
    sender_id: str | None,
    receiver_id: str | None,
    usage: str,
    delimiters: Delimiters | None,
    control_numbers: ControlNumbers | None,
    when: _dt.datetime,
    options: InterchangeOptions | None,
    check: bool,
) -> str:
    problems: list[tuple[str, str]] = []
    txs: list[TransactionSpec] = []
    marks: list[list[tuple[int, str]]] = []
    for k, sm in enumerate(submissions):
        segs, probs = transaction_segments(sm, timestamp=when, check=check)
        marks.append(_CHECK.marks)
        _CHECK.marks = []
        prefix = f"submissions[{k}]." if len(submissions) > 1 else ""
        problems.extend((prefix + path, msg) for path, msg in probs)
        txs.append(TransactionSpec("837", sm.implementation, segs))
    if problems:
        raise X12WriteError(problems)
    if not submissions:
        raise X12WriteError([("submissions", "at least one submission is needed")])
    first = submissions[0]
    if options is None:
        kw: dict[str, Any] = {
            "sender_id": sender_id or first.submitter.id,
            "receiver_id": receiver_id or first.receiver.id,
            "usage": usage,
            "timestamp": when,
        }
        if delimiters is not None:
            kw["delimiters"] = delimiters
        options = InterchangeOptions(**kw)
    version = first.implementation
    try:
        return write_interchange([GroupSpec("HC", version, txs)], options, control_numbers)
    except X12WriteError as exc:
        raise X12WriteError(
            [(_field_path(path, marks), msg) for path, msg in exc.problems]
        ) from None


_TX_INDEX = re.compile(r"transactions\[(\d+)\]")


def _field_path(path: str, marks: list[list[tuple[int, str]]]) -> str:
    """``groups[0].transactions[0].segments[57] (NM103)`` -> ``claims[3] (NM103)``."""
    m = _SEG_INDEX.search(path)
    t = _TX_INDEX.search(path)
    if not m or not t or int(t.group(1)) >= len(marks):
        return path
    index = int(m.group(1))
    tx_marks = marks[int(t.group(1))]
    k = bisect.bisect_right([start for start, _ in tx_marks], index) - 1
    where = tx_marks[k][1] if k >= 0 else "submission"
    prefix = f"submissions[{t.group(1)}]." if len(marks) > 1 else ""
    return f"{prefix}{where}{path[m.end() :]}"


def dumps(
    claims: Iterable[Claim],
    *,
    submitter: Submitter,
    receiver: Receiver,
    sender_id: str | None = None,
    receiver_id: str | None = None,
    usage: str = "T",
    delimiters: Delimiters | None = None,
    control_numbers: ControlNumbers | None = None,
    timestamp: _dt.datetime | None = None,
    reference: str = "0001",
    options: InterchangeOptions | None = None,
) -> str:
    """One 837P interchange (ISA .. IEA, one ST) holding ``claims``.

    ``sender_id``/``receiver_id`` (ISA06/ISA08, GS02/GS03) default to the submitter's and
    receiver's ids; ``usage`` is ISA15 (T test, P production). Raises
    :class:`~x12.errors.X12WriteError` listing every problem by field path; nothing is
    returned then.
    """
    claim_list = list(claims)
    sm = Submission(submitter, receiver, tuple(claim_list), reference=reference)
    return dumps_submissions(
        [sm],
        sender_id=sender_id,
        receiver_id=receiver_id,
        usage=usage,
        delimiters=delimiters,
        control_numbers=control_numbers,
        timestamp=timestamp,
        options=options,
    )


def dump(claims: Iterable[Claim], fp: IO[str], **kwargs: Any) -> None:
    """:func:`dumps` to a text file object (nothing is written when refused)."""
    fp.write(dumps(claims, **kwargs))


# keep referenced for type checkers and readers of this module
_ = (EventDate,)
