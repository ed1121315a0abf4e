"""An implementation guide (TR3) as data: loops, segments and elements, in guide order.

These classes know no transaction. One generated module per guide builds them as a plain
Python literal (``edi837.guide_x222a1.GUIDE``, ``edi835.guide_x221a1.GUIDE``,
``x12.guide_x231a1.GUIDE`` ...; see ``tools/gen_guide_tables.py``), and the table-driven loop
walker (:mod:`x12.loops`) places segments by them.

A guide is a tree: the transaction set (``ST`` .. ``SE``) is the root :class:`LoopSpec`; a loop's
``children`` are its segments and nested loops in guide order; the first segment of a loop is
its *trigger* (``CLP`` opens loop 2100 of the 835, ``HL`` with ``HL03 = "22"`` opens loop 2000B
of the 837). Header areas without a trigger of their own are the map's wrapper loops
(``HEADER``, ``DETAIL``, ``FOOTER``).

Segments that share an id (``NM1*85`` billing provider vs ``NM1*87`` pay-to provider, the many
``REF`` and ``DTP``) are told apart by a *qualifier*: the element whose closed code list
distinguishes them, found by the generator from the guide's own code lists. It is element 1
for most segments (``NM101``, ``REF01``, ``DTP01``), the first component of element 1 for some
composites (``SV101-1``) and ``HL03`` for the hierarchical levels.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

import attrs

__all__ = [
    "ElementRule",
    "ElementSpec",
    "Guide",
    "LoopSpec",
    "SegmentSpec",
    "SyntaxRule",
]

#: One syntax note of the base standard, e.g. ``("P", (6, 7))`` for ``P0607``: paired
#: (P), required (R), exclusion (E), conditional (C) or list conditional (L), then the
#: 1-based element positions it relates.
SyntaxRule = tuple[str, tuple[int, ...]]


@attrs.frozen(slots=True)
class ElementSpec:
    """One element (or one component of a composite) of a segment.

    ``ref`` is the guide's reference designator (``"CLP01"``; a component is ``"CLM05-1"``
    style only in name: its position is its index in ``components``). ``usage`` is the guide's
    R (required), S (situational) or N (not used). ``data_type`` is the X12 type (``AN``,
    ``ID``, ``R``, ``N0``, ``N2``, ``DT``, ``TM``, ``B``...; ``""`` for a composite) with
    ``min_len``/``max_len`` from the data element dictionary. ``codes`` is the guide's closed
    code list (empty when the list is open or external); ``external`` names an external
    code list (``"states"``, ``"remark_code"``...) when the guide defers to one. ``repeat``
    is the element's maximum repetitions (1 for most). ``components`` is non-empty exactly
    for composites.
    """

    ref: str
    name: str
    usage: str
    data_type: str
    min_len: int
    max_len: int
    codes: tuple[str, ...] = attrs.field(default=(), kw_only=True)
    external: str | None = attrs.field(default=None, kw_only=True)
    repeat: int = attrs.field(default=1, kw_only=True)
    components: tuple[ElementSpec, ...] = attrs.field(default=(), kw_only=True)
    data_ele: str = attrs.field(default="", kw_only=True)

    @property
    def is_composite(self) -> bool:
        return bool(self.components)

    @property
    def required(self) -> bool:
        return self.usage == "R"

    def rule(self, position: int) -> ElementRule:
        """This element as the value checks read it (:class:`ElementRule`), at ``position``
        (1-based) in its segment or composite."""
        return ElementRule(
            position,
            self.ref,
            self.usage,
            self.data_type,
            self.min_len,
            self.max_len,
            frozenset(self.codes),
            self.repeat,
            tuple(c.rule(j) for j, c in enumerate(self.components, 1)),
        )


class ElementRule(NamedTuple):
    """One element (or component) of a segment compiled for checking values: what
    :class:`ElementSpec` says of it that a check reads, as a tuple (fast to read) with the
    closed code list as a set. The validator (:mod:`x12.validate`) checks read values with
    it, the 837 writers' table checks (:mod:`edi837.element_rules`) written ones."""

    position: int  # 1-based element (or component)
    ref: str  # NM103, CLM05-2
    usage: str  # R required, S situational, N not used
    data_type: str  # AN, ID, R, N0, DT, TM ... ("" for a composite)
    min_len: int
    max_len: int
    codes: frozenset[str]  # the closed code list, empty when open
    repeat: int  # maximum repetitions
    components: tuple[ElementRule, ...]


@attrs.frozen(slots=True)
class SegmentSpec:
    """One segment of a loop as the guide uses it.

    ``max_use`` is ``None`` for the guide's ``>1`` (unbounded). ``position`` is the segment's
    position number in the standard's table (``CLP`` is 0100 in 835 table 2); segments of a
    loop must appear in non-decreasing position order. ``qualifier`` is the ``(element,
    component)`` position (both 1-based, component 0 for a simple element) of the element
    that tells this segment apart from others with the same id, or ``None`` when the id is
    used only once in the guide or no element does.
    """

    id: str
    name: str
    usage: str
    max_use: int | None
    position: int
    elements: tuple[ElementSpec, ...] = attrs.field(default=(), kw_only=True)
    syntax: tuple[SyntaxRule, ...] = attrs.field(default=(), kw_only=True)
    qualifier: tuple[int, int] | None = attrs.field(default=None, kw_only=True)

    @property
    def required(self) -> bool:
        return self.usage == "R"

    def element(self, index: int, component: int = 0) -> ElementSpec | None:
        """Element ``index`` (1-based as in ``CLP02``), or its 1-based ``component``."""
        if not 1 <= index <= len(self.elements):
            return None
        spec = self.elements[index - 1]
        if component:
            if not 1 <= component <= len(spec.components):
                return None
            return spec.components[component - 1]
        return spec

    def codes_of(self, index: int = 1, component: int = 0) -> tuple[str, ...]:
        """The closed code list of element ``index`` (component ``component``); ``()`` if open.

        ``codes_of(1)`` is the element-1 qualifier list that tells ``NM1*85`` from ``NM1*87``;
        for a composite element 1 without ``component``, its first component's codes.
        """
        spec = self.element(index, component)
        if spec is None:
            return ()
        if spec.components and not component:
            return spec.components[0].codes
        return spec.codes

    @property
    def qualifier_codes(self) -> tuple[str, ...]:
        """The codes of the qualifier element (see ``qualifier``); ``()`` when there is none."""
        if self.qualifier is None:
            return ()
        return self.codes_of(*self.qualifier)


@attrs.frozen(slots=True)
class LoopSpec:
    """A loop of the guide, its children (segments and nested loops) in guide order.

    ``max_use`` is ``None`` for ``>1``. ``wrapper`` marks the map's header/detail/footer areas
    (``HEADER``, ``DETAIL``, ``FOOTER``) that group loops without a trigger of their own
    when their first child is a loop.
    """

    id: str
    name: str
    usage: str
    max_use: int | None
    position: int
    children: tuple[SegmentSpec | LoopSpec, ...] = attrs.field(default=(), kw_only=True)
    wrapper: bool = attrs.field(default=False, kw_only=True)

    @property
    def required(self) -> bool:
        return self.usage == "R"

    @property
    def trigger(self) -> SegmentSpec | None:
        """The first segment (``CLP`` opens 835 loop 2100); ``None`` if the loop starts with one."""
        if self.children and isinstance(self.children[0], SegmentSpec):
            return self.children[0]
        return None

    @property
    def trigger_codes(self) -> tuple[str, ...]:
        """The qualifier values of the trigger that open this loop.

        ``("85",)`` for 837P loop 2010AA (``NM101``), ``("22",)`` for 2000B (``HL03``);
        ``()`` when the trigger needs no qualifier (``CLP``, ``LX``) or there is no trigger.
        """
        trigger = self.trigger
        return trigger.qualifier_codes if trigger is not None else ()

    @property
    def segments(self) -> tuple[SegmentSpec, ...]:
        """The loop's own segments (not those of nested loops), in guide order."""
        return tuple(c for c in self.children if isinstance(c, SegmentSpec))

    @property
    def loops(self) -> tuple[LoopSpec, ...]:
        """The loops nested directly in this one, in guide order."""
        return tuple(c for c in self.children if isinstance(c, LoopSpec))

    def walk(self) -> Iterator[LoopSpec]:
        """This loop and every loop nested in it, depth first in guide order."""
        yield self
        for child in self.children:
            if isinstance(child, LoopSpec):
                yield from child.walk()


def _index(root: LoopSpec) -> dict[str, tuple[LoopSpec, ...]]:
    found: dict[str, list[LoopSpec]] = {}
    for loop in root.walk():
        found.setdefault(loop.id, []).append(loop)
    return {key: tuple(value) for key, value in found.items()}


@attrs.frozen(slots=True)
class Guide:
    """One implementation guide: ``id`` is its version (``"005010X222A1"``, GS08/ST03),
    ``transaction`` the transaction set id (``"837"``, ST01), ``root`` the ``ST`` .. ``SE``
    transaction set as a loop.
    """

    id: str
    transaction: str
    name: str
    root: LoopSpec
    _by_id: dict[str, tuple[LoopSpec, ...]] = attrs.field(
        init=False, eq=False, repr=False, hash=False
    )

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_by_id", _index(self.root))

    @property
    def loop_ids(self) -> tuple[str, ...]:
        """Every loop id of the guide, in guide order (each once)."""
        return tuple(self._by_id)

    def loop(self, loop_id: str) -> LoopSpec:
        """The loop ``loop_id`` (its first occurrence in guide order).

        Some loops occur at two places: 837 loop 2300 sits under 2000B (usage S, the
        subscriber is the patient) and under 2000C (usage R); :meth:`loops` gives both.
        Raises :class:`LookupError` for an id the guide does not have.
        """
        found = self._by_id.get(loop_id)
        if not found:
            raise LookupError(f"guide {self.id} has no loop {loop_id!r}")
        return found[0]

    def loops(self, loop_id: str) -> tuple[LoopSpec, ...]:
        """Every occurrence of loop ``loop_id`` in guide order (``()`` if none)."""
        return self._by_id.get(loop_id, ())

    def segments_of(self, loop_id: str) -> tuple[SegmentSpec, ...]:
        """The own segments of loop ``loop_id`` (first occurrence), in guide order."""
        return self.loop(loop_id).segments

    def segment(self, loop_id: str, segment_id: str, qualifier: str | None = None) -> SegmentSpec:
        """The segment ``segment_id`` of loop ``loop_id`` whose qualifier allows ``qualifier``.

        ``guide.segment("2300", "DTP", "431")`` is the Onset of Current Illness date.
        Raises :class:`LookupError` when the loop has no such segment.
        """
        for spec in self.segments_of(loop_id):
            if spec.id != segment_id:
                continue
            codes = spec.qualifier_codes if spec.qualifier is not None else spec.codes_of(1)
            if qualifier is None or qualifier in codes:
                return spec
        raise LookupError(f"loop {loop_id} of guide {self.id} has no segment {segment_id}")
