"""The 837D writer: dental claims (models) -> segments -> one interchange (005010X224A2).

Claims are grouped into the guide's HL hierarchy (2000A billing provider -> 2000B subscriber
-> 2000C patient when the patient is not the subscriber). Each loop's segments are written in
the order of the guide table :mod:`edi837.guide_x224a2`; segments a reader kept without
modelling them (``unmapped``) go back to their guide position (or, when the loop has no place
for them, after the loop's own segments: an other payer's assistant surgeon, 2330H).

Everything is checked before a byte is written and :class:`x12.errors.X12WriteError` lists
every problem by field path (``claims[3].service_lines[0].teeth[1].number``): CLM02 equals the
sum of SV302, CDT procedure codes (D and 4 digits), tooth numbers (1-32, A-T, supernumerary
51-82 and AS-TS) and surfaces (M, O, D, B, L, F, I), oral cavity and prosthesis codes, a prior
placement date for a replacement prosthesis, diagnosis pointers, a service date for a claim
that is not a predetermination, and every typed segment against the table (required elements,
code values, lengths).
"""

from __future__ import annotations

import datetime as _dt
import gc
from collections.abc import Iterable, Sequence
from typing import IO, Any

from edi837.engine import (
    address as _address,
)
from edi837.engine import (
    amt as _amt,
)
from edi837.engine import (
    cas as _cas,
)
from edi837.engine import (
    date8 as _date,
)
from edi837.engine import (
    dtp as _dtp,
)
from edi837.engine import (
    field_path as _field_path,
)
from edi837.engine import (
    nm1 as _nm1,
)
from edi837.engine import (
    opt as _o,
)
from edi837.engine import (
    per as _per,
)
from edi837.engine import (
    pwk as _pwk,
)
from edi837.engine import (
    ref as _ref,
)
from edi837.engine import (
    sbr as _sbr,
)
from edi837.engine import (
    unmapped_seg as _unmapped_seg,
)
from edi837.guide_x224a2 import GUIDE
from models.claim import (
    Diagnosis,
    OtherPayer,
    Patient,
    Payer,
    Provider,
    Receiver,
    Submitter,
    Subscriber,
)
from models.codesets import is_cdt
from models.common import UnmappedSegment
from models.dental import (
    DentalClaim,
    DentalServiceLine,
    DentalSubmission,
    OralCavity,
    Prosthesis,
    ToothStatusCode,
    is_tooth_number,
    is_tooth_surface,
)
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

__all__ = ["IMPLEMENTATION", "dump_dental", "dumps_dental", "dumps_dental_submissions"]

IMPLEMENTATION = "005010X224A2"

Element = Any  # str | tuple[str, ...] | list[str | tuple[str, ...]]
Seg = tuple[str, list[Element]]


# --------------------------------------------------------------------------- guide order
class _LoopTable:
    """A loop's own segments: rank by (id, qualifier), qualifier positions, specs."""

    def __init__(self, spec: LoopSpec) -> None:
        self.spec = spec
        self.rank: dict[tuple[str, str | None], int] = {}
        self.by_id: dict[str, int] = {}
        self.qual: dict[str, tuple[int, int]] = {}
        self.specs: dict[int, SegmentSpec] = {}
        for i, child in enumerate(spec.children):
            if isinstance(child, LoopSpec):
                continue
            self.specs[i] = child
            self.by_id.setdefault(child.id, i)
            if child.qualifier is not None:
                self.qual[child.id] = child.qualifier
                for code in child.qualifier_codes:
                    self.rank.setdefault((child.id, code), i)
            else:
                self.rank.setdefault((child.id, None), i)

    def index(self, seg: Seg) -> int | None:
        """The child index of ``seg`` in the loop, or None when the loop has no place for it."""
        sid = seg[0]
        pos = self.qual.get(sid)
        if pos is not None:
            return self.rank.get((sid, _value_at(seg[1], pos)))
        return self.rank.get((sid, None))


_TABLES = {loop.id: _LoopTable(loop) for loop in GUIDE.root.walk()}
_LAST = 1_000_000


def _value_at(elements: Sequence[Element], position: tuple[int, int]) -> str | None:
    e, c = position
    if e - 1 >= len(elements):
        return None
    v = elements[e - 1]
    if isinstance(v, list):
        v = v[0] if v else ""
    if isinstance(v, tuple):
        k = c - 1 if c else 0
        return v[k] if k < len(v) else ""
    return v if isinstance(v, str) else None


class _Writer:
    """Collects segments, the field path each segment belongs to, and problems."""

    def __init__(self, check: bool) -> None:
        self.out: list[Seg] = []
        self.check = check
        self.problems: list[tuple[str, str]] = []
        self.marks: list[tuple[int, str]] = [(0, "submission")]
        self.path = "submission"

    def mark(self, path: str) -> None:
        self.path = path
        self.marks.append((len(self.out), path))

    def problem(self, path: str, message: str) -> None:
        self.problems.append((path, message))

    def loop(self, loop_id: str, segs: list[Seg], unmapped: Iterable[UnmappedSegment]) -> None:
        """Write a loop: typed segments checked and ordered, kept ones at their place.

        A kept segment where the guide allows only one (a CLM or SV3 the reader could not
        model faithfully) replaces the typed one the model would give.
        """
        table = _TABLES[loop_id]
        kept: list[tuple[int, Seg]] = []
        taken: set[int] = set()
        for u in unmapped:
            seg = _unmapped_seg(u)
            i = table.index(seg)
            if i is None:
                i = table.by_id.get(seg[0], _LAST)
            elif table.specs[i].max_use == 1:
                taken.add(i)
            kept.append((i, seg))
        ranked: list[tuple[int, Seg]] = []
        for seg in segs:
            i = table.index(seg)
            if i is None:
                if self.check:
                    self.problem(self.path, f"{seg[0]} has no place in loop {loop_id}")
                i = _LAST
            elif i in taken:
                continue
            elif self.check:
                self._check(table.specs[i], seg)
            ranked.append((i, seg))
        ranked.extend(kept)
        ranked.sort(key=lambda pair: pair[0])  # stable: typed first within a rank
        self.out.extend(seg for _, seg in ranked)

    def _check(self, spec: SegmentSpec, seg: Seg) -> None:
        values = seg[1]
        for n, es in enumerate(spec.elements, 1):
            v = values[n - 1] if n - 1 < len(values) else ""
            if es.components:
                comps = v if isinstance(v, tuple) else ((v,) if v else ())
                if not comps:
                    if es.usage == "R":
                        self._bad(spec, es, "is required")
                    continue
                for k, cs in enumerate(es.components):
                    self._value(spec, cs, comps[k] if k < len(comps) else "")
                continue
            self._value(spec, es, v if isinstance(v, str) else "")

    def _value(self, spec: SegmentSpec, es: ElementSpec, v: str) -> None:
        if not v:
            if es.usage == "R":
                self._bad(spec, es, "is required")
            return
        if es.usage == "N":
            self._bad(spec, es, "is not used by this guide")
        elif es.codes and es.data_type == "ID" and v not in es.codes:
            self._bad(spec, es, "is not one of the guide's codes")
        elif es.max_len and len(v) > es.max_len and es.data_type not in ("R", "N0", "N2"):
            self._bad(spec, es, f"is longer than {es.max_len} characters")

    def _bad(self, spec: SegmentSpec, es: ElementSpec, message: str) -> None:
        self.problem(f"{self.path} ({es.ref})", f"{spec.name}: {es.ref} {message}")


# --------------------------------------------------------------------------- elements
def _comp(*parts: str) -> Element:
    """A composite with trailing empty components cut (a lone value stays simple)."""
    items = list(parts)
    while items and not items[-1]:
        items.pop()
    if not items:
        return ""
    return items[0] if len(items) == 1 else tuple(items)


def _hi(diagnoses: Sequence[Diagnosis]) -> list[Element]:
    els: list[Element] = []
    for i, d in enumerate(diagnoses):
        q = "BK" if d.icd9 else "ABK"
        els.append((q if i == 0 else q[:-1] + "F", d.code))
    return els


# --------------------------------------------------------------------------- parties
_PRV_CODE = {"2310A": "RF", "2310D": "AS", "2420B": "AS"}


def _provider(w: _Writer, code: str, pv: Provider, loop_id: str) -> None:
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
        out.append(("PRV", [_PRV_CODE.get(loop_id, "PE"), "PXC", pv.taxonomy]))
    _address(pv.address, out)
    if pv.tax_id:
        out.append(("REF", [pv.tax_id_type, pv.tax_id]))
    out.extend(_ref(r) for r in pv.secondary_ids)
    out.extend(_per(c) for c in pv.contacts)
    w.loop(loop_id, out, pv.unmapped)


def _split(unmapped: Sequence[UnmappedSegment], loop_ids: Sequence[str]) -> list[list[Any]]:
    """Kept segments of an object spanning several loops (2000A + 2010AA) to their loop."""
    out: list[list[Any]] = [[] for _ in loop_ids]
    for u in unmapped:
        seg = _unmapped_seg(u)
        for k, loop_id in enumerate(loop_ids):
            if _TABLES[loop_id].index(seg) is not None:
                out[k].append(u)
                break
        else:
            out[-1].append(u)
    return out


def _billing(w: _Writer, claim: DentalClaim, hl: int) -> None:
    bp = claim.billing_provider
    head_kept, name_kept = _split(bp.unmapped, ("2000A", "2010AA"))
    head: list[Seg] = [("HL", [str(hl), "", "20", "1"])]
    if bp.taxonomy:
        head.append(("PRV", ["BI", "PXC", bp.taxonomy]))
    if bp.currency:
        head.append(("CUR", ["85", bp.currency]))
    w.loop("2000A", head, head_kept)
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
    w.loop("2010AA", name, name_kept)
    if claim.pay_to_address is not None:
        pay: list[Seg] = [("NM1", ["87", "2"])]
        _address(claim.pay_to_address, pay)
        w.loop("2010AB", pay, ())
    if claim.pay_to_plan is not None:
        _payer(w, "PE", "2010AC", claim.pay_to_plan)


def _payer(w: _Writer, code: str, loop_id: str, payer: Payer, extra: Sequence[Seg] = ()) -> None:
    segs: list[Seg] = [_nm1(code, "2", payer.name, None, None, None, payer.id_qualifier, payer.id)]
    _address(payer.address, segs)
    segs.extend(extra)
    segs.extend(_ref(r) for r in payer.secondary_ids)
    w.loop(loop_id, segs, payer.unmapped)


def _person(
    w: _Writer,
    code: str,
    loop_id: str,
    s: Subscriber | Patient,
    id_qual: str | None,
    ident: str | None,
    unmapped: Sequence[UnmappedSegment],
) -> None:
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
    w.loop(loop_id, segs, unmapped)


def _subscriber(w: _Writer, claim: DentalClaim, hl: int, parent: int, child: bool) -> None:
    s = claim.subscriber
    head_kept, name_kept = _split(s.unmapped, ("2000B", "2010BA"))
    rel = s.relationship if s.relationship is not None else ("18" if claim.patient is None else "")
    head: list[Seg] = [("HL", [str(hl), str(parent), "22", "1" if child else "0"]), _sbr(s, rel)]
    w.loop("2000B", head, head_kept)
    _person(w, "IL", "2010BA", s, s.id_qualifier, s.member_id, name_kept)
    _payer(w, "PR", "2010BB", claim.payer)


def _patient(w: _Writer, pt: Patient, hl: int, parent: int) -> None:
    head_kept, name_kept = _split(pt.unmapped, ("2000C", "2010CA"))
    head: list[Seg] = [("HL", [str(hl), str(parent), "23", "0"]), ("PAT", [pt.relationship])]
    w.loop("2000C", head, head_kept)
    _person(w, "QC", "2010CA", pt, None, None, name_kept)


# --------------------------------------------------------------------------- claim
def _claim(w: _Writer, c: DentalClaim) -> None:
    causes: Element = ""
    if c.related_causes or c.accident_state or c.accident_country:
        rc = [*c.related_causes, "", ""]
        causes = _comp(rc[0], rc[1], "", _o(c.accident_state), _o(c.accident_country))
    clm: list[Element] = [
        c.id,
        _amt(c.charge),
        "",
        "",
        (c.place_of_service, "B", c.frequency),
        "Y" if c.provider_signature else "N",
        c.assignment,
        c.benefits_assigned,
        c.release_of_information,
        "",
        causes,
        _o(c.special_program),
    ]
    if c.predetermination or c.delay_reason:
        clm += ["", "", "", "", "", "", "PB" if c.predetermination else "", _o(c.delay_reason)]
    segs: list[Seg] = [("CLM", clm)]
    segs.extend(_dtp(d.kind, d.start, d.end) for d in c.dates)
    if c.orthodontics is not None:
        o = c.orthodontics
        segs.append(
            (
                "DN1",
                [
                    _amt(o.total_months) if o.total_months is not None else "",
                    _amt(o.remaining_months) if o.remaining_months is not None else "",
                    _o(o.response),
                    _o(o.description),
                ],
            )
        )
    for t in c.tooth_status:
        segs.append(("DN2", [t.tooth, t.status, "", "", "", _o(t.code_list)]))
    segs.extend(_pwk(a) for a in c.attachments)
    if c.patient_paid is not None:
        segs.append(("AMT", ["F5", _amt(c.patient_paid)]))
    segs.extend(_ref(r) for r in c.references)
    if c.note is not None:
        segs.append(("NTE", [c.note.code, c.note.text]))
    if c.diagnoses:
        segs.append(("HI", _hi(c.diagnoses)))
    w.loop("2300", segs, c.unmapped)
    base = w.path
    for k, pv in enumerate(c.referring_providers):
        w.mark(f"{base}.referring_providers[{k}]")
        _provider(w, "DN", pv, "2310A")
    for code, loop_id, attr in (
        ("82", "2310B", "rendering_provider"),
        ("77", "2310C", "service_facility"),
        ("DD", "2310D", "assistant_surgeon"),
        ("DQ", "2310E", "supervising_provider"),
    ):
        pv2 = getattr(c, attr)
        if pv2 is not None:
            w.mark(f"{base}.{attr}")
            _provider(w, code, pv2, loop_id)
    for k, op in enumerate(c.other_payers):
        w.mark(f"{base}.other_payers[{k}]")
        _other_payer(w, op)
    for n, line in enumerate(c.service_lines, 1):
        w.mark(f"{base}.service_lines[{n - 1}]")
        _line(w, n, line)


def _other_payer(w: _Writer, op: OtherPayer) -> None:
    s = op.subscriber
    base = w.path
    segs: list[Seg] = [_sbr(s, _o(s.relationship))]
    segs.extend(_cas(op.adjustments))
    for code, value in (("D", op.paid), ("A8", op.non_covered), ("EAF", op.remaining_liability)):
        if value is not None:
            segs.append(("AMT", [code, _amt(value)]))
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
    own = [u for u in op.unmapped if _TABLES["2320"].index(_unmapped_seg(u)) is not None]
    tail = [u for u in op.unmapped if _TABLES["2320"].index(_unmapped_seg(u)) is None]
    w.loop("2320", segs, own)
    w.mark(f"{base}.subscriber")
    _person(w, "IL", "2330A", s, s.id_qualifier, s.member_id, s.unmapped)
    w.mark(f"{base}.payer")
    extra: list[Seg] = []
    if op.adjudication_date is not None:
        extra.append(_dtp("573", op.adjudication_date))
    extra.extend(_ref(r) for r in op.payer_references)
    _payer(w, "PR", "2330B", op.payer, extra)
    for k, pv in enumerate(op.referring_providers):
        w.mark(f"{base}.referring_providers[{k}]")
        _provider(w, "DN", pv, "2330C")
    for code, loop_id, attr in (
        ("82", "2330D", "rendering_provider"),
        ("DQ", "2330E", "supervising_provider"),
        ("85", "2330F", "billing_provider"),
        ("77", "2330G", "service_facility"),
    ):
        pv2 = getattr(op, attr)
        if pv2 is not None:
            w.mark(f"{base}.{attr}")
            _provider(w, code, pv2, loop_id)
    if tail:  # 2330H (other payer's assistant surgeon) and anything else kept after the loops
        w.mark(f"{base}.unmapped")
        w.out.extend(_unmapped_seg(u) for u in tail)


def _line(w: _Writer, n: int, ln: DentalServiceLine) -> None:
    base = w.path
    mods = (*ln.modifiers, "", "", "", "")[:4]
    proc = _comp("AD", ln.procedure, *mods, _o(ln.description))
    sv3: list[Element] = [
        proc,
        _amt(ln.charge),
        _o(ln.place_of_service),
        _comp(*ln.oral_cavity),
        _o(ln.prosthesis),
        _amt(ln.quantity) if ln.quantity is not None else "",
        "",
        "",
        "",
        "",
        _comp(*(str(p) for p in ln.diagnosis_pointers)),
    ]
    segs: list[Seg] = [("LX", [str(n)]), ("SV3", sv3)]
    for t in ln.teeth:
        segs.append(("TOO", [t.code_list, t.number, _comp(*t.surfaces)]))
    if ln.service_date is not None:
        segs.append(_dtp("472", ln.service_date, ln.service_date_end))
    for code, value in (
        ("441", ln.prior_placement),
        ("452", ln.appliance_placement),
        ("446", ln.replacement),
        ("196", ln.treatment_start),
        ("198", ln.treatment_completion),
    ):
        if value is not None:
            segs.append(_dtp(code, value))
    if ln.control_number:
        segs.append(("REF", ["6R", ln.control_number]))
    segs.extend(_ref(r) for r in ln.references)
    if ln.sales_tax is not None:
        segs.append(("AMT", ["T", _amt(ln.sales_tax)]))
    if ln.note is not None:
        segs.append(("NTE", [ln.note.code, ln.note.text]))
    w.loop("2400", segs, ln.unmapped)
    for code, loop_id, attr in (
        ("82", "2420A", "rendering_provider"),
        ("DD", "2420B", "assistant_surgeon"),
        ("DQ", "2420C", "supervising_provider"),
        ("77", "2420D", "service_facility"),
    ):
        pv = getattr(ln, attr)
        if pv is not None:
            w.mark(f"{base}.{attr}")
            _provider(w, code, pv, loop_id)
    for k, adj in enumerate(ln.adjudications):
        w.mark(f"{base}.adjudications[{k}]")
        amods = (*adj.modifiers, "", "", "", "")[:4]
        aproc = _comp(adj.procedure_qualifier, adj.procedure, *amods, _o(adj.description))
        asegs: list[Seg] = [
            (
                "SVD",
                [adj.payer_id, _amt(adj.paid), aproc, "", _amt(adj.units), _o(adj.bundled_line)],
            )
        ]
        asegs.extend(_cas(adj.adjustments))
        asegs.append(_dtp("573", adj.paid_date))
        if adj.remaining_liability is not None:
            asegs.append(("AMT", ["EAF", _amt(adj.remaining_liability)]))
        w.loop("2430", asegs, adj.unmapped)


# --------------------------------------------------------------------------- checks
_CAVITIES = frozenset(c.value for c in OralCavity)
_PROSTHESES = frozenset(p.value for p in Prosthesis)
_STATUSES = frozenset(s.value for s in ToothStatusCode)


def _check_claim(c: DentalClaim, path: str, w: _Writer) -> None:
    p = w.problem
    lines = c.service_lines
    if not lines:
        p(f"{path}.service_lines", "at least one service line is required (2400)")
    elif len(lines) > 50:
        p(f"{path}.service_lines", "at most 50 service lines per claim (2400)")
    if lines and c.charge != c.line_total:
        p(f"{path}.charge", "CLM02 must equal the sum of the lines' charges (SV302)")
    if c.billing_provider.name is None:
        p(f"{path}.billing_provider.name", "the billing provider's name is required (NM103)")
    if c.billing_provider.address is None:
        p(f"{path}.billing_provider.address", "the billing provider's address is required")
    if c.patient is not None:
        if c.patient.address is None:
            p(f"{path}.patient.address", "the patient's address is required (2010CA N3/N4)")
        if c.patient.birth_date is None:
            p(f"{path}.patient.birth_date", "the patient's birth date is required (2010CA DMG)")
    for k, t in enumerate(c.tooth_status):
        if not is_tooth_number(t.tooth):
            p(f"{path}.tooth_status[{k}].tooth", "not a tooth number (1-32, A-T, 51-82, AS-TS)")
        if t.status not in _STATUSES:
            p(f"{path}.tooth_status[{k}].status", "tooth status is E, I or M (DN202)")
    claim_date = any(d.kind == "472" for d in c.dates)
    for j, ln in enumerate(lines):
        lp = f"{path}.service_lines[{j}]"
        if not is_cdt(ln.procedure):
            p(f"{lp}.procedure", "not a CDT code (D and 4 digits, SV301-2)")
        for k, code in enumerate(ln.oral_cavity):
            if code not in _CAVITIES:
                p(f"{lp}.oral_cavity[{k}]", "not an oral cavity designation code (SV304)")
        if ln.prosthesis is not None and ln.prosthesis not in _PROSTHESES:
            p(f"{lp}.prosthesis", "prosthesis code is I (initial) or R (replacement) (SV305)")
        if ln.prosthesis == Prosthesis.REPLACEMENT and ln.prior_placement is None:
            p(f"{lp}.prior_placement", "a replacement (SV305 = R) needs the prior placement date")
        for k, ptr in enumerate(ln.diagnosis_pointers):
            if ptr > len(c.diagnoses):
                p(f"{lp}.diagnosis_pointers[{k}]", "points past the claim's diagnoses (SV311)")
        for k, tooth in enumerate(ln.teeth):
            if not is_tooth_number(tooth.number):
                p(f"{lp}.teeth[{k}].number", "not a tooth number (1-32, A-T, 51-82, AS-TS)")
            for m, s in enumerate(tooth.surfaces):
                if not is_tooth_surface(s):
                    p(f"{lp}.teeth[{k}].surfaces[{m}]", "surface is one of M, O, D, B, L, F, I")
        if ln.service_date is None and not claim_date and not c.predetermination:
            p(f"{lp}.service_date", "a service date is required (DTP*472) unless predetermination")


# --------------------------------------------------------------------------- grouping
_Groups = list[
    tuple[DentalClaim, list[tuple[DentalClaim, list[tuple[Patient | None, list[DentalClaim]]]]]]
]


def _grouped(claims: list[DentalClaim]) -> _Groups:
    top: dict[Any, tuple[DentalClaim, dict[Any, tuple[DentalClaim, dict[Any, list[Any]]]]]] = {}
    for c in claims:
        g1 = top.setdefault((c.billing_provider, c.pay_to_address, c.pay_to_plan), (c, {}))
        g2 = g1[1].setdefault((c.subscriber, c.payer, c.patient is None), (c, {}))
        g2[1].setdefault(c.patient, []).append(c)
    return [
        (first, [(sfirst, list(pts.items())) for sfirst, pts in subs.values()])
        for first, subs in top.values()
    ]


def group_dental_claims(claims: Iterable[DentalClaim]) -> list[DentalClaim]:
    """The claims in the order the writer writes them (and a reader reads them back)."""
    return [c for _, subs in _grouped(list(claims)) for _, pts in subs for _, cs in pts for c in cs]


def _body(sm: DentalSubmission, when: _dt.datetime, w: _Writer) -> None:
    claims = list(sm.claims)
    if not claims:
        w.problem("claims", "at least one claim is needed")
    if w.check:
        for i, c in enumerate(claims):
            _check_claim(c, f"claims[{i}]", w)
        if not sm.submitter.contacts:
            w.problem("submitter.contacts", "at least one contact is required (1000A PER)")
    bht: Seg = (
        "BHT",
        [
            sm.structure,
            sm.purpose,
            sm.reference,
            _date(sm.created or when.date()),
            sm.created_time if sm.created_time is not None else f"{when.hour:02d}{when.minute:02d}",
            sm.transaction_type,
        ],
    )
    w.loop("HEADER", [bht], sm.unmapped)
    sub = sm.submitter
    w.mark("submitter")
    s1: list[Seg] = [
        _nm1("41", sub.entity_type, sub.name, sub.first_name, sub.middle_name, None, "46", sub.id)
    ]
    s1.extend(_per(c) for c in sub.contacts)
    w.loop("1000A", s1, sub.unmapped)
    w.mark("receiver")
    rc: Receiver = sm.receiver
    w.loop("1000B", [_nm1("40", "2", rc.name, None, None, None, "46", rc.id)], rc.unmapped)
    if w.problems:
        return
    index = {id(c): i for i, c in reversed(list(enumerate(claims)))}
    per_level = 100
    hl = 0
    for first, subs in _grouped(claims):
        hl += 1
        top = hl
        w.mark(f"claims[{index[id(first)]}].billing_provider")
        _billing(w, first, top)
        for sfirst, pts in subs:
            spath = f"claims[{index[id(sfirst)]}].subscriber"
            own = [cs for pt, cs in pts if pt is None]
            if own:
                cs = own[0]
                for start in range(0, len(cs), per_level):
                    hl += 1
                    w.mark(spath)
                    _subscriber(w, sfirst, hl, top, False)
                    for c in cs[start : start + per_level]:
                        w.mark(f"claims[{index[id(c)]}]")
                        _claim(w, c)
            deps = [(pt, cs) for pt, cs in pts if pt is not None]
            if deps:
                hl += 1
                parent = hl
                w.mark(spath)
                _subscriber(w, sfirst, parent, top, True)
                for pt, cs in deps:
                    assert pt is not None
                    for start in range(0, len(cs), per_level):
                        hl += 1
                        w.mark(f"claims[{index[id(cs[0])]}].patient")
                        _patient(w, pt, hl, parent)
                        for c in cs[start : start + per_level]:
                            w.mark(f"claims[{index[id(c)]}]")
                            _claim(w, c)


# --------------------------------------------------------------------------- public


def dumps_dental_submissions(
    submissions: Sequence[DentalSubmission],
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
    """One 837D interchange with one ST..SE per submission (all in one functional group).

    ``check=False`` skips the business and table checks (never the delimiter checks), so
    what a lenient reader kept from a deviating file is written back as read.
    """
    if not submissions:
        raise X12WriteError([("submissions", "at least one submission is needed")])
    when = timestamp or (options.timestamp if options else None) or _dt.datetime.now()
    enabled = gc.isenabled()
    gc.disable()  # many small acyclic objects: the cyclic collector would only rescan them
    try:
        problems: list[tuple[str, str]] = []
        txs: list[TransactionSpec] = []
        marks: list[list[tuple[int, str]]] = []
        for k, sm in enumerate(submissions):
            w = _Writer(check)
            _body(sm, when, w)
            marks.append(w.marks)
            prefix = f"submissions[{k}]." if len(submissions) > 1 else ""
            problems.extend((prefix + path, msg) for path, msg in w.problems)
            txs.append(TransactionSpec("837", sm.implementation, w.out))
        if problems:
            raise X12WriteError(problems)
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
        try:
            return write_interchange(
                [GroupSpec("HC", first.implementation, txs)], options, control_numbers
            )
        except X12WriteError as exc:
            raise X12WriteError(
                [(_field_path(path, marks), msg) for path, msg in exc.problems]
            ) from None
    finally:
        if enabled:
            gc.enable()


def dumps_dental(
    claims: Iterable[DentalClaim],
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
    """One 837D interchange (ISA .. IEA, one ST) holding ``claims``.

    ``sender_id``/``receiver_id`` (ISA06/ISA08, GS02/GS03) default to the submitter's and
    receiver's ids; ``usage`` is ISA15 (T test, P production). Raises
    :class:`~x12.errors.X12WriteError` listing every problem by field path; nothing is
    returned then.
    """
    sm = DentalSubmission(submitter, receiver, tuple(claims), reference=reference)
    return dumps_dental_submissions(
        [sm],
        sender_id=sender_id,
        receiver_id=receiver_id,
        usage=usage,
        delimiters=delimiters,
        control_numbers=control_numbers,
        timestamp=timestamp,
        options=options,
    )


def dump_dental(claims: Iterable[DentalClaim], fp: IO[str], **kwargs: Any) -> None:
    """:func:`dumps_dental` to a text file object (nothing is written when refused)."""
    fp.write(dumps_dental(claims, **kwargs))
