"""A table-driven loop walker: one transaction's segments in, a tree of loops out.

:func:`build_tree` places each segment of a transaction set (``ST`` .. ``SE``) into the loops
of an implementation guide (:class:`x12.guide.Guide`) the way pyx12's map walker does:

* in the current loop, when the loop has the segment at or after the position reached;
* else in a nested loop whose trigger matches (segment id and qualifier: ``NM1*85`` opens
  837 loop 2010AA, ``CLP`` opens 835 loop 2100);
* else by closing the current loop and trying its parent the same way (which also starts a
  new occurrence of a loop when its trigger comes again).

Hierarchical levels nest by ``HL02`` (the parent's ``HL01``): an ``HL`` whose parent is known
opens its loop under that parent's loop when the guide allows it there; an ``HL`` without
parent, with an unknown parent or with a parent the guide does not allow falls back to the
walk above (the last two are reported as warnings).

Nothing is dropped. A segment out of its place is kept in the nearest open loop that lists
it (``SEGMENT_NOT_IN_PROPER_SEQUENCE``), a segment whose qualifier the guide does not know in
the nearest open loop that lists its id (``INVALID_CODE_VALUE`` on the qualifier element),
anything else in the current loop (``UNEXPECTED_SEGMENT``). Counting follows the guide: a
segment used more often than its max use (``SEGMENT_EXCEEDS_MAXIMUM_USE``), a loop repeated more
often than its max use (``LOOP_OCCURS_OVER_MAX``), a required segment or loop absent when its
loop closes (``MANDATORY_SEGMENT_MISSING``, located where the absence was found, as the 999's
IK3 does), a segment or loop the guide marks Not Used (``UNEXPECTED_SEGMENT``). The codes
follow the 999's IK304 segment syntax error codes.

Speed: the guide is compiled once into per-loop dispatch tables keyed by ``(segment id,
qualifier)``, so placing a segment is one dict lookup in the common case.

Streaming: :func:`start_walk` gives the walker itself, fed batch after batch (the tree and
the issues are those of :func:`build_tree` on the whole list). It lists the occurrences of
chosen loops as they close (``units``), with their parent's node, so that a reader can build
them and let them go; ``max_hl`` bounds the HL levels remembered as parents (least recently
used forgotten). :attr:`LoopNode.state` is free for such a reader's notes.
"""

from __future__ import annotations

import sys
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from typing import Any, NamedTuple

import attrs

from x12.errors import IssueLog, Location, Severity
from x12.gcpause import collector_paused
from x12.guide import Guide, LoopSpec, SegmentSpec

__all__ = [
    "LOOP_OCCURS_OVER_MAX",
    "MANDATORY_SEGMENT_MISSING",
    "SEGMENT_EXCEEDS_MAXIMUM_USE",
    "UNEXPECTED_SEGMENT",
    "LoopNode",
    "LoopWalker",
    "build_tree",
    "start_walk",
]

UNEXPECTED_SEGMENT = "UNEXPECTED_SEGMENT"
MANDATORY_SEGMENT_MISSING = "MANDATORY_SEGMENT_MISSING"
LOOP_OCCURS_OVER_MAX = "LOOP_OCCURS_OVER_MAX"
SEGMENT_EXCEEDS_MAXIMUM_USE = "SEGMENT_EXCEEDS_MAXIMUM_USE"
SEGMENT_NOT_IN_PROPER_SEQUENCE = "SEGMENT_NOT_IN_PROPER_SEQUENCE"
INVALID_CODE_VALUE = "INVALID_CODE_VALUE"
HL_PARENT_NOT_FOUND = "HL_PARENT_NOT_FOUND"
HL_PARENT_MISMATCH = "HL_PARENT_MISMATCH"


@attrs.define(slots=True, eq=False)
class LoopNode:
    """One occurrence of a loop in a transaction.

    ``segments`` holds the loop's own segments in file order as ``(segment index,
    segment)`` (the index as in :class:`~x12.errors.Location`: counted from ``start_index``
    given to :func:`build_tree`); ``children`` the nested loop occurrences in the order they
    were opened.
    """

    spec: LoopSpec
    segments: list[tuple[int, list[str]]] = attrs.field(factory=list)
    children: list[LoopNode] = attrs.field(factory=list)
    #: Free for a reader's own use: a streaming reader keeps there what it made of the loop
    #: before letting its segments go (the walker never reads it).
    state: Any = attrs.field(default=None, repr=False)

    @property
    def id(self) -> str:
        return self.spec.id

    def iter(self, loop_id: str | None = None) -> Iterator[LoopNode]:
        """This loop and every nested one (depth first, file order), or only those ``loop_id``."""
        stack = [self]
        while stack:
            node = stack.pop()
            if loop_id is None or node.spec.id == loop_id:
                yield node
            stack.extend(reversed(node.children))

    def find(self, loop_id: str) -> LoopNode | None:
        """The first loop ``loop_id`` at or below this one, or ``None``."""
        return next(self.iter(loop_id), None)

    def first_segment(self, seg_id: str, qualifier: str | None = None) -> list[str] | None:
        """This loop's first own segment ``seg_id`` (whose element 1 is ``qualifier`` if given)."""
        for _, seg in self.segments:
            if seg[0] == seg_id and (qualifier is None or (len(seg) > 1 and seg[1] == qualifier)):
                return seg
        return None

    def detach(self, child: LoopNode) -> None:
        """Remove ``child`` (this very node, searched from the last) from :attr:`children`:
        a streaming reader lets go of a loop it has read."""
        kids = self.children
        for k in range(len(kids) - 1, -1, -1):
            if kids[k] is child:
                del kids[k]
                return

    def all_segments(self) -> Iterator[tuple[int, list[str]]]:
        """Every segment of this loop and the nested ones, in file order."""
        found = [pair for node in self.iter() for pair in node.segments]
        found.sort(key=lambda pair: pair[0])
        return iter(found)


# --- the compiled guide ---------------------------------------------------------------------

Key = tuple[str, str | None]


class _Entry(NamedTuple):
    """Where a key goes from a loop: an own segment (``path == ()``) or nested loops to open."""

    position: int
    child: int  # child index in the loop (own segment) or of the first loop of ``path``
    path: tuple[tuple[_Compiled, int], ...]  # loops to open and each one's index in its parent


class _Compiled:
    __slots__ = (
        "limits",
        "loops",
        "own",
        "own_ids",
        "parent",
        "required",
        "size",
        "spec",
        "table",
        "trigger",
        "trigger_pos",
        "up",
    )

    def __init__(self, spec: LoopSpec) -> None:
        self.spec = spec
        self.table: dict[Key, list[_Entry]] = {}
        self.own: dict[Key, int] = {}
        self.own_ids: dict[str, int] = {}
        # How often each child may occur before it is reported (0 for Not Used).
        self.limits: list[int] = [
            0 if c.usage == "N" else (c.max_use if c.max_use is not None else sys.maxsize)
            for c in spec.children
        ]
        self.size = len(spec.children)
        self.required: tuple[int, ...] = tuple(
            k for k, c in enumerate(spec.children) if c.usage == "R" and k > 0
        )
        self.trigger = spec.trigger
        self.trigger_pos = self.trigger.position if self.trigger is not None else -1
        self.loops: dict[int, _Compiled] = {}
        self.parent: _Compiled | None = None
        self.up: dict[Key, tuple[int, _Entry] | None] = {}

    def climb(self, key: Key) -> tuple[int, _Entry] | None:
        """Where ``key`` goes when this loop has no place for it: how many loops up, and how.

        Above the current loop the position reached in each open loop is the position of the
        nested loop that is open, so the answer depends only on this place in the guide and is
        computed once per key.
        """
        if key in self.up:
            return self.up[key]
        found: tuple[int, _Entry] | None = None
        levels, here, parent = 1, self, self.parent
        while parent is not None and found is None:
            for entry in parent.table.get(key, ()):
                if entry.position >= here.spec.position:
                    found = (levels, entry)
                    break
            levels, here, parent = levels + 1, parent, parent.parent
        self.up[key] = found
        return found


def _keys(spec: SegmentSpec) -> list[Key]:
    if spec.qualifier is None:
        return [(spec.id, None)]
    return [(spec.id, code) for code in spec.qualifier_codes]


def _openers(spec: LoopSpec) -> list[tuple[Key, tuple[tuple[LoopSpec, int], ...]]]:
    """The keys that open ``spec`` and, for a wrapper, the nested loops opened with it."""
    trigger = spec.trigger
    if trigger is not None:
        return [(key, ()) for key in _keys(trigger)]
    out: list[tuple[Key, tuple[tuple[LoopSpec, int], ...]]] = []
    for k, child in enumerate(spec.children):
        if isinstance(child, LoopSpec):
            for key, path in _openers(child):
                out.append((key, ((child, k), *path)))
    return out


class _Program:
    """A guide compiled for walking: a :class:`_Compiled` per place of a loop in the guide."""

    def __init__(self, guide: Guide) -> None:
        self.guide = guide
        self.qualifier: dict[str, tuple[int, int]] = {}
        self.known_ids: set[str] = set()
        self.root = self._compile(guide.root)

    def _compile(self, spec: LoopSpec) -> _Compiled:
        c = _Compiled(spec)
        compiled = c.loops
        for k, child in enumerate(spec.children):
            if isinstance(child, LoopSpec):
                compiled[k] = self._compile(child)
                compiled[k].parent = c
        for k, child in enumerate(spec.children):
            if isinstance(child, SegmentSpec):
                self.known_ids.add(child.id)
                if child.qualifier is not None:
                    self.qualifier[child.id] = child.qualifier
                if k == 0:
                    continue  # the trigger opens the loop from its parent's table
                c.own_ids.setdefault(child.id, k)
                for key in _keys(child):
                    c.table.setdefault(key, []).append(_Entry(child.position, k, ()))
                    c.own.setdefault(key, k)
            else:
                for key, path in _openers(child):
                    chain: list[tuple[_Compiled, int]] = [(compiled[k], k)]
                    parent = compiled[k]
                    for _, index in path:
                        sub = parent.loops[index]
                        chain.append((sub, index))
                        parent = sub
                    c.table.setdefault(key, []).append(_Entry(child.position, k, tuple(chain)))
        for entries in c.table.values():
            entries.sort(key=lambda e: e.position)
        return c


# Compiled guides by identity of the guide (each keeps its guide alive, so ids stay unique).
_PROGRAMS: dict[int, _Program] = {}


def _program(guide: Guide) -> _Program:
    program = _PROGRAMS.get(id(guide))
    if program is None or program.guide is not guide:
        program = _Program(guide)
        _PROGRAMS[id(guide)] = program
    return program


# --- walking --------------------------------------------------------------------------------


class _Open:
    """A loop occurrence being filled: its compiled loop, node, position reached, counts."""

    __slots__ = ("c", "counts", "limits", "node", "pos", "segs", "table")

    def __init__(self, c: _Compiled, node: LoopNode, pos: int) -> None:
        self.c = c
        self.node = node
        self.pos = pos
        self.counts = [0] * c.size
        self.table = c.table
        self.limits = c.limits
        self.segs = node.segments


class LoopWalker:
    """Places segments fed in order (:meth:`feed`, as many times as needed) into a tree.

    ``units``: loop ids whose occurrences are listed on :attr:`closed` with their parent's
    node as they close (a streaming reader builds and drops them). ``max_hl``: how many HL
    levels stay reachable as parents (the most recently used ones); ``None`` keeps all.
    """

    def __init__(
        self,
        program: _Program,
        component: str,
        log: IssueLog,
        start_index: int,
        offsets: Sequence[int] | None,
        units: frozenset[str] = frozenset(),
        max_hl: int | None = None,
    ) -> None:
        self.program = program
        self.component = component
        self.log = log
        self.start = start_index
        self.offsets = offsets
        self.total = 0  # segments fed so far (those of the batch being placed included)
        self.started = False
        root = program.root
        self.root = LoopNode(root.spec)
        self.stack: list[_Open] = [_Open(root, self.root, -1)]
        self.hl: OrderedDict[str, list[_Open]] = OrderedDict()
        self.units = units
        self.max_hl = max_hl
        self.closed: list[tuple[LoopNode, LoopNode | None]] = []

    # reporting

    def loc(
        self,
        i: int,
        seg_id: str | None,
        loop: str | None,
        element: int | None = None,
        component: int | None = None,
    ) -> Location:
        offset = None
        if self.offsets is not None and 0 <= i < len(self.offsets):
            offset = self.offsets[i]
        index = self.start + i if 0 <= i < self.total else None
        return Location(index, seg_id or None, loop, element, component, offset)

    def report(
        self,
        code: str,
        message: str,
        location: Location,
        kind: str = "structure",
        value: str | None = None,
    ) -> None:
        self.log.report(code, message, location, kind=kind, value=value)

    # the walk

    def feed(self, segments: list[list[str]]) -> None:
        """Place the next segments of the transaction (``ST`` first in the first call)."""
        off = self.total
        n = len(segments)
        if not n:
            return
        self.total = off + n
        items = enumerate(segments, off)
        if not self.started:
            self.started = True
            if self.check_trigger(segments[0]):
                next(items)
        qualifier = self.program.qualifier
        component = self.component
        stack = self.stack
        base = self.start
        for i, seg in items:
            sid = seg[0] if seg else ""
            qp = qualifier.get(sid)
            qual: str | None = None
            if qp is not None:
                e, c = qp
                qual = seg[e] if e < len(seg) else ""
                if c:
                    parts = qual.split(component) if component else [qual]
                    qual = parts[c - 1] if c <= len(parts) else ""
            key = (sid, qual)
            if sid == "HL" and self.hl_place(i, seg, key):
                continue
            # The common case first: an own segment of the current loop, in order.
            o = stack[-1]
            entries = o.table.get(key)
            if entries is not None:
                entry = entries[0]
                if entry[0] >= o.pos and not entry[2]:
                    k = entry[1]
                    o.segs.append((base + i, seg))
                    o.pos = entry[0]
                    counts = o.counts
                    count = counts[k] = counts[k] + 1
                    if count > o.limits[k]:
                        self.overuse(i, sid, o, k, count)
                    continue
            if not self.walk(i, seg, key):
                self.misplaced(i, seg, key)

    def check_trigger(self, first: list[str]) -> bool:
        """Whether ``first`` is the root's trigger (``ST``), placed; else report it missing."""
        root = self.program.root
        trigger = root.trigger
        if trigger is None:
            return False
        if first[:1] == [trigger.id]:
            self.root.segments.append((self.start, first))
            self.stack[0].counts[0] = 1
            self.stack[0].pos = trigger.position
            return True
        self.report(
            MANDATORY_SEGMENT_MISSING,
            f"required segment {trigger.id} ({trigger.name}) is missing",
            Location(self.start, trigger.id, root.spec.id),
        )
        return False

    def finish(self) -> LoopNode:
        """Close every open loop (reporting what they lack); the tree's root."""
        if not self.started:
            self.started = True
            self.check_trigger([])
        self.close(0, self.total - 1 if self.total else 0)
        return self.root

    def remember(self, hl_id: str) -> None:
        """Keep the open loops as the place of children of HL ``hl_id`` (HL01)."""
        hl = self.hl
        hl[hl_id] = self.stack[:]
        if self.max_hl is not None:
            hl.move_to_end(hl_id)
            if len(hl) > self.max_hl:
                hl.popitem(last=False)  # the least recently used

    def walk(self, i: int, seg: list[str], key: Key) -> bool:
        """Place ``seg`` in order: the current loop, a nested loop, or a parent's."""
        stack = self.stack
        o = stack[-1]
        depth = len(stack) - 1
        found: _Entry | None = None
        for entry in o.table.get(key, ()):
            if entry.position >= o.pos:
                found = entry
                break
        if found is None:
            up = o.c.climb(key)
            if up is None:
                return False
            depth -= up[0]
            found = up[1]
        self.place(i, seg, depth, found)
        if key[0] == "HL" and len(seg) > 1:
            self.remember(seg[1])
        return True

    def place(self, i: int, seg: list[str], depth: int, entry: _Entry) -> None:
        stack = self.stack
        if len(stack) > depth + 1:
            self.close(depth + 1, i)
        o = stack[depth]
        if not entry.path:
            k = entry.child
            o.segs.append((self.start + i, seg))
            o.pos = entry.position
            count = o.counts[k] = o.counts[k] + 1
            if count > o.limits[k]:
                self.overuse(i, seg[0], o, k, count)
            return
        for sub, k in entry.path:
            spec = sub.spec
            o.pos = spec.position
            count = o.counts[k] = o.counts[k] + 1
            node = LoopNode(spec, [], [])
            o.node.children.append(node)
            if count > o.limits[k]:
                self.loop_overuse(i, seg[0], spec, count)
            o = _Open(sub, node, -1)
            stack.append(o)
        o.segs.append((self.start + i, seg))
        o.counts[0] = 1
        o.pos = o.c.trigger_pos
        if o.limits[0] == 0:
            self.overuse(i, seg[0], o, 0, 1)

    def overuse(self, i: int, sid: str, o: _Open, k: int, count: int) -> None:
        spec = o.c.spec.children[k]
        where = self.loc(i, sid, o.c.spec.id)
        if spec.usage == "N":
            self.report(UNEXPECTED_SEGMENT, f"segment {sid} is marked Not Used here", where)
        else:
            self.report(
                SEGMENT_EXCEEDS_MAXIMUM_USE,
                f"segment {sid} ({spec.name}) used {count} times, the guide allows {spec.max_use}",
                where,
            )

    def loop_overuse(self, i: int, sid: str, spec: LoopSpec, count: int) -> None:
        where = self.loc(i, sid, spec.id)
        if spec.usage == "N":
            self.report(UNEXPECTED_SEGMENT, f"loop {spec.id} is marked Not Used", where)
        else:
            self.report(
                LOOP_OCCURS_OVER_MAX,
                f"loop {spec.id} ({spec.name}) occurs {count} times, the guide allows "
                f"{spec.max_use}",
                where,
            )

    def close(self, depth: int, i: int) -> None:
        """Close the open loops from ``depth`` down, reporting what they lack (found at ``i``)."""
        stack = self.stack
        units = self.units
        while len(stack) > depth:
            o = stack.pop()
            counts = o.counts
            for k in o.c.required:
                if counts[k] == 0:
                    self.missing(i, o, k)
            if units and o.c.spec.id in units:
                self.closed.append((o.node, stack[-1].node if stack else None))

    def missing(self, i: int, o: _Open, k: int) -> None:
        child = o.c.spec.children[k]
        sid: str | None
        if isinstance(child, SegmentSpec):
            what, sid = f"segment {child.id} ({child.name})", child.id
        else:
            trigger = child.trigger
            sid = trigger.id if trigger is not None else None
            what = f"loop {child.id} ({child.name})"
        where = self.loc(i, sid, o.c.spec.id)
        self.report(
            MANDATORY_SEGMENT_MISSING, f"required {what} is missing in loop {o.c.spec.id}", where
        )

    def hl_place(self, i: int, seg: list[str], key: Key) -> bool:
        """Open an HL loop under its HL02 parent; ``False`` to fall back to the walk."""
        parent = seg[2] if len(seg) > 2 else ""
        if not parent:
            return False
        snapshot = self.hl.get(parent)
        if snapshot is not None and self.max_hl is not None:
            self.hl.move_to_end(parent)  # the most recently used
        if snapshot is None:
            self.log.report(
                HL_PARENT_NOT_FOUND,
                "HL02 names a parent HL01 that no earlier HL has",
                self.loc(i, "HL", self.stack[-1].c.spec.id, 2),
                severity=Severity.WARNING,
                value=parent,
            )
            return False
        parent_open = snapshot[-1]
        entries = parent_open.c.table.get(key)
        entry = next((e for e in entries or () if e.path), None)
        if entry is None:
            self.log.report(
                HL_PARENT_MISMATCH,
                f"the guide does not allow this HL level under loop {parent_open.c.spec.id}",
                self.loc(i, "HL", parent_open.c.spec.id, 3),
                severity=Severity.WARNING,
                value=seg[3] if len(seg) > 3 else "",
            )
            return False
        stack = self.stack
        common = 0
        while common < min(len(stack), len(snapshot)) and stack[common] is snapshot[common]:
            common += 1
        self.close(common, i)
        stack.extend(snapshot[common:])
        self.place(i, seg, len(stack) - 1, entry)
        if len(seg) > 1:
            self.remember(seg[1])
        return True

    def misplaced(self, i: int, seg: list[str], key: Key) -> None:
        sid = key[0]
        stack = self.stack
        for o in reversed(stack):  # out of order: the nearest open loop that lists it
            k = o.c.own.get(key)
            if k is not None:
                o.segs.append((self.start + i, seg))
                o.counts[k] += 1
                if o.counts[k] > o.limits[k]:
                    self.overuse(i, sid, o, k, o.counts[k])
                self.report(
                    SEGMENT_NOT_IN_PROPER_SEQUENCE,
                    f"segment {sid} is out of order in loop {o.c.spec.id}",
                    self.loc(i, sid, o.c.spec.id),
                )
                return
        if key[1] is not None:  # an unknown qualifier: the nearest open loop with the id
            for o in reversed(stack):
                k = o.c.own_ids.get(sid)
                if k is not None:
                    o.node.segments.append((self.start + i, seg))
                    e, c = self.program.qualifier[sid]
                    self.report(
                        INVALID_CODE_VALUE,
                        f"segment {sid}: the qualifier is not one the guide allows in loop "
                        f"{o.c.spec.id}",
                        self.loc(i, sid, o.c.spec.id, e, c or None),
                        kind="value",
                        value=key[1],
                    )
                    return
        o = stack[-1]
        o.node.segments.append((self.start + i, seg))
        known = sid in self.program.known_ids
        # An id the guide does not know can be data: when a terminator is lost or forged,
        # whatever follows it (a patient's name, even a short one like LEE) is read as the
        # id. The message and location name only the guide's ids; any other id is the
        # issue's value, shown when the caller asks for values (IssueLog(show_values=True)).
        if known:
            what, shown = f"segment {sid} does not fit here", sid
        elif not sid:
            what, shown = "a segment with an empty id is not in this transaction set", None
        else:
            # no id in the location (a 999 built from the issue reads it from the segment)
            what, shown = "a segment whose id the guide does not know is not in this set", None
        where = self.loc(i, shown, o.c.spec.id)
        self.report(UNEXPECTED_SEGMENT, f"{what} (loop {o.c.spec.id})", where, value=sid)


def build_tree(
    segments: list[list[str]],
    guide: Guide,
    *,
    component: str,
    log: IssueLog,
    start_index: int = 1,
    offsets: Sequence[int] | None = None,
) -> LoopNode:
    """Place one transaction's segments into the loops of ``guide``; the root is ``ST_LOOP``.

    ``segments`` are the tokenizer's segments of one transaction set, ``ST`` first and ``SE``
    last; ``component`` is the component separator (ISA16), used to read a qualifier inside a
    composite (``SV101-1``). ``start_index`` is the :class:`~x12.errors.Location` segment index
    of ``segments[0]`` and ``offsets[i]`` (when given) the character offset of ``segments[i]``.
    Issues go to ``log`` (a strict log raises :class:`~x12.errors.X12StructureError` at the
    first error); the tree keeps every segment.
    """
    walker = LoopWalker(_program(guide), component, log, start_index, offsets)
    # The walk allocates many small objects and frees none: the cyclic collector would only
    # rescan them (as the tokenizer does, it is paused for the walk).
    with collector_paused():
        walker.feed(segments)
        return walker.finish()


def start_walk(
    guide: Guide,
    *,
    component: str,
    log: IssueLog,
    start_index: int = 1,
    units: frozenset[str] = frozenset(),
    max_hl: int | None = None,
) -> LoopWalker:
    """:func:`build_tree` in steps, for a transaction read in batches: ``feed`` each batch of
    segments (``ST`` first), then ``finish``. Occurrences of the loops ``units`` are listed
    on the walker's ``closed`` (with their parent loop's node) as they close, for a reader
    to build and detach them; ``max_hl`` bounds the HL levels kept as possible parents (the
    most recently used; an HL naming a forgotten parent is placed as one with an unknown
    parent, ``HL_PARENT_NOT_FOUND``)."""
    return LoopWalker(_program(guide), component, log, start_index, None, units, max_hl)
