"""Validation of any X12 transaction against a guide table: located findings by SNIP type.

The industry (WEDI SNIP) names seven types of checks; this engine runs the first five and
leaves the transaction's meaning to a caller's hooks:

1. **syntax and envelopes**: the tokenizer and :class:`~x12.envelope.EnvelopeReader` (ISA,
   GS/GE, ST/SE counts and control numbers, delimiters, encodings), and the ISA and GS
   elements themselves (codes, dates, times, control number shapes, ISA12 against the guide,
   GS01 against the transaction set: ``ISA09_INVALID``, ``GS01_INVALID``... one code per
   element, :func:`envelope_code`; a 999 / TA1 routes them with :func:`envelope_ack_codes`);
2. **implementation-guide rules**: :func:`x12.loops.build_tree` places every segment in the
   guide's loops (usage, max use, order, loop repeats, qualifiers) and :func:`check_segment`
   checks every element against the guide table (required, not used, code values, lengths,
   data types, dates and times, repetitions, components, the base standard's syntax notes
   such as ``P0304``);
3. **balancing**, 4. **situational rules** and 5. **code sets**: checks given by the
   transaction packages (``edi837.validation``, ``edi835.validation``) with a
   :class:`TransactionCheck` to report through: as :class:`UnitChecks`, run on each unit loop
   (an 837's 2000A/2000B, an 835's 2100/2000) as it closes, after which its segments are let
   go (a transaction, and a file given by its path, are checked as they are read, in memory
   that does not grow with them); or as hooks on each transaction's whole loop tree.

Every finding is an :class:`~x12.errors.Issue` (severity, stable code, plain message,
:class:`~x12.errors.Location`); messages never contain element values, so reports can be
logged and shared without patient data. :func:`snip_level` tells a finding's SNIP type.
A :class:`ValidationReport` answers with a 999 (:meth:`ValidationReport.to_999`, through
:func:`x12.ack.acknowledge`) or a TA1 (:meth:`ValidationReport.to_ta1`).

The validator never raises on its input: an unreadable file is a finding (``readable`` is
then False and the command lines exit 2).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as _dt
import json
import os
import pathlib
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import IO, TYPE_CHECKING, Any, NamedTuple, TextIO

import attrs

from x12.errors import Issue, IssueLog, Location, Severity, X12Error
from x12.gcpause import collector_paused
from x12.guide import ElementRule, ElementSpec, Guide, LoopSpec, SegmentSpec
from x12.loops import LoopNode, build_tree, start_walk

if TYPE_CHECKING:
    from x12.envelope import TransactionStream

__all__ = [
    "FUNCTIONAL_IDS",
    "SNIP_LEVELS",
    "TransactionCheck",
    "UnitChecks",
    "ValidationReport",
    "add_validate_command",
    "check_segment",
    "envelope_ack_codes",
    "envelope_code",
    "run_validate",
    "segment_spec",
    "snip_level",
    "validate",
]

# ---------------------------------------------------------------------------- finding codes
REQUIRED_DATA_ELEMENT_MISSING = "REQUIRED_DATA_ELEMENT_MISSING"
CONDITIONAL_REQUIRED_DATA_ELEMENT_MISSING = "CONDITIONAL_REQUIRED_DATA_ELEMENT_MISSING"
TOO_MANY_DATA_ELEMENTS = "TOO_MANY_DATA_ELEMENTS"
DATA_ELEMENT_TOO_SHORT = "DATA_ELEMENT_TOO_SHORT"
DATA_ELEMENT_TOO_LONG = "DATA_ELEMENT_TOO_LONG"
INVALID_CHARACTER_DATA = "INVALID_CHARACTER_DATA"
INVALID_CODE_VALUE = "INVALID_CODE_VALUE"
INVALID_DATE = "INVALID_DATE"
INVALID_TIME = "INVALID_TIME"
EXCLUSION_CONDITION_VIOLATED = "EXCLUSION_CONDITION_VIOLATED"
TOO_MANY_REPETITIONS = "TOO_MANY_REPETITIONS"
TOO_MANY_COMPONENTS = "TOO_MANY_COMPONENTS"
NOT_USED_ELEMENT_PRESENT = "NOT_USED_ELEMENT_PRESENT"
UNSUPPORTED_IMPLEMENTATION = "UNSUPPORTED_IMPLEMENTATION"
UNSUPPORTED_TRANSACTION = "UNSUPPORTED_TRANSACTION"
UNREADABLE_INPUT = "UNREADABLE_INPUT"
GUIDE_SUBSTITUTED = "GUIDE_SUBSTITUTED"
VALIDATOR_FAILURE = "VALIDATOR_FAILURE"

#: SNIP type of the engine's and the loop walker's codes; hooks name theirs when reporting.
SNIP_LEVELS: dict[str, int] = {
    **dict.fromkeys(
        (
            REQUIRED_DATA_ELEMENT_MISSING,
            CONDITIONAL_REQUIRED_DATA_ELEMENT_MISSING,
            TOO_MANY_DATA_ELEMENTS,
            DATA_ELEMENT_TOO_SHORT,
            DATA_ELEMENT_TOO_LONG,
            INVALID_CHARACTER_DATA,
            INVALID_CODE_VALUE,
            INVALID_DATE,
            INVALID_TIME,
            EXCLUSION_CONDITION_VIOLATED,
            TOO_MANY_REPETITIONS,
            TOO_MANY_COMPONENTS,
            NOT_USED_ELEMENT_PRESENT,
            UNSUPPORTED_IMPLEMENTATION,
            "UNEXPECTED_SEGMENT",
            "MANDATORY_SEGMENT_MISSING",
            "LOOP_OCCURS_OVER_MAX",
            "SEGMENT_EXCEEDS_MAXIMUM_USE",
            "SEGMENT_NOT_IN_PROPER_SEQUENCE",
            "HL_PARENT_NOT_FOUND",
            "HL_PARENT_MISMATCH",
        ),
        2,
    ),
}

_TEXT_TYPES = frozenset({"AN", "ID"})


def snip_level(issue: Issue) -> int:
    """The SNIP type (1-7) of a finding: 1 for syntax and envelope findings and anything
    this engine does not know; hooks' findings carry theirs in ``kind`` (``"snip3"``...)."""
    kind = issue.kind
    if kind.startswith("snip") and kind[4:] in ("1", "2", "3", "4", "5", "6", "7"):
        return int(kind[4:])
    return SNIP_LEVELS.get(issue.code, 1)


# ---------------------------------------------------------------------------- element checks
_RULES: dict[int, tuple[SegmentSpec, tuple[ElementRule, ...]]] = {}

#: One element finding: (code, element position, component position or None, message).
ElementFinding = tuple[str, int, int | None, str]


def _rules(spec: SegmentSpec) -> tuple[ElementRule, ...]:
    found = _RULES.get(id(spec))
    if found is None or found[0] is not spec:
        found = (spec, tuple(e.rule(i) for i, e in enumerate(spec.elements, 1)))
        _RULES[id(spec)] = found
    return found[1]


def _valid_date(v: str) -> bool:
    if not (v.isascii() and v.isdigit()) or len(v) not in (6, 8):
        return False
    try:
        if len(v) == 8:
            _dt.date(int(v[:4]), int(v[4:6]), int(v[6:]))
        else:
            _dt.date(2000 + int(v[:2]), int(v[2:4]), int(v[4:]))
    except ValueError:
        return False
    return True


def _valid_time(v: str) -> bool:
    if not (v.isascii() and v.isdigit()) or len(v) < 4 or len(v) == 5:
        return False
    hh, mm = int(v[:2]), int(v[2:4])
    ss = int(v[4:6]) if len(v) >= 6 else 0
    return hh < 24 and mm < 60 and ss < 60


def _value(r: ElementRule, v: str, pos: int, comp: int | None, out: list[ElementFinding]) -> None:
    """Check one simple value against its rule (``v`` is not empty)."""
    if r.usage == "N":
        out.append((NOT_USED_ELEMENT_PRESENT, pos, comp, f"{r.ref} is not used by the guide"))
        return
    if r.codes:
        if v not in r.codes:
            out.append((INVALID_CODE_VALUE, pos, comp, f"{r.ref} is not one of the guide's codes"))
        return
    dt = r.data_type
    if dt in _TEXT_TYPES:
        n = len(v)
    elif dt == "DT":
        if not _valid_date(v) or len(v) != r.max_len:
            out.append((INVALID_DATE, pos, comp, f"{r.ref} is not a valid date"))
        return
    elif dt == "TM":
        if not _valid_time(v) or len(v) > r.max_len:
            out.append((INVALID_TIME, pos, comp, f"{r.ref} is not a valid time"))
        return
    elif dt == "R":
        digits = v[1:] if v[:1] == "-" else v
        bare = digits.replace(".", "")
        if digits.count(".") > 1 or not (bare.isascii() and bare.isdigit()):
            out.append((INVALID_CHARACTER_DATA, pos, comp, f"{r.ref} is not a decimal number"))
            return
        n = len(digits.replace(".", ""))
    elif dt[:1] == "N":
        digits = v[1:] if v[:1] == "-" else v
        if not (digits.isascii() and digits.isdigit()):
            out.append((INVALID_CHARACTER_DATA, pos, comp, f"{r.ref} is not a whole number"))
            return
        n = len(digits)
    else:  # B and anything unknown: no shape to check
        return
    if n < r.min_len:
        out.append(
            (DATA_ELEMENT_TOO_SHORT, pos, comp, f"{r.ref} is shorter than {r.min_len} characters")
        )
    elif n > r.max_len:
        out.append(
            (DATA_ELEMENT_TOO_LONG, pos, comp, f"{r.ref} is longer than {r.max_len} characters")
        )


def _composite(r: ElementRule, v: str, pos: int, sep: str, out: list[ElementFinding]) -> None:
    parts = v.split(sep)
    comps = r.components
    n = len(parts)
    if n > len(comps) and any(parts[len(comps) :]):
        out.append(
            (TOO_MANY_COMPONENTS, pos, len(comps) + 1, f"{r.ref} has more components than allowed")
        )
    for k, (c, cv) in enumerate(zip(comps, parts, strict=False), 1):
        if cv:
            _value(c, cv, pos, k, out)
        elif c.usage == "R":
            out.append((REQUIRED_DATA_ELEMENT_MISSING, pos, k, f"{c.ref} is required"))
    for k in range(n + 1, len(comps) + 1):
        c = comps[k - 1]
        if c.usage == "R":
            out.append((REQUIRED_DATA_ELEMENT_MISSING, pos, k, f"{c.ref} is required"))


_REFS: dict[int, tuple[SegmentSpec, dict[int, str]]] = {}


def _refs(spec: SegmentSpec) -> dict[int, str]:
    found = _REFS.get(id(spec))
    if found is None or found[0] is not spec:
        found = (spec, {i: e.ref for i, e in enumerate(spec.elements, 1)})
        _REFS[id(spec)] = found
    return found[1]


def _syntax(spec: SegmentSpec, present: Sequence[bool], out: list[ElementFinding]) -> None:
    """The base standard's syntax notes (P paired, R one of, E only one, C / L conditional)."""
    n = len(present)

    def has(p: int) -> bool:
        return p <= n and present[p - 1]

    refs = _refs(spec)
    for kind, positions in spec.syntax:
        here = [p for p in positions if has(p)]
        if kind == "P" and here and len(here) != len(positions):
            for p in positions:
                if not has(p):
                    out.append(
                        (
                            CONDITIONAL_REQUIRED_DATA_ELEMENT_MISSING,
                            p,
                            None,
                            f"{refs.get(p, p)} is required with the elements it is paired with",
                        )
                    )
        elif kind == "R" and not here:
            p = positions[0]
            out.append(
                (
                    CONDITIONAL_REQUIRED_DATA_ELEMENT_MISSING,
                    p,
                    None,
                    f"at least one of {', '.join(str(refs.get(q, q)) for q in positions)}"
                    " is required",
                )
            )
        elif kind == "E" and len(here) > 1:
            out.append(
                (
                    EXCLUSION_CONDITION_VIOLATED,
                    here[1],
                    None,
                    f"only one of {', '.join(str(refs.get(q, q)) for q in positions)} may be used",
                )
            )
        elif kind == "C" and has(positions[0]):
            for p in positions[1:]:
                if not has(p):
                    out.append(
                        (
                            CONDITIONAL_REQUIRED_DATA_ELEMENT_MISSING,
                            p,
                            None,
                            f"{refs.get(p, p)} is required when"
                            f" {refs.get(positions[0], positions[0])} is present",
                        )
                    )
        elif kind == "L" and has(positions[0]) and not any(has(p) for p in positions[1:]):
            p = positions[1] if len(positions) > 1 else positions[0]
            out.append(
                (
                    CONDITIONAL_REQUIRED_DATA_ELEMENT_MISSING,
                    p,
                    None,
                    f"one of {', '.join(str(refs.get(q, q)) for q in positions[1:])} is required"
                    f" when {refs.get(positions[0], positions[0])} is present",
                )
            )


#: Segments whose date element is typed by a format qualifier (DTP02 / DMG01 = D8, RD8...):
#: segment id -> (qualifier position, value position, reference designator).
_FORMATTED: dict[str, tuple[int, int, str]] = {
    "DTP": (2, 3, "DTP03"),
    "DMG": (1, 2, "DMG02"),
    "DTM": (5, 6, "DTM06"),
}


def _formatted_date(
    seg: Sequence[str], qual_pos: int, pos: int, ref: str, out: list[ElementFinding]
) -> None:
    if pos >= len(seg) or not seg[pos]:
        return
    fmt, v = seg[qual_pos], seg[pos]
    if fmt == "D8":
        ok = len(v) == 8 and _valid_date(v)
    elif fmt == "RD8":
        start, _, end = v.partition("-")
        ok = len(start) == len(end) == 8 and _valid_date(start) and _valid_date(end)
        ok = ok and start <= end
    else:
        return
    if not ok:
        out.append((INVALID_DATE, pos, None, f"{ref} is not a valid date for its format ({fmt})"))


def check_segment(
    spec: SegmentSpec, seg: Sequence[str], component: str, repetition: str | None
) -> list[ElementFinding]:
    """Every element finding of a raw segment (``seg[0]`` is its id) against its guide spec.

    Composites are split at ``component``, repeated elements at ``repetition``. Messages name
    the element (``CLM02``), never its value.
    """
    out: list[ElementFinding] = []
    rules = _rules(spec)
    n = len(seg) - 1
    if n > len(rules) and any(seg[len(rules) + 1 :]):
        out.append(
            (
                TOO_MANY_DATA_ELEMENTS,
                len(rules) + 1,
                None,
                f"{spec.id} has more elements than the guide's {len(rules)}",
            )
        )
    for pos, r in enumerate(rules, 1):
        v = seg[pos] if pos <= n else ""
        if not v:
            if r.usage == "R":
                out.append(
                    (REQUIRED_DATA_ELEMENT_MISSING, pos, None, f"{r.ref} is required by the guide")
                )
            continue
        values = [v]
        if repetition and r.repeat > 1 and repetition in v:
            values = v.split(repetition)
            if len(values) > r.repeat:
                out.append(
                    (
                        TOO_MANY_REPETITIONS,
                        pos,
                        None,
                        f"{r.ref} repeats more than {r.repeat} times",
                    )
                )
        for one in values:
            if not one:
                continue
            if r.components:
                if r.usage == "N":
                    out.append(
                        (NOT_USED_ELEMENT_PRESENT, pos, None, f"{r.ref} is not used by the guide")
                    )
                    break
                _composite(r, one, pos, component, out)
            else:
                _value(r, one, pos, None, out)
    formatted = _FORMATTED.get(seg[0])
    if formatted is not None:
        _formatted_date(seg, *formatted, out)
    if spec.syntax:
        present = [bool(seg[i]) if i <= n else False for i in range(1, len(rules) + 1)]
        _syntax(spec, present, out)
    return out


_SPECS: dict[int, tuple[LoopSpec, dict[tuple[str, str | None], SegmentSpec]]] = {}


def _segment_table(loop: LoopSpec) -> dict[tuple[str, str | None], SegmentSpec]:
    found = _SPECS.get(id(loop))
    if found is None or found[0] is not loop:
        table: dict[tuple[str, str | None], SegmentSpec] = {}
        for spec in loop.segments:
            table.setdefault((spec.id, None), spec)
            if spec.qualifier is not None:
                for code in spec.qualifier_codes:
                    table.setdefault((spec.id, code), spec)
        found = (loop, table)
        _SPECS[id(loop)] = found
    return found[1]


def segment_spec(loop: LoopSpec, seg: Sequence[str], component: str) -> SegmentSpec | None:
    """The spec of a raw segment placed in ``loop``: by id and qualifier (``NM1*85``), else
    the loop's first segment with that id; ``None`` when the loop has no such segment."""
    table = _segment_table(loop)
    seg_id = seg[0]
    first = table.get((seg_id, None))
    if first is None or first.qualifier is None:
        return first
    e, c = first.qualifier
    value = seg[e] if e < len(seg) else ""
    if c:
        parts = value.split(component)
        value = parts[c - 1] if c <= len(parts) else ""
    return table.get((seg_id, value), first)


# ---------------------------------------------------------------------------- SNIP 1: envelopes
#: ST01 -> the GS01 functional identifier its group must carry (X12's table of data element
#: 479, as the control map of pyx12 lists it for the 005010 health care guides).
FUNCTIONAL_IDS: dict[str, str] = {
    "270": "HS",
    "271": "HB",
    "276": "HR",
    "277": "HN",
    "278": "HI",
    "820": "RA",
    "834": "BE",
    "835": "HP",
    "837": "HC",
    "999": "FA",
}

_ID_QUALIFIERS = ("01", "14", "20", "27", "28", "29", "30", "33", "ZZ")  # ISA05 / ISA07 (I05)


def _env(ref: str, usage: str, data_type: str, lo: int, hi: int, *codes: str) -> ElementSpec:
    return ElementSpec(ref, ref, usage, data_type, lo, hi, codes=codes)


#: The ISA as the envelope reader gives it (values stripped of their padding, so the fixed
#: lengths are checked by the reader: ``ISA_NOT_FIXED_LENGTH``). ISA11 and ISA16 are the
#: separators the reader found; ISA12 is checked against the guide's version.
_ISA_ELEMENTS = (
    _env("ISA01", "R", "ID", 2, 2, "00", "03"),
    _env("ISA02", "S", "AN", 1, 10),
    _env("ISA03", "R", "ID", 2, 2, "00", "01"),
    _env("ISA04", "S", "AN", 1, 10),
    _env("ISA05", "R", "ID", 2, 2, *_ID_QUALIFIERS),
    _env("ISA06", "R", "AN", 1, 15),
    _env("ISA07", "R", "ID", 2, 2, *_ID_QUALIFIERS),
    _env("ISA08", "R", "AN", 1, 15),
    _env("ISA09", "R", "DT", 6, 6),
    _env("ISA10", "R", "TM", 4, 4),
    _env("ISA11", "S", "B", 1, 1),
    _env("ISA12", "R", "ID", 5, 5),
    _env("ISA13", "R", "N0", 9, 9),
    _env("ISA14", "R", "ID", 1, 1, "0", "1"),
    _env("ISA15", "R", "ID", 1, 1, "P", "T"),
    _env("ISA16", "S", "B", 1, 1),
)
_GS_ELEMENTS = (
    _env("GS01", "R", "ID", 2, 2),
    _env("GS02", "R", "AN", 2, 15),
    _env("GS03", "R", "AN", 2, 15),
    _env("GS04", "R", "DT", 8, 8),
    _env("GS05", "R", "TM", 4, 8),
    _env("GS06", "R", "N0", 1, 9),
    _env("GS07", "R", "ID", 1, 2, "X"),
    _env("GS08", "R", "AN", 1, 12),
)
_ENVELOPE_SPECS: dict[tuple[str, str, str], SegmentSpec] = {}


def _envelope_spec(seg_id: str, version: str, functional_id: str) -> SegmentSpec:
    """The ISA (its ISA12 = ``version``) or GS (its GS01 = ``functional_id``) as a spec."""
    key = (seg_id, version, functional_id)
    spec = _ENVELOPE_SPECS.get(key)
    if spec is None:
        elements = list(_ISA_ELEMENTS if seg_id == "ISA" else _GS_ELEMENTS)
        if seg_id == "ISA" and version:
            elements[11] = _env("ISA12", "R", "ID", 5, 5, version)
        if seg_id == "GS" and functional_id:
            elements[0] = _env("GS01", "R", "ID", 2, 2, functional_id)
        spec = SegmentSpec(seg_id, seg_id, "R", 1, 1, elements=tuple(elements))
        _ENVELOPE_SPECS[key] = spec
    return spec


def envelope_code(seg_id: str, position: int) -> str:
    """The stable code of an invalid envelope element: ``ISA09_INVALID``, ``GS01_INVALID``."""
    return f"{seg_id}{position:02d}_INVALID"


def _check_envelope(
    seg_id: str, values: Sequence[str], index: int, version: str, functional_id: str
) -> list[Issue]:
    """SNIP 1 findings on the elements of an ISA or GS (``values[0]`` is its id)."""
    spec = _envelope_spec(seg_id, version, functional_id)
    out: list[Issue] = []
    seen: set[int] = set()
    for _code, pos, _comp, message in check_segment(spec, values, "\x00", None):
        if pos in seen:
            continue
        seen.add(pos)
        if seg_id == "GS" and pos == 1 and functional_id and values[1] != functional_id:
            message = f"GS01 is not {functional_id}, the functional identifier of this transaction"
        out.append(
            Issue(
                Severity.ERROR,
                envelope_code(seg_id, pos),
                message,
                Location(index, seg_id, None, pos),
                "snip1",
            )
        )
    return out


def _isa_values(isa: Any) -> list[str]:
    return [
        "ISA",
        isa.authorization_qualifier,
        isa.authorization,
        isa.security_qualifier,
        isa.security,
        isa.sender_qualifier,
        isa.sender_id,
        isa.receiver_qualifier,
        isa.receiver_id,
        isa.date,
        isa.time,
        isa.repetition_separator or "",
        isa.version,
        isa.control_number,
        isa.ack_requested,
        isa.usage,
        isa.component_separator,
    ]


def _gs_values(gs: Any) -> list[str]:
    return [
        "GS",
        gs.functional_id,
        gs.sender,
        gs.receiver,
        gs.date,
        gs.time,
        gs.control_number,
        gs.agency,
        gs.version,
    ]


def envelope_ack_codes() -> dict[str, Any]:
    """Where the envelope findings go in a 999 / TA1 (``codes`` of :mod:`x12.ack`): ISA
    elements to the TA1 with the note naming the element (TA105: 014 invalid date...), GS
    elements to the functional group (AK905: 1 GS01 not supported for the transaction, 6
    GS06 control number syntax)."""
    from x12.ack import AckCode, AckLevel

    notes = {1: "010", 2: "011", 3: "012", 4: "013", 5: "005", 6: "006", 7: "007", 8: "008"}
    notes.update({9: "014", 10: "015", 11: "026", 12: "017", 13: "018", 14: "019", 15: "020"})
    notes[16] = "027"
    codes: dict[str, Any] = {
        envelope_code("ISA", n): AckCode(AckLevel.INTERCHANGE, note) for n, note in notes.items()
    }
    for n in range(1, 9):
        group = {1: "1", 6: "6"}.get(n)
        codes[envelope_code("GS", n)] = AckCode(AckLevel.GROUP, group)
    return codes


# ---------------------------------------------------------------------------- transaction hooks
@attrs.define(slots=True, eq=False)
class TransactionCheck:
    """What a SNIP 3-5 hook gets for one transaction: its loop tree and a way to report.

    ``tree`` is the :class:`~x12.loops.LoopNode` of ``ST`` .. ``SE`` (segment indexes as in
    the report's locations); ``component`` / ``repetition`` are the interchange's separators.
    """

    tree: LoopNode
    guide: Guide
    implementation: str
    control_number: str
    component: str
    repetition: str | None
    log: IssueLog
    today: _dt.date

    def report(
        self,
        code: str,
        message: str,
        index: int,
        seg: Sequence[str] | None,
        loop: str | None,
        *,
        snip: int,
        element: int | None = None,
        component: int | None = None,
        severity: Severity = Severity.ERROR,
    ) -> None:
        """Record a finding at segment ``index`` (``seg`` its raw segment) in ``loop``."""
        location = Location(
            index,
            seg[0] if seg else None,
            loop,
            element,
            component,
            transaction=self.control_number,
        )
        self.log.report(code, message, location, severity=severity, kind=f"snip{snip}")

    def components(self, value: str) -> list[str]:
        """A composite's components."""
        return value.split(self.component)


Hook = Callable[[TransactionCheck], None]

#: What :func:`validate` reads: X12 text or bytes, or the path of a file (read as it is
#: checked, never held whole).
Input = str | bytes | os.PathLike[str]


@contextlib.contextmanager
def opened(source: Input) -> Iterator[str | bytes | IO[bytes]]:
    """``source`` as the envelope reader takes it: a path opened (binary) for the block."""
    if isinstance(source, os.PathLike):
        with open(source, "rb") as fp:
            yield fp
    else:
        yield source


class UnitChecks(NamedTuple):
    """SNIP 3-5 checks a transaction package makes loop by loop, so that :func:`validate`
    checks a transaction as it reads it instead of on its whole tree.

    ``check(ctx, top)`` checks the loop ``top`` and the loops nested in it: each occurrence
    of ``loops`` as it closes (those nested in it that are units too have been checked and
    detached already), then at SE the root, with what is left. It must find, over all its
    calls, what it would find called once on the whole tree (a check that needs what several
    units hold keeps it on a node's ``state``, which stays when its segments go).
    ``max_hl`` bounds the HL levels kept as possible parents (see
    :func:`x12.loops.start_walk`).
    """

    loops: frozenset[str]
    check: Callable[[TransactionCheck, LoopNode], None]
    max_hl: int | None = 4096


# ---------------------------------------------------------------------------- the report
@attrs.frozen(slots=True)
class ValidationReport:
    """The findings of one validation, in file order, and what was read.

    ``readable`` is False when the input could not be read as X12 at all (not an interchange,
    an encoding that does not decode...). :meth:`to_999` / :meth:`to_ta1` answer the input
    (a file validated by its path is read again from it).
    """

    findings: tuple[Issue, ...]
    transactions: int = 0
    segments: int = 0
    readable: bool = True
    _source: Input = attrs.field(default="", repr=False, eq=False, alias="source")
    _envelope_codes: frozenset[int] = attrs.field(
        default=frozenset(), repr=False, eq=False, alias="envelope_codes"
    )

    @property
    def errors(self) -> list[Issue]:
        return [f for f in self.findings if f.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Issue]:
        return [f for f in self.findings if f.severity is Severity.WARNING]

    @property
    def ok(self) -> bool:
        """No error findings (warnings allowed)."""
        return self.readable and not self.errors

    def by_snip(self) -> dict[int, int]:
        """Number of error findings per SNIP type."""
        out: dict[int, int] = {}
        for f in self.errors:
            level = snip_level(f)
            out[level] = out.get(level, 0) + 1
        return dict(sorted(out.items()))

    def exit_code(self) -> int:
        """0 no errors, 1 errors, 2 unreadable (the command lines' convention)."""
        if not self.readable:
            return 2
        return 1 if self.errors else 0

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON: counts and each finding with its location and SNIP type."""

        def loc(f: Issue) -> dict[str, Any] | None:
            if f.location is None:
                return None
            return {k: v for k, v in attrs.asdict(f.location).items() if v is not None and v != ""}

        return {
            "ok": self.ok,
            "readable": self.readable,
            "transactions": self.transactions,
            "segments": self.segments,
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "findings": [
                {
                    "severity": f.severity.value,
                    "code": f.code,
                    "snip": snip_level(f),
                    "message": f.message,
                    "location": loc(f),
                }
                for f in self.findings
            ],
        }

    def to_json(self, *, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent)

    def __str__(self) -> str:
        lines = [str(f) for f in self.findings]
        state = "valid" if self.ok else ("unreadable" if not self.readable else "NOT valid")
        lines.append(
            f"{state}: {self.transactions} transaction(s), {self.segments} segment(s);"
            f" {len(self.errors)} error(s), {len(self.warnings)} warning(s)"
        )
        return "\n".join(lines)

    def with_findings(self, extra: Iterable[Issue]) -> ValidationReport:
        """This report with ``extra`` findings (e.g. a transaction's own checks) merged in
        file order."""
        envelope = [f for i, f in enumerate(self.findings) if i in self._envelope_codes]
        findings = _ordered([*self.findings, *extra])
        env_ids = {id(f) for f in envelope}
        return ValidationReport(
            tuple(findings),
            self.transactions,
            self.segments,
            self.readable,
            source=self._source,
            envelope_codes=frozenset(k for k, f in enumerate(findings) if id(f) in env_ids),
        )

    def to_999(self, **kwargs: Any) -> str:
        """A 005010X231A1 999 answering every functional group of the input from these
        findings (accepted, accepted with errors or rejected; IK3/IK4/IK5/AK9 filled).

        The 999 says what the report says: a transaction set with an error finding is
        rejected, one without is accepted (warnings, such as ``GUIDE_SUBSTITUTED``, are not
        errors; ``include_warnings=True`` reports them as "accepted, errors noted").
        Keyword arguments go to :func:`x12.ack.acknowledge` (``options``,
        ``control_numbers``, ``show_values``, ``codes``...). Raises
        :class:`~x12.errors.X12Error` when the input has no functional group a 999 can
        answer (answer it with :meth:`to_ta1`).
        """
        from x12.ack import acknowledge

        kwargs["codes"] = {**envelope_ack_codes(), **(kwargs.get("codes") or {})}
        include_warnings = kwargs.setdefault("include_warnings", False)
        # The envelope findings go too: acknowledge() reads the input again leniently, where
        # some of them (SE01 count...) are only warnings, yet this report counts them errors.
        findings = [f for f in self.findings if include_warnings or f.severity is Severity.ERROR]
        with opened(self._source) as source:
            return acknowledge(source, findings, **kwargs)

    def to_ta1(self, **kwargs: Any) -> str:
        """A TA1 for the first interchange: accepted, or rejected with the note code of its
        first interchange-level finding (keyword arguments go to :func:`x12.ack.build_ta1`)."""
        from x12.ack import build_ta1
        from x12.envelope import EnvelopeReader

        header = None
        with opened(self._source) as source:  # read up to the first transaction set only
            for tx in EnvelopeReader(source, log=IssueLog()).transactions():
                header = tx.interchange if tx.interchange.index else None
                break
        if header is None:
            raise X12Error("no interchange header (ISA) to answer with a TA1")
        kwargs["codes"] = {**envelope_ack_codes(), **(kwargs.get("codes") or {})}
        return build_ta1(list(self.findings), for_interchange=header, **kwargs)


# ---------------------------------------------------------------------------- the engine
def _elements(
    ctx: TransactionCheck,
    nodes: Iterable[LoopNode],
    memo: _Memo,
) -> None:
    """SNIP 2 element checks over every segment of ``nodes`` (a loop's ``iter()``).

    ``memo`` holds the findings of segments already checked (a segment seen again, its
    whole text equal under the same table entry, is not checked again): bounded, emptied
    past :data:`_MEMO_MAX` entries."""
    component, repetition, log = ctx.component, ctx.repetition, ctx.log
    for node in nodes:
        spec_loop = node.spec
        loop_id = spec_loop.id
        for index, seg in node.segments:
            spec = segment_spec(spec_loop, seg, component)
            if spec is None:
                continue  # the walker reported it
            key = (id(spec), tuple(seg))
            found = memo.get(key)
            if found is None:
                found = check_segment(spec, seg, component, repetition)
                if len(memo) > _MEMO_MAX:
                    memo.clear()
                memo[key] = found
            for code, pos, comp, message in found:
                log.report(
                    code,
                    message,
                    Location(index, seg[0], loop_id, pos, comp, transaction=ctx.control_number),
                    kind="value",
                )


#: Checked segments remembered by :func:`_elements` (their text and findings).
_MEMO_MAX = 10_000
_Memo = dict[tuple[int, tuple[str, ...]], list[ElementFinding]]


def _is_st03_code(issue: Issue, st_index: int) -> bool:
    loc = issue.location
    return (
        issue.code == INVALID_CODE_VALUE
        and loc is not None
        and loc.segment_index == st_index
        and loc.element == 3
    )


def _dedupe(issues: Iterable[Issue]) -> list[Issue]:
    seen: set[tuple[Any, ...]] = set()
    out: list[Issue] = []
    for i in issues:
        loc = i.location
        key = (
            i.code,
            loc.segment_index if loc else None,
            loc.element if loc else None,
            loc.component if loc else None,
        )
        if key in seen:
            continue
        seen.add(key)
        out.append(i)
    return out


def validate(
    source: Input,
    *,
    guides: Mapping[str, Guide] | Callable[[str], Guide | None],
    hooks: Sequence[Hook] = (),
    transaction_ids: Sequence[str] = (),
    today: _dt.date | None = None,
    pyx12: bool = False,
    units: UnitChecks | None = None,
) -> ValidationReport:
    """Validate every transaction of ``source`` whose implementation (ST03, else GS08) has a
    guide: ``guides`` maps implementations to guides, or is a function that finds one (and
    may return a close version's guide, e.g. X222A1's for an X222A2 file: the report then
    warns with ``GUIDE_SUBSTITUTED``). ``source`` is X12 text or bytes, or a file's path
    (:class:`os.PathLike`: read as checked). ``hooks`` add the transaction's own SNIP 3-5 checks,
    on its whole loop tree; ``units`` (:class:`UnitChecks`, instead of ``hooks``) add them
    loop by loop, and the transaction is then checked as it is read: memory holds the loops
    still open, not the transaction's tree.

    ``transaction_ids`` (e.g. ``("837",)``) are the ST01 values expected; others are
    findings. ``today`` is the date "in the future" is judged against (default: today).
    ``pyx12=True`` adds pyx12's findings (slow; see :mod:`x12.pyx12_check`). Never raises on
    its input.
    """
    from x12.envelope import EnvelopeReader

    if units is not None and hooks:
        raise ValueError("validate: give hooks (whole tree) or units (loop by loop), not both")
    today = today or _dt.date.today()
    env_log = IssueLog(strict=True, collect=True, max_issues=None)
    log = IssueLog(strict=True, collect=True, max_issues=None)
    transactions = 0
    segments = 0
    readable = True
    checked_isa: set[int] = set()
    checked_gs: set[int] = set()
    # Many small acyclic objects and none freed: the cyclic collector would only rescan them.
    with collector_paused(), contextlib.ExitStack() as stack:
        try:
            reader = EnvelopeReader(stack.enter_context(opened(source)), log=env_log)
            for tx in reader.transactions():
                transactions += 1
                impl = tx.implementation
                guide = guides(impl) if callable(guides) else guides.get(impl)
                # SNIP 1: the ISA and GS are checked once each, whether or not a guide table
                # exists for the transaction (an interchange's date is wrong either way).
                isa, gs = tx.interchange, tx.group
                if isa.index > 0 and isa.index not in checked_isa:
                    checked_isa.add(isa.index)
                    version = guide.id[:5] if guide is not None else ""  # ISA12 shape only
                    env_log.issues.extend(
                        _check_envelope("ISA", _isa_values(isa), isa.index, version, "")
                    )
                if gs.index > 0 and gs.index not in checked_gs:
                    checked_gs.add(gs.index)
                    env_log.issues.extend(
                        _check_envelope(
                            "GS", _gs_values(gs), gs.index, "", FUNCTIONAL_IDS.get(tx.id, "")
                        )
                    )
                if transaction_ids and tx.id not in transaction_ids:
                    log.report(
                        UNSUPPORTED_TRANSACTION,
                        f"transaction set {tx.id} is not one of {', '.join(transaction_ids)}",
                        tx.location(),
                    )
                    tx.drain()
                    continue
                if guide is None:
                    log.report(
                        UNSUPPORTED_IMPLEMENTATION,
                        "no guide table for this implementation (ST03/GS08)",
                        tx.location(),
                    )
                    tx.drain()
                    continue
                if guide.id != impl:
                    log.warn(
                        GUIDE_SUBSTITUTED,
                        f"no table for this implementation; validated against {guide.id}",
                        tx.location(),
                    )
                if units is None:
                    segments += _whole(tx, guide, impl, hooks, log, today)
                else:
                    segments += _streamed(tx, guide, impl, units, log, today)
        except X12Error as exc:
            readable = transactions > 0
            env_log.issues.append(
                Issue(Severity.ERROR, exc.code or UNREADABLE_INPUT, exc.message, exc.location)
            )
    envelope = _dedupe(env_log.issues)
    others = _dedupe(log.issues)
    if pyx12 and readable:
        others.extend(_pyx12_findings(source))
    if transactions == 0:
        readable = False
        if not any(f.severity is Severity.ERROR for f in envelope):
            envelope.append(
                Issue(Severity.ERROR, UNREADABLE_INPUT, "no transaction set found", Location(0))
            )
    findings = _ordered([*envelope, *others])
    env_ids = {id(f) for f in envelope}
    env_positions = frozenset(k for k, f in enumerate(findings) if id(f) in env_ids)
    return ValidationReport(
        tuple(findings),
        transactions,
        segments,
        readable,
        source=source,
        envelope_codes=env_positions,
    )


def _whole(
    tx: TransactionStream,
    guide: Guide,
    impl: str,
    hooks: Sequence[Hook],
    log: IssueLog,
    today: _dt.date,
) -> int:
    """Check one transaction on its whole loop tree; the number of its segments."""
    memo: _Memo = {}  # per transaction: its findings depend on the separators
    segs = tx.read_all()
    d = tx.delimiters
    tree = build_tree(segs, guide, component=d.component, log=log, start_index=tx.start_index)
    ctx = TransactionCheck(
        tree, guide, impl, tx.control_number, d.component, d.repetition or None, log, today
    )
    before = len(log.issues)
    _elements(ctx, tree.iter(), memo)
    _drop_st03_codes(ctx, tx.start_index, before)
    for hook in hooks:
        try:
            hook(ctx)
        except _HOOK_FAILURES:
            _hook_failed(ctx, tx.start_index)
    return len(segs)


def _streamed(
    tx: TransactionStream,
    guide: Guide,
    impl: str,
    units: UnitChecks,
    log: IssueLog,
    today: _dt.date,
) -> int:
    """Check one transaction as it is read: each occurrence of ``units.loops`` when it
    closes (its element checks, then ``units.check``), after which its segments are let go
    and it is detached; at SE what is left of the tree. The number of its segments.

    The findings are those of :func:`_whole` with ``units.check`` as a hook on the whole tree
    (the report's order is the same: findings are sorted by segment, and at one segment come
    in the same order) but for: an HL naming a parent more than ``units.max_hl`` levels back
    (least recently used) gets ``HL_PARENT_NOT_FOUND``; a check that fails on one damaged loop
    (``VALIDATOR_FAILURE``, once per transaction) still runs on the others.
    """
    memo: _Memo = {}
    d = tx.delimiters
    walker = start_walk(
        guide,
        component=d.component,
        log=log,
        start_index=tx.start_index,
        units=units.loops,
        max_hl=units.max_hl,
    )
    ctx = TransactionCheck(
        walker.root, guide, impl, tx.control_number, d.component, d.repetition or None, log, today
    )
    failed = [False]
    walker.feed([tx.st])
    count = 2  # ST and SE
    for batch in tx.batches():
        count += len(batch)
        walker.feed(batch)
        _check_units(ctx, walker.closed, units, memo, failed, tx.start_index)
    walker.feed([tx.se if tx.se is not None else ["SE"]])
    root = walker.finish()
    _check_units(ctx, walker.closed, units, memo, failed, tx.start_index)
    before = len(log.issues)
    _elements(ctx, root.iter(), memo)
    _drop_st03_codes(ctx, tx.start_index, before)
    _run_check(ctx, units, root, failed, tx.start_index)
    return count


def _check_units(
    ctx: TransactionCheck,
    closed: list[tuple[LoopNode, LoopNode | None]],
    units: UnitChecks,
    memo: _Memo,
    failed: list[bool],
    st_index: int,
) -> None:
    """Check the unit loops that closed, then empty them (their ``state`` stays: a later HL
    may return to one) and detach them from their parents."""
    for node, parent in closed:
        nodes = list(node.iter())
        _elements(ctx, nodes, memo)
        _run_check(ctx, units, node, failed, st_index)
        for n in nodes:
            n.segments.clear()
            n.children.clear()
        if parent is not None:
            parent.detach(node)
    closed.clear()


def _run_check(
    ctx: TransactionCheck, units: UnitChecks, top: LoopNode, failed: list[bool], st_index: int
) -> None:
    try:
        units.check(ctx, top)
    except _HOOK_FAILURES:
        if not failed[0]:
            failed[0] = True
            _hook_failed(ctx, st_index)


#: What a check may raise on damaged data (reported as ``VALIDATOR_FAILURE``, never raised).
_HOOK_FAILURES = (ArithmeticError, LookupError, TypeError, ValueError, AttributeError)


def _hook_failed(ctx: TransactionCheck, st_index: int) -> None:
    ctx.log.report(
        VALIDATOR_FAILURE,
        "a check could not finish on this transaction (its data is damaged)",
        Location(st_index, "ST", transaction=ctx.control_number),
    )


def _drop_st03_codes(ctx: TransactionCheck, st_index: int, before: int) -> None:
    """When the guide is a close version's (``GUIDE_SUBSTITUTED`` says so), ST03 names the
    file's version, not a wrong code: drop that finding among those after ``before``."""
    if ctx.guide.id != ctx.implementation:
        issues = ctx.log.issues
        issues[before:] = [i for i in issues[before:] if not _is_st03_code(i, st_index)]


def _ordered(findings: Iterable[Issue]) -> list[Issue]:
    """Findings in file order (by segment index; those without one first), stable."""
    return sorted(
        findings,
        key=lambda f: (
            f.location.segment_index if f.location and f.location.segment_index is not None else -1
        ),
    )


def _pyx12_findings(source: Input) -> list[Issue]:
    from x12.pyx12_check import validate_with_pyx12

    if isinstance(source, os.PathLike):  # pyx12 reads a whole text
        with open(source, "rb") as fp:
            source = fp.read()
    text = source
    if isinstance(text, bytes):
        from x12.encoding import decode_bytes

        try:
            text = decode_bytes(text)
        except X12Error:
            return []
    return list(validate_with_pyx12(text).findings)


# ---------------------------------------------------------------------------- command line
def add_validate_command(
    subparsers: Any,
    validator: Callable[..., ValidationReport],
    *,
    prog: str,
) -> argparse.ArgumentParser:
    """Add ``validate FILE [--format text|json] [--ack 999|ta1 -o ACK] [--pyx12]`` to a
    command line's subparsers; ``validator(data, pyx12=...)`` makes the report."""
    s: argparse.ArgumentParser = subparsers.add_parser(
        "validate", help="check the file against the guide (SNIP 1-5); exit 1 on errors"
    )
    s.add_argument("file", help=f"the file to validate ({prog}), or - for standard input")
    s.add_argument("--format", choices=("text", "json"), default="text")
    s.add_argument("--ack", choices=("999", "ta1"), help="also write an acknowledgment")
    s.add_argument("-o", "--output", help="where --ack writes (default: standard output)")
    s.add_argument("--pyx12", action="store_true", help="also run pyx12's validator (slow)")
    s.set_defaults(func=run_validate, validator=validator)
    return s


def run_validate(
    args: argparse.Namespace, out: TextIO | None = None, err: TextIO | None = None
) -> int:
    """Run ``validate`` from its parsed arguments: print the findings (text or JSON), write
    the acknowledgment when asked; exit code 0 no errors, 1 errors, 2 unreadable."""
    out = out or sys.stdout
    err = err or sys.stderr
    with contextlib.ExitStack() as stack:
        try:
            # a file is read as it is checked, never held whole; standard input is copied to a
            # temporary file first (the acknowledgment reads its input again)
            if args.file == "-":
                data: Input = stack.enter_context(_spooled_stdin())
            else:
                data = _path(args.file)
            report: ValidationReport = args.validator(data, pyx12=args.pyx12)
        except OSError as exc:
            print(f"validate: {args.file}: {exc.strerror or exc}", file=err)
            return 2
        return _answer(args, report, out, err)


@contextlib.contextmanager
def _spooled_stdin(chunk: int = 1 << 20) -> Iterator[pathlib.Path]:
    """Standard input copied, a chunk at a time, to a file in a temporary folder: its path,
    until the block ends (then both are removed)."""
    import shutil
    import tempfile

    with tempfile.TemporaryDirectory(prefix="x12-validate-") as folder:
        path = pathlib.Path(folder) / "stdin.x12"
        with open(path, "wb") as fp:
            shutil.copyfileobj(sys.stdin.buffer, fp, chunk)
        yield path


def _answer(args: argparse.Namespace, report: ValidationReport, out: TextIO, err: TextIO) -> int:
    """Print ``report`` as ``args`` ask and write its acknowledgment (``--ack``); the exit code."""
    if args.format == "json":
        out.write(report.to_json() + "\n")
    else:
        print(report, file=out)
    if args.ack and report.readable:
        from x12.errors import X12Error
        from x12.fileio import atomic_write_text

        try:
            ack = report.to_999() if args.ack == "999" else report.to_ta1()
        except X12Error as exc:
            print(f"validate: no {args.ack} can answer this input: {exc}", file=err)
            # a readable file keeps its verdict (1: the errors that leave no group to answer)
            return report.exit_code() or 2
        if args.output and args.output != "-":
            inputs: Sequence[str] = [] if args.file == "-" else [args.file]
            atomic_write_text(args.output, ack, inputs=inputs)
            print(f"wrote {args.output}", file=err)
        else:
            out.write(ack + "\n")
    return report.exit_code()


def _path(path: str) -> pathlib.Path:
    """The file to validate, once opened: the OSError that says why it cannot be (no such
    file, a directory, no permission) comes here."""
    found = pathlib.Path(path)
    with open(found, "rb"):
        pass
    return found
