"""The shared 837 writing engine: what the 837P, 837I and 837D writers have in common.

A writer turns claims (models) into the body segments of one transaction set (``BHT`` ..
last claim, no ``ST``/``SE``); this module gives it, for any guide table (:class:`x12.guide.Guide`
of X222A1, X223A2, X224A2...):

* :class:`GuideTables` -- built once per guide: loop specs and max use, each loop's segment
  order (by id and qualifier), the guide's element rules. :meth:`GuideTables.merge` puts a
  loop's typed segments and the ones a reader kept (``unmapped``) in guide order and checks
  every typed segment against the table (usage R/N, lengths, closed code lists), reporting on
  :attr:`GuideTables.check` with the field path being written.
* segment builders shared by the three guides: :func:`nm1`, :func:`address` (N3/N4),
  :func:`per`, :func:`ref`, :func:`dtp`, :func:`cas`, :func:`pwk`, :func:`crc`, value
  formatters :func:`amt`, :func:`date8`, :func:`opt`.
* the party loops, identical in the three guides: :func:`billing_loops` (2000A, 2010AA/AB/AC),
  :func:`subscriber_loops` (2000B, 2010BA/BB), :func:`patient_loops` (2000C, 2010CA),
  :func:`provider_loop` (any NM1/PRV/N3/N4/REF/PER provider loop), :func:`payer_loop`,
  :func:`person_loop`, :func:`sbr`.
* the HL hierarchy: :func:`grouped` / :func:`group_claims` and :func:`write_hierarchy`
  (numbers, parents, child codes, the 100-claims-per-level split), for any claim class with
  ``billing_provider``, ``pay_to_address``, ``pay_to_plan``, ``subscriber``, ``payer`` and
  ``patient`` attributes.
* :func:`dumps_transactions`: transaction bodies -> one interchange, envelope refusals mapped
  back to field paths.

A guide-specific writer supplies the claim loop (2300 and below) and its business checks.
"""

from __future__ import annotations

import bisect
import datetime as _dt
import gc
import re
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import Any, Protocol

import attrs

from edi837.element_rules import COMPONENT as _COMPONENT
from edi837.element_rules import ELEMENT as _ELEMENT
from edi837.element_rules import (
    SegRules,
    check_elements,
    compile_rules,
    composite_check_text,
    rules_of,
)
from models.claim import (
    Attachment,
    Condition,
    Patient,
    Payer,
    Provider,
    Reference,
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
from x12.guide import Guide, LoopSpec, SegmentSpec
from x12.segment import unsafe_reason

__all__ = [
    "Checking",
    "Element",
    "GuideTables",
    "Problems",
    "Seg",
    "address",
    "amt",
    "billing_loops",
    "cas",
    "check_parties",
    "crc",
    "date8",
    "dtp",
    "dumps_transactions",
    "field_path",
    "group_claims",
    "grouped",
    "nm1",
    "opt",
    "patient_loops",
    "payer_loop",
    "per",
    "person_loop",
    "provider_loop",
    "pwk",
    "ref",
    "sbr",
    "subscriber_loops",
    "transaction_body",
    "unmapped_seg",
    "write_hierarchy",
    "yn",
]

Element = Any  # str | tuple[str, ...] | list[str | tuple[str, ...]]
Seg = tuple[str, list[Element]]


_SEGMENT_ID = re.compile(r"[A-Z][A-Z0-9]{1,2}")
_ENVELOPE = frozenset(("ISA", "IEA", "GS", "GE", "ST", "SE", "TA1"))


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


def label(seg: Seg) -> str:
    """``REF*EI``-style name of a typed segment (its qualifier is a code, never data)."""
    first = seg[1][0] if seg[1] else ""
    return f"{seg[0]}*{first}" if isinstance(first, str) and first else seg[0]


def unmapped_seg(u: UnmappedSegment) -> Seg:
    """A kept segment as the writer's (id, elements)."""
    out: list[Element] = []
    for reps in u.elements:
        items: list[Element] = [comps[0] if len(comps) == 1 else tuple(comps) for comps in reps]
        out.append(items[0] if len(items) == 1 else items)
    return (u.id, out)


class Checking:
    """Where the element checks report while a transaction is written.

    ``problems`` is None when checks are off; ``path`` is the field path of the object being
    written (``claims[3]``); ``marks`` maps the first body segment index of each object to
    its path, so an envelope refusal (``segments[57]``) is named by field path.
    """

    __slots__ = ("forged", "marks", "path", "problems")

    def __init__(self) -> None:
        self.path = ""
        self.problems: list[tuple[str, str]] | None = None
        self.marks: list[tuple[int, str]] = []
        #: kept segments whose id is no segment id (``NTE~NM1``): refused even unchecked
        self.forged: list[tuple[str, str]] = []

    def take_forged(self) -> list[tuple[str, str]]:
        """The forged-id refusals found since the last call (and forget them)."""
        out, self.forged = self.forged, []
        return out

    def mark(self, out: list[Seg], path: str) -> None:
        """The object at ``path`` starts at body segment ``len(out)``."""
        self.path = path
        self.marks.append((len(out), path))


class GuideTables:
    """One guide's tables for writing: loop specs, segment order, element rules.

    Build once per guide (``GuideTables(GUIDE)``); not thread-safe while writing (the
    :attr:`check` state is shared by the writes that use this instance).
    """

    def __init__(self, guide: Guide) -> None:
        self.guide = guide
        # one spec per id (2300 under 2000B and under 2000C are the same loop: the last kept)
        self.loops: dict[str, LoopSpec] = {loop.id: loop for loop in guide.root.walk()}
        self._order: dict[str, tuple[dict[tuple[str, str | None], int], dict[str, Any]]] = {
            loop_id: self._order_table(spec) for loop_id, spec in self.loops.items()
        }
        self._single: dict[str, frozenset[int]] = {
            loop_id: frozenset(
                i
                for i, c in enumerate(spec.children)
                if not isinstance(c, LoopSpec) and c.max_use == 1
            )
            for loop_id, spec in self.loops.items()
        }
        self._rules: dict[tuple[str, int], SegRules] = {
            (loop_id, i): rules_of(child)
            for loop_id, spec in self.loops.items()
            for i, child in enumerate(spec.children)
            if isinstance(child, SegmentSpec)
        }
        self._patterns: dict[str, dict[int, re.Pattern[str]]] = {}
        self.check = Checking()

    @staticmethod
    def _order_table(
        spec: LoopSpec,
    ) -> tuple[dict[tuple[str, str | None], int], dict[str, Any]]:
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

    # ------------------------------------------------------------------ lookups
    def max_use(self, loop_id: str) -> int | None:
        """The guide's max use of a loop (None: unbounded)."""
        return self.loops[loop_id].max_use

    def rank(self, loop_id: str, seg: Seg) -> int:
        """The index of ``seg``'s place among the children of ``loop_id`` (10,000: none)."""
        table, qual = self._order[loop_id]
        sid = seg[0]
        pos = qual.get(sid)
        if pos is not None:
            q = _value_at(seg[1], pos)
            r = table.get((sid, q))
            if r is not None:
                return r
        return table.get((sid, None), 10_000)

    def fits(self, loop_id: str, seg: Seg) -> bool:
        """Whether the guide has a place for ``seg`` (id and qualifier) in ``loop_id``."""
        table, qual = self._order[loop_id]
        pos = qual.get(seg[0])
        if pos is not None:
            return (seg[0], _value_at(seg[1], pos)) in table
        return (seg[0], None) in table

    # ------------------------------------------------------------------ checks
    def _walk(
        self, loop_id: str, rank: int, seg: Seg, path: str, problems: list[tuple[str, str]]
    ) -> None:
        """The exact check, rule by rule: run when the compiled expression did not match."""
        messages: list[str] = []
        check_elements(self._rules[(loop_id, rank)], seg[1], messages)
        for m in messages:
            problems.append((path, f"{m} (loop {loop_id})"))

    def _loop_patterns(self, loop_id: str) -> dict[int, re.Pattern[str]]:
        """The compiled element rules of a loop's segments, by rank (compiled on first use)."""
        found = self._patterns.get(loop_id)
        if found is None:
            found = self._patterns[loop_id] = {
                rank: compile_rules(sr) for (lid, rank), sr in self._rules.items() if lid == loop_id
            }
        return found

    def _places(self, loop_id: str, segs: list[Seg]) -> list[int | None]:
        """Each segment's place among the loop's children (:meth:`rank`) when the guide has
        one for its id and qualifier (:meth:`fits`), else None: the hot loop of :meth:`merge`."""
        table, qual = self._order[loop_id]
        out: list[int | None] = []
        for seg in segs:
            sid, els = seg
            pos = qual.get(sid)
            if pos is None:
                out.append(table.get((sid, None)))
                continue
            e = pos[0]
            v = els[e - 1] if e <= len(els) else None
            if v.__class__ is not str:
                v = _value_at(els, pos)
            out.append(table.get((sid, v)))
        return out

    # ------------------------------------------------------------------ ordering
    def merge(
        self, loop_id: str, segs: list[Seg], unmapped: Iterable[Seg], *, order: bool = False
    ) -> list[Seg]:
        """A loop's segments in guide order, kept (unmapped) ones at their guide position.

        Typed segments are checked against the table when checks are on (``check.problems``
        set): by the compiled expression of their element rules, and rule by rule only when
        it does not match (:mod:`edi837.element_rules`). A kept segment where the guide
        allows only one (a CLM or an SV1 a reader could not model faithfully) replaces the
        typed one the model would give. ``order=True`` sorts typed segments appended by kind
        (DTP/REF by qualifier) into guide order. Each segment's place is looked up once, for
        the check and the order alike.
        """
        problems = self.check.problems
        places = self._places(loop_id, segs) if problems is not None or order else []
        if problems is not None:
            path = self.check.path
            patterns = self._loop_patterns(loop_id)
            for seg, r in zip(segs, places, strict=True):
                if r is None:
                    problems.append((path, f"{label(seg)} has no place in loop {loop_id}"))
                    continue
                pattern = patterns.get(r)
                if pattern is None:
                    continue
                els = seg[1]
                try:  # element_rules.check_text, inlined for a segment of plain values
                    joined = _ELEMENT.join(els)
                except TypeError:
                    text = composite_check_text(els)
                else:
                    plain = _COMPONENT not in joined and joined.count(_ELEMENT) == len(els) - 1
                    text = joined if plain else None
                if text is None or pattern.fullmatch(text) is None:
                    self._walk(loop_id, r, seg, path, problems)
        extra = list(unmapped)
        if not extra:
            if order:
                ranks = [
                    self.rank(loop_id, s) if r is None else r
                    for s, r in zip(segs, places, strict=True)
                ]
                if ranks != sorted(ranks):
                    return [
                        s for _, _, s in sorted(zip(ranks, range(len(segs)), segs, strict=True))
                    ]
            return segs
        for k, u in enumerate(extra):
            if not _SEGMENT_ID.fullmatch(u[0]) or u[0] in _ENVELOPE:
                where = problems if problems is not None else self.check.forged
                where.append(
                    (
                        f"{self.check.path}.unmapped[{k}].id",
                        "not a segment id of a transaction body (2-3 letters/digits, no envelope)",
                    )
                )
        single = self._single[loop_id]
        # a kept segment takes the place of a single-use typed one only when it is that
        # segment (its id and a qualifier the guide gives it), not one the guide lacks
        taken = {
            r
            for r in (self.rank(loop_id, u) for u in extra if self.fits(loop_id, u))
            if r in single
        }
        if taken:
            segs = [s for s in segs if self.rank(loop_id, s) not in taken]
        # stable: typed segments are already in guide order; kept ones join at their position
        return sorted(segs + extra, key=lambda s: self.rank(loop_id, s))

    def split(
        self, unmapped: Sequence[UnmappedSegment], loop_ids: Sequence[str]
    ) -> dict[str, list[Seg]]:
        """Kept segments of an object spanning several loops (2000A + 2010AA) to their loop."""
        out: dict[str, list[Seg]] = {k: [] for k in loop_ids}
        for u in unmapped:
            seg = unmapped_seg(u)
            for loop_id in loop_ids:
                if self.fits(loop_id, seg):
                    out[loop_id].append(seg)
                    break
            else:
                out[loop_ids[-1]].append(seg)
        return out

    def kept(self, items: Sequence[UnmappedSegment]) -> list[Seg]:
        """``unmapped`` of a one-loop object as segments."""
        return [unmapped_seg(u) for u in items] if items else []


# --------------------------------------------------------------------------- problems
class Problems:
    """Business-rule refusals collected before writing: (field path, message)."""

    __slots__ = ("items",)

    def __init__(self) -> None:
        self.items: list[tuple[str, str]] = []

    def add(self, path: str, message: str) -> None:
        self.items.append((path, message))


# --------------------------------------------------------------------------- values
def amt(d: Decimal) -> str:
    """An amount as X12 R: plain digits, no exponent, no negative zero."""
    text = format(d, "f")
    if text.startswith("-0") and d == 0:
        text = text[1:]
    return text


def date8(d: _dt.date) -> str:
    """CCYYMMDD (of a datetime, its date). ``date.isoformat`` runs in C: a quarter of the
    time of formatting the three numbers (this is called for every date written)."""
    return _dt.date.isoformat(d).replace("-", "")


def yn(flag: bool) -> str:
    return "Y" if flag else "N"


def opt(v: str | None) -> str:
    """An optional value as an element ("" when absent)."""
    return "" if v is None else v


# --------------------------------------------------------------------------- segments
def nm1(
    code: str,
    entity: str,
    name: str,
    first: str | None = None,
    middle: str | None = None,
    suffix: str | None = None,
    id_qual: str | None = None,
    ident: str | None = None,
) -> Seg:
    """NM1: NM101 entity code, NM102 type, NM103-NM107 name, NM108/NM109 id (when given)."""
    return (
        "NM1",
        [
            code,
            entity,
            name,
            opt(first),
            opt(middle),
            "",
            opt(suffix),
            opt(id_qual) if ident else "",
            opt(ident),
        ],
    )


def address(a: Address | None, out: list[Seg]) -> None:
    """N3 and N4 of an address (nothing when None)."""
    if a is None:
        return
    out.append(("N3", [a.line1, opt(a.line2)]))
    out.append(
        (
            "N4",
            [
                a.city,
                opt(a.state),
                opt(a.postal_code),
                opt(a.country),
                "",
                "",
                opt(a.country_subdivision),
            ],
        )
    )


def per(c: Contact) -> Seg:
    """PER: function, name, up to three (qualifier, number) pairs."""
    els: list[Element] = [c.function, opt(c.name)]
    for q, n in c.numbers:
        els += [q, n]
    return ("PER", els)


def ref(r: Reference) -> Seg:
    return ("REF", [r.qualifier, r.value, opt(r.description)])


def dtp(kind: str, start: _dt.date, end: _dt.date | None = None) -> Seg:
    """DTP with D8 (one date) or RD8 (a range)."""
    if end is None:
        return ("DTP", [kind, "D8", date8(start)])
    return ("DTP", [kind, "RD8", f"{date8(start)}-{date8(end)}"])


def pwk(a: Attachment) -> Seg:
    if a.control_number:
        return ("PWK", [a.report_type, a.transmission, "", "", "AC", a.control_number])
    return ("PWK", [a.report_type, a.transmission])


def crc(c: Condition) -> Seg:
    return ("CRC", [c.category, yn(c.applies), *c.codes])


def cas(adjustments: Sequence[Adjustment]) -> list[Seg]:
    """CAS segments: one per group (in order of first appearance), six triplets each."""
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
                    amt(a.amount),
                    amt(a.quantity) if a.quantity is not None else "",
                ]
            out.append(("CAS", els))
    return out


# --------------------------------------------------------------------------- party loops
def provider_loop(
    t: GuideTables,
    code: str,
    pv: Provider,
    loop_id: str,
    *,
    prv: str = "PE",
    npi_qualifier: str = "XX",
    field: str = "",
) -> list[Seg]:
    """A provider loop (2310x, 2330x, 2420x): every field the model holds is written and the
    guide's table for ``loop_id`` refuses what the loop has no place for.

    ``code`` is NM101 unless the provider names its own ``role``; ``prv`` is PRV01 (PE in
    837P, AT for the 837I attending provider); ``field`` (``rendering_provider``,
    ``service_lines[0].referring_providers[1]``) is appended to the current field path for
    the refusals of this loop.
    """
    saved = t.check.path
    if field:
        t.check.path = f"{saved}.{field}"
    try:
        return _provider_loop(t, code, pv, loop_id, prv, npi_qualifier)
    finally:
        t.check.path = saved


def _provider_loop(
    t: GuideTables, code: str, pv: Provider, loop_id: str, prv: str, npi_qualifier: str
) -> list[Seg]:
    out: list[Seg] = [
        nm1(
            code if pv.role is None else pv.role,
            pv.entity_type,
            opt(pv.name),
            pv.first_name,
            pv.middle_name,
            pv.suffix,
            npi_qualifier,
            pv.npi,
        )
    ]
    if pv.taxonomy:
        out.append(("PRV", [prv, "PXC", pv.taxonomy]))
    if pv.currency:
        out.append(("CUR", ["85", pv.currency]))
    address(pv.address, out)
    if pv.tax_id:
        out.append(("REF", [pv.tax_id_type, pv.tax_id]))
    elif pv.tax_id_type != "EI" and t.check.problems is not None:
        t.check.problems.append(
            (f"{t.check.path}.tax_id_type", "set without a tax_id: nothing would be written")
        )
    out.extend(ref(r) for r in pv.secondary_ids)
    out.extend(per(c) for c in pv.contacts)
    return t.merge(loop_id, out, t.kept(pv.unmapped))


def payer_loop(
    t: GuideTables, code: str, loop_id: str, payer: Payer, extra: Sequence[Seg] = ()
) -> list[Seg]:
    """A payer loop (2010BB, 2010AC, 2330B): NM1, N3/N4, ``extra``, REF."""
    segs: list[Seg] = []
    if payer.name or payer.id:  # a reader's placeholder for a missing loop writes nothing
        segs.append(nm1(code, "2", payer.name, None, None, None, payer.id_qualifier, payer.id))
    address(payer.address, segs)
    segs.extend(extra)
    segs.extend(ref(r) for r in payer.secondary_ids)
    return t.merge(loop_id, segs, t.kept(payer.unmapped))


def person_loop(
    t: GuideTables,
    code: str,
    loop_id: str,
    s: Subscriber | Patient,
    id_qual: str | None,
    ident: str | None,
    unmapped: Sequence[Seg],
) -> list[Seg]:
    """A person loop (2010BA, 2010CA, 2330A): NM1, N3/N4, DMG, REF, PER."""
    entity = s.entity_type if isinstance(s, Subscriber) else "1"
    segs: list[Seg] = [
        nm1(code, entity, s.last_name, s.first_name, s.middle_name, s.suffix, id_qual, ident)
    ]
    address(s.address, segs)
    if s.birth_date is not None or s.gender is not None:
        segs.append(
            (
                "DMG",
                [
                    "D8" if s.birth_date else "",
                    date8(s.birth_date) if s.birth_date else "",
                    opt(s.gender),
                ],
            )
        )
    segs.extend(ref(r) for r in s.secondary_ids)
    segs.extend(per(c) for c in s.contacts)
    return t.merge(loop_id, segs, unmapped)


def sbr(s: Subscriber, relationship: str) -> Seg:
    """SBR (2000B and 2320): responsibility, relationship, group, insurance type, filing."""
    return (
        "SBR",
        [
            s.payer_responsibility,
            relationship,
            opt(s.group_number),
            opt(s.group_name),
            opt(s.insurance_type),
            "",
            "",
            "",
            s.claim_filing_code,
        ],
    )


class PartyClaim(Protocol):
    """What the hierarchy needs of a claim (837P, 837I and 837D claims all have it)."""

    @property
    def billing_provider(self) -> Provider: ...
    @property
    def pay_to_address(self) -> Address | None: ...
    @property
    def pay_to_plan(self) -> Payer | None: ...
    @property
    def subscriber(self) -> Subscriber: ...
    @property
    def payer(self) -> Payer: ...
    @property
    def patient(self) -> Patient | None: ...


def billing_loops(t: GuideTables, claim: PartyClaim, hl: int, child: bool, out: list[Seg]) -> None:
    """2000A (HL, PRV*BI, CUR), 2010AA billing provider, 2010AB pay-to, 2010AC pay-to plan."""
    bp = claim.billing_provider
    kept = t.split(bp.unmapped, ("2000A", "2010AA"))
    head: list[Seg] = [("HL", [str(hl), "", "20", "1" if child else "0"])]
    if bp.taxonomy:
        head.append(("PRV", ["BI", "PXC", bp.taxonomy]))
    if bp.currency:
        head.append(("CUR", ["85", bp.currency]))
    out.extend(t.merge("2000A", head, kept["2000A"]))
    name: list[Seg] = [
        nm1(
            "85",
            bp.entity_type,
            opt(bp.name),
            bp.first_name,
            bp.middle_name,
            bp.suffix,
            "XX",
            bp.npi,
        )
    ]
    address(bp.address, name)
    if bp.tax_id:
        name.append(("REF", [bp.tax_id_type, bp.tax_id]))
    name.extend(ref(r) for r in bp.secondary_ids)
    name.extend(per(c) for c in bp.contacts)
    out.extend(t.merge("2010AA", name, kept["2010AA"]))
    if claim.pay_to_address is not None:
        pay: list[Seg] = [("NM1", ["87", "2"])]
        address(claim.pay_to_address, pay)
        out.extend(t.merge("2010AB", pay, ()))
    if claim.pay_to_plan is not None:
        out.extend(payer_loop(t, "PE", "2010AC", claim.pay_to_plan))


def subscriber_loops(
    t: GuideTables, claim: PartyClaim, hl: int, parent: int, child: bool, out: list[Seg]
) -> None:
    """2000B (HL, SBR), 2010BA subscriber, 2010BB payer."""
    s = claim.subscriber
    kept = t.split(s.unmapped, ("2000B", "2010BA"))
    rel = s.relationship if s.relationship is not None else ("18" if claim.patient is None else "")
    head: list[Seg] = [("HL", [str(hl), str(parent), "22", "1" if child else "0"]), sbr(s, rel)]
    out.extend(t.merge("2000B", head, kept["2000B"]))
    out.extend(person_loop(t, "IL", "2010BA", s, s.id_qualifier, s.member_id, kept["2010BA"]))
    out.extend(payer_loop(t, "PR", "2010BB", claim.payer))


def patient_loops(t: GuideTables, pt: Patient, hl: int, parent: int, out: list[Seg]) -> None:
    """2000C (HL, PAT) and 2010CA patient."""
    kept = t.split(pt.unmapped, ("2000C", "2010CA"))
    head: list[Seg] = [("HL", [str(hl), str(parent), "23", "0"]), ("PAT", [pt.relationship])]
    out.extend(t.merge("2000C", head, kept["2000C"]))
    out.extend(person_loop(t, "QC", "2010CA", pt, None, None, kept["2010CA"]))


def check_parties(claim: PartyClaim, path: str, p: Problems) -> None:
    """The party rules common to the three guides (billing NPI, address, tax id; patient)."""
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


# --------------------------------------------------------------------------- hierarchy
Groups = list[tuple[Any, list[tuple[Any, list[tuple[Patient | None, list[Any]]]]]]]


def grouped(claims: Sequence[PartyClaim]) -> Groups:
    """Claims grouped billing provider -> subscriber (+ payer) -> patient, first seen first.

    Each level is ``(first claim of the group, sub-groups)``; the patient level is
    ``(patient or None, claims)``.
    """
    top: dict[Any, tuple[Any, dict[Any, tuple[Any, dict[Any, list[Any]]]]]] = {}
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


def group_claims(claims: Iterable[Any]) -> list[Any]:
    """The claims in the order a writer writes them (and a reader reads them back).

    Grouped by billing provider (with pay-to address and plan), then subscriber and payer,
    then patient, each group in order of first appearance; within a subscriber, the
    subscriber's own claims come before those of dependents.
    """
    return [c for _, subs in grouped(list(claims)) for _, pts in subs for _, cs in pts for c in cs]


def write_hierarchy(
    t: GuideTables,
    claims: Sequence[Any],
    out: list[Seg],
    claim_loop: Callable[[Any, list[Seg]], None],
) -> None:
    """The HL levels (2000A/B/C) and each claim (``claim_loop(claim, out)`` writes 2300 and
    below), numbered, parented and split at the guide's 2300 max use per level; field paths
    marked on ``t.check`` (``claims[i].billing_provider``, ``claims[i]``...)."""
    index = {id(c): i for i, c in reversed(list(enumerate(claims)))}
    per_level = t.max_use("2300") or 100
    mark = t.check.mark
    hl = 0
    for first, subs in grouped(claims):
        hl += 1
        top = hl
        mark(out, f"claims[{index[id(first)]}].billing_provider")
        billing_loops(t, first, top, True, out)
        for sfirst, pts in subs:
            spath = f"claims[{index[id(sfirst)]}].subscriber"
            own = [cs for pt, cs in pts if pt is None]
            if own:
                cs = own[0]
                for start in range(0, len(cs), per_level):
                    hl += 1
                    mark(out, spath)
                    subscriber_loops(t, sfirst, hl, top, False, out)
                    for c in cs[start : start + per_level]:
                        mark(out, f"claims[{index[id(c)]}]")
                        claim_loop(c, out)
            deps = [(pt, cs) for pt, cs in pts if pt is not None]
            if deps:
                hl += 1
                parent = hl
                mark(out, spath)
                subscriber_loops(t, sfirst, parent, top, True, out)
                for pt, cs in deps:
                    for start in range(0, len(cs), per_level):
                        hl += 1
                        mark(out, f"claims[{index[id(cs[0])]}].patient")
                        patient_loops(t, pt, hl, parent, out)
                        for c in cs[start : start + per_level]:
                            mark(out, f"claims[{index[id(c)]}]")
                            claim_loop(c, out)


Body = Callable[[Any], tuple[list[Seg], list[tuple[str, str]], list[tuple[int, str]]]]


def transaction_body(
    t: GuideTables,
    submission: Any,
    timestamp: _dt.datetime | None,
    check: bool,
    check_claim: Callable[[Any, str, Problems], None],
    claim_loop: Callable[[Any, list[Seg]], None],
) -> tuple[list[Seg], list[tuple[str, str]], list[tuple[int, str]]]:
    """One transaction's body (BHT .. last claim), its problems and its field-path marks.

    With ``check``: the guide's business rules for each claim (``check_claim(claim, path,
    problems)``) and the submitter's contact (1000A PER), then the element rules as the
    segments are written; the hierarchy is only written when the business rules pass.
    ``claim_loop(claim, out)`` writes a claim's 2300 loop and below.
    """
    p = Problems()
    when = timestamp or _dt.datetime.now()
    claims = list(submission.claims)
    if not claims:
        p.add("claims", "at least one claim is needed")
    if check:
        for i, c in enumerate(claims):
            check_claim(c, f"claims[{i}]", p)
        if not submission.submitter.contacts:
            p.add("submitter.contacts", "at least one contact is required (1000A PER)")
    state = t.check
    state.problems = p.items if check else None
    state.path = "submission"
    state.marks = [(0, "submission")]
    try:
        out: list[Seg] = []
        header_segments(t, submission, when, out)
        if not p.items:
            write_hierarchy(t, claims, out, claim_loop)
        p.items.extend(state.take_forged())
    finally:
        state.problems = None
        marks, state.marks = state.marks, []
    return out, p.items, marks


# --------------------------------------------------------------------------- interchange
_SEG_INDEX = re.compile(r"segments\[(\d+)\]")
_TX_INDEX = re.compile(r"transactions\[(\d+)\]")


def field_path(path: str, marks: list[list[tuple[int, str]]]) -> str:
    """``groups[0].transactions[0].segments[57] (NM103)`` -> ``claims[3] (NM103)``."""
    m = _SEG_INDEX.search(path)
    tx = _TX_INDEX.search(path)
    if not m or not tx or int(tx.group(1)) >= len(marks):
        return path
    index = int(m.group(1))
    tx_marks = marks[int(tx.group(1))]
    k = bisect.bisect_right([start for start, _ in tx_marks], index) - 1
    where = tx_marks[k][1] if k >= 0 else "submission"
    prefix = f"submissions[{tx.group(1)}]." if len(marks) > 1 else ""
    return f"{prefix}{where}{path[m.end() :]}"


def dumps_transactions(
    submissions: Sequence[Any],
    body: Body,
    *,
    sender_id: str | None = None,
    receiver_id: str | None = None,
    usage: str = "T",
    delimiters: Delimiters | None = None,
    control_numbers: ControlNumbers | None = None,
    timestamp: _dt.datetime | None = None,
    options: InterchangeOptions | None = None,
) -> str:
    """One interchange (one HC group) with one ST..SE per submission.

    ``body(submission)`` gives (body segments, problems, marks) of one transaction; every
    problem of every submission is raised together as :class:`X12WriteError` (prefixed
    ``submissions[k].`` when there are several) before anything is written; refusals of the
    envelope writer (unsafe characters) are mapped back to field paths. Submissions need
    ``submitter.id``, ``receiver.id`` and ``implementation`` (ST03/GS08). The cyclic GC is
    paused while writing.
    """
    enabled = gc.isenabled()
    gc.disable()  # many small acyclic objects: the cyclic collector would only rescan them
    try:
        problems: list[tuple[str, str]] = []
        txs: list[TransactionSpec] = []
        marks: list[list[tuple[int, str]]] = []
        for k, sm in enumerate(submissions):
            segs, probs, tx_marks = body(sm)
            marks.append(tx_marks)
            prefix = f"submissions[{k}]." if len(submissions) > 1 else ""
            problems.extend((prefix + path, msg) for path, msg in probs)
            txs.append(TransactionSpec("837", sm.implementation, segs))
        if problems:
            # the guide's checks name the object; a value holding a delimiter is named exactly
            seps = options.delimiters if options else (delimiters or Delimiters())
            exact: list[tuple[str, str]] = []
            for k, sm in enumerate(submissions):
                unsafe_fields(sm, f"submissions[{k}]" if len(submissions) > 1 else "", seps, exact)
            seen = {path for path, _ in problems}
            problems.extend(x for x in exact if x[0] not in seen)
            raise X12WriteError(problems)
        if not submissions:
            raise X12WriteError([("submissions", "at least one submission is needed")])
        first = submissions[0]
        if options is None:
            kw: dict[str, Any] = {
                "sender_id": sender_id or first.submitter.id,
                "receiver_id": receiver_id or first.receiver.id,
                "usage": usage,
                "timestamp": timestamp or _dt.datetime.now(),
            }
            if delimiters is not None:
                kw["delimiters"] = delimiters
            options = InterchangeOptions(**kw)
        version = first.implementation
        try:
            return write_interchange([GroupSpec("HC", version, txs)], options, control_numbers)
        except X12WriteError as exc:
            exact = []
            for k, sm in enumerate(submissions):
                prefix = f"submissions[{k}]" if len(submissions) > 1 else ""
                unsafe_fields(sm, prefix, options.delimiters, exact)
            if exact:  # the fields whose values hold a delimiter or a control character
                raise X12WriteError(exact) from None
            raise X12WriteError(
                [(field_path(path, marks), msg) for path, msg in exc.problems]
            ) from None
    finally:
        if enabled:
            gc.enable()


def unsafe_fields(obj: Any, path: str, delimiters: Delimiters, out: list[tuple[str, str]]) -> None:
    """The field paths (``claims[3].billing_provider.name``) of every text in a model tree
    that cannot be written with ``delimiters``, with the reason (run only on a refusal)."""
    if attrs.has(type(obj)):
        for f in attrs.fields(type(obj)):
            name = f"{path}.{f.name}" if path else f.name
            unsafe_fields(getattr(obj, f.name), name, delimiters, out)
    elif isinstance(obj, (tuple, list)):
        for i, item in enumerate(obj):
            unsafe_fields(item, f"{path}[{i}]", delimiters, out)
    elif isinstance(obj, str):
        reason = unsafe_reason(obj, delimiters)
        if reason is not None:
            out.append((path, reason))


def header_segments(t: GuideTables, submission: Any, when: _dt.datetime, out: list[Seg]) -> None:
    """BHT (HEADER), 1000A submitter, 1000B receiver, field paths marked."""
    sub = submission.submitter
    bht: Seg = (
        "BHT",
        [
            submission.structure,
            submission.purpose,
            submission.reference,
            date8(submission.created) if submission.created else date8(when.date()),
            submission.created_time
            if submission.created_time is not None
            else f"{when.hour:02d}{when.minute:02d}",
            submission.transaction_type,
        ],
    )
    out.extend(t.merge("HEADER", [bht], t.kept(submission.unmapped)))
    t.check.mark(out, "submitter")
    s1: list[Seg] = [
        nm1("41", sub.entity_type, sub.name, sub.first_name, sub.middle_name, None, "46", sub.id)
    ]
    s1.extend(per(c) for c in sub.contacts)
    out.extend(t.merge("1000A", s1, t.kept(sub.unmapped)))
    t.check.mark(out, "receiver")
    rc = submission.receiver
    out.extend(
        t.merge(
            "1000B",
            [nm1("40", "2", rc.name, None, None, None, "46", rc.id)],
            t.kept(rc.unmapped),
        )
    )
