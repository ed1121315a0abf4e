"""Acknowledgments: the 999 (005010X231A1) and the TA1, written from findings and read back.

A clearinghouse answers an interchange with a TA1 (did the ISA/IEA envelope make sense?) and
each functional group with a 999 (was each transaction set syntactically and structurally
acceptable?). This module holds both as plain attrs records (the x12 layer cannot import
``models``), a writer and a reader for each:

* :func:`acknowledge_group` turns located findings (:class:`~x12.errors.Issue`) about one
  functional group into an :class:`Ack999` record; :func:`write_999` writes records as an
  interchange; :func:`build_999` does both. :func:`acknowledge` reads an input and writes the
  999 for every functional group in it.
* :func:`read_999` reads 999s back into :class:`Ack999` records (which group and transaction
  sets were accepted or rejected, and why: IK3 segment errors, IK4 element errors, CTX
  context), leniently or strictly, never crashing on bad input.
* :func:`acknowledge_interchange`, :func:`write_ta1`, :func:`build_ta1` and :func:`read_ta1`
  do the same for the TA1 (TA101 ISA13, TA102 ISA09, TA103 ISA10, TA104 A/E/R, TA105 note).

Finding codes become 999 codes through one table, :data:`FINDING_CODES` (a finding code ->
:class:`AckCode` giving the level and the code), plus the rules of :func:`classify` for
pyx12's findings (``pyx12:<code>``, whose codes are already 999/TA1 codes at their level).
Every code the writer emits is one of the code lists of the 999 guide as pyx12's map
``999.5010X231A1.xml`` gives them (:data:`IK304_CODES`, :data:`IK403_CODES`,
:data:`IK502_CODES`, :data:`AK905_CODES`, :data:`TA105_CODES`; a test checks them against the
map). Code values only: their texts are X12's.

Positions: a finding's ``Location.segment_index`` counts segments from 1 at the ISA; the 999
counts from 1 at the transaction set's ST (IK302), so ``position = index - st_index + 1``.
IK303 (loop identifier, data element 447, at most 4 characters) is written only when the
finding's loop id fits (``2300`` yes, ``2010AA`` no: the element cannot hold it).
IK404 (a copy of the bad value) is written only when asked (``show_values=True``) and the
transaction's segments were given: values may be patient data.
"""

from __future__ import annotations

import datetime as _dt
import enum
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import IO, Any, overload

import attrs

from x12.envelope import (
    ControlNumbers,
    EnvelopeReader,
    GroupHeader,
    GroupSpec,
    InterchangeHeader,
    InterchangeOptions,
    SequentialControlNumbers,
    Transaction,
    TransactionSpec,
    write_interchange,
)
from x12.errors import (
    Issue,
    IssueLog,
    Location,
    Severity,
    X12Error,
    X12WriteError,
)
from x12.segment import Element, element, unsafe_reason
from x12.tokenizer import Segment, read_text, tokenize

__all__ = [
    "AK101_CODES",
    "AK901_CODES",
    "AK905_CODES",
    "FINDING_CODES",
    "IK304_CODES",
    "IK403_CODES",
    "IK501_CODES",
    "IK502_CODES",
    "TA104_CODES",
    "TA105_CODES",
    "Ack999",
    "AckCode",
    "AckLevel",
    "AckStatus",
    "Context",
    "ElementError",
    "InterchangeAck",
    "SegmentError",
    "TransactionAck",
    "TransactionRef",
    "acknowledge",
    "acknowledge_group",
    "acknowledge_interchange",
    "build_999",
    "build_ta1",
    "classify",
    "read_999",
    "read_ta1",
    "write_999",
    "write_ta1",
]

IMPLEMENTATION_999 = "005010X231A1"
TRIGGER = "SITUATIONAL TRIGGER"

# ------------------------------------------------------------------------------------ code lists
# The valid codes of the 999 guide (pyx12 4.0.0 map 999.5010X231A1.xml), values only.
#: AK101 Functional Identifier Code (479): the groups a 999 can acknowledge.
AK101_CODES = ("BE", "HB", "HC", "HI", "HN", "HP", "HR", "HS", "RA")
#: IK304 Segment Syntax Error Code (data element 620).
IK304_CODES = ("1", "2", "3", "4", "5", "6", "7", "8", "I4", "I6", "I7", "I8", "I9")
#: IK403 Implementation Data Element Syntax Error Code (621).
IK403_CODES = (
    "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13",
    "I10", "I11", "I12", "I13", "I6", "I9",
)  # fmt: skip
#: IK501 Transaction Set Acknowledgment Code (717).
IK501_CODES = ("A", "E", "M", "R", "W", "X")
#: IK502..IK506 Implementation Transaction Set Syntax Error Code (618).
IK502_CODES = (
    "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13",
    "15", "16", "17", "18", "19", "23", "24", "25", "26", "27", "I5", "I6",
)  # fmt: skip
#: AK901 Functional Group Acknowledge Code (715).
AK901_CODES = ("A", "E", "M", "P", "R", "W", "X")
#: AK905..AK909 Functional Group Syntax Error Code (716).
AK905_CODES = (
    "1", "2", "3", "4", "5", "6", "10", "11", "12", "13", "14", "15", "16", "17", "18",
    "19", "23", "24", "25", "26",
)  # fmt: skip
#: TA104 Interchange Acknowledgment Code (I17).
TA104_CODES = ("A", "E", "R")
#: TA105 Interchange Note Code (I18).
TA105_CODES = tuple(f"{n:03d}" for n in range(32))


class AckStatus(enum.StrEnum):
    """IK501 / AK901 / TA104 acknowledgment codes (values of data elements 715, 717, I17)."""

    ACCEPTED = "A"
    ACCEPTED_WITH_ERRORS = "E"
    AUTHENTICATION_FAILED = "M"
    PARTIALLY_ACCEPTED = "P"  # AK901 only: at least one transaction set rejected
    REJECTED = "R"
    VALIDITY_FAILED = "W"
    DECRYPTION_FAILED = "X"


_STATUSES = {s.value: s for s in AckStatus}
_ACCEPTING = frozenset({"A", "E"})


def _status(value: str) -> AckStatus | str:
    return _STATUSES.get(value, value)


class AckLevel(enum.StrEnum):
    """Where in an acknowledgment a finding is reported."""

    INTERCHANGE = "interchange"  # TA105
    GROUP = "group"  # AK905..AK909
    TRANSACTION = "transaction"  # IK502..IK506
    SEGMENT = "segment"  # IK304
    ELEMENT = "element"  # IK403 (under an IK3 whose IK304 is 8)


@attrs.frozen(slots=True)
class AckCode:
    """A finding's place in an acknowledgment: its level and the code at that level.

    ``code`` is ``None`` when the level is known but no code of the guide says it (the
    finding still rejects what it is in).
    """

    level: AckLevel
    code: str | None = None


def _t(code: str) -> AckCode:
    return AckCode(AckLevel.TRANSACTION, code)


def _s(code: str) -> AckCode:
    return AckCode(AckLevel.SEGMENT, code)


def _e(code: str | None) -> AckCode:
    return AckCode(AckLevel.ELEMENT, code)


def _g(code: str | None) -> AckCode:
    return AckCode(AckLevel.GROUP, code)


def _i(code: str | None) -> AckCode:
    return AckCode(AckLevel.INTERCHANGE, code)


#: Finding codes (ours and the loop walker's, in the 999's own vocabulary) -> 999/TA1 codes.
FINDING_CODES: Mapping[str, AckCode] = {
    # transaction set level: IK502
    "SE01_COUNT": _t("4"),
    "SE02_CONTROL_NUMBER": _t("3"),
    "MISSING_SE": _t("2"),
    "ST_OUTSIDE_GROUP": _t("18"),
    "ST02_NOT_UNIQUE": _t("23"),
    "UNSUPPORTED_TRANSACTION": _t("1"),
    "UNSUPPORTED_IMPLEMENTATION": _t("I6"),
    # segment level: IK304
    "UNRECOGNIZED_SEGMENT": _s("1"),
    "UNEXPECTED_SEGMENT": _s("2"),
    "MANDATORY_SEGMENT_MISSING": _s("3"),
    "LOOP_OCCURS_OVER_MAX": _s("4"),
    "LOOP_OCCURS_OVER_MAXIMUM_TIMES": _s("4"),
    "SEGMENT_EXCEEDS_MAXIMUM_USE": _s("5"),
    "SEGMENT_NOT_IN_DEFINED_TRANSACTION_SET": _s("6"),
    "SEGMENT_NOT_IN_PROPER_SEQUENCE": _s("7"),
    "SEGMENT_HAS_DATA_ELEMENT_ERRORS": _s("8"),
    "NOT_USED_SEGMENT_PRESENT": _s("I4"),
    "IMPLEMENTATION_UNUSED_SEGMENT_PRESENT": _s("I4"),
    "DEPENDENT_SEGMENT_MISSING": _s("I6"),
    "IMPLEMENTATION_DEPENDENT_SEGMENT_MISSING": _s("I6"),
    "LOOP_OCCURS_UNDER_MIN": _s("I7"),
    "IMPLEMENTATION_LOOP_OCCURS_UNDER_MINIMUM_TIMES": _s("I7"),
    "SEGMENT_BELOW_MINIMUM_USE": _s("I8"),
    "IMPLEMENTATION_SEGMENT_BELOW_MINIMUM_USE": _s("I8"),
    "DEPENDENT_NOT_USED_SEGMENT_PRESENT": _s("I9"),
    # element level: IK403
    "REQUIRED_DATA_ELEMENT_MISSING": _e("1"),
    "REQUIRED_ELEMENT_MISSING": _e("1"),
    "CONDITIONAL_REQUIRED_DATA_ELEMENT_MISSING": _e("2"),
    "TOO_MANY_DATA_ELEMENTS": _e("3"),
    "TOO_MANY_ELEMENTS": _e("3"),
    "DATA_ELEMENT_TOO_SHORT": _e("4"),
    "ELEMENT_TOO_SHORT": _e("4"),
    "DATA_ELEMENT_TOO_LONG": _e("5"),
    "ELEMENT_TOO_LONG": _e("5"),
    "INVALID_CHARACTER_DATA": _e("6"),
    "INVALID_CHARACTER": _e("6"),
    "INVALID_CODE_VALUE": _e("7"),
    "INVALID_DATE": _e("8"),
    "INVALID_TIME": _e("9"),
    "EXCLUSION_CONDITION_VIOLATED": _e("10"),
    "TOO_MANY_REPETITIONS": _e("12"),
    "TOO_MANY_COMPONENTS": _e("13"),
    "NOT_USED_ELEMENT_PRESENT": _e("I10"),
    "IMPLEMENTATION_UNUSED_DATA_ELEMENT_PRESENT": _e("I10"),
    "TOO_FEW_REPETITIONS": _e("I11"),
    "IMPLEMENTATION_TOO_FEW_REPETITIONS": _e("I11"),
    "PATTERN_MATCH_FAILURE": _e("I12"),
    "IMPLEMENTATION_PATTERN_MATCH_FAILURE": _e("I12"),
    "DEPENDENT_NOT_USED_ELEMENT_PRESENT": _e("I13"),
    "CODE_NOT_USED_IN_IMPLEMENTATION": _e("I6"),
    "IMPLEMENTATION_INVALID_CODE_VALUE": _e("I6"),
    "DEPENDENT_ELEMENT_MISSING": _e("I9"),
    "IMPLEMENTATION_DEPENDENT_DATA_ELEMENT_MISSING": _e("I9"),
    # functional group level: AK905
    "GE01_COUNT": _g("5"),
    "GE02_CONTROL_NUMBER": _g("4"),
    "MISSING_GE": _g("3"),
    "GS06_NOT_UNIQUE": _g("19"),
    "pyx12:no-map": _g("2"),  # no guide for GS08: functional group version not supported
    # interchange level: TA105
    "IEA01_COUNT": _i("021"),
    "IEA02_CONTROL_NUMBER": _i("001"),
    "ISA_NOT_FIXED_LENGTH": _i("022"),
    "ISA_ELEMENT_COUNT": _i("022"),
    "MISSING_IEA": _i("023"),
    "IEA_WITHOUT_ISA": _i("022"),
    "GS_OUTSIDE_INTERCHANGE": _i("022"),
    "GE_WITHOUT_GS": _i("024"),
    "SEGMENT_OUTSIDE_TRANSACTION": _i("024"),
    "NO_ISA": _i("022"),
    "NO_ENVELOPE": _i("022"),
    "UNTERMINATED_SEGMENT": _i("023"),
    "ISA13_NOT_UNIQUE": _i("025"),
}

# An element error on an ISA element -> the TA105 note saying that element is invalid.
_ISA_ELEMENT_NOTES = {
    1: "010", 2: "011", 3: "012", 4: "013", 5: "005", 6: "006", 7: "007", 8: "008",
    9: "014", 10: "015", 12: "017", 13: "018", 14: "019", 15: "020", 16: "027",
}  # fmt: skip
_ENVELOPE_INTERCHANGE = frozenset({"ISA", "IEA", "TA1"})
_ENVELOPE_GROUP = frozenset({"GS", "GE"})


def classify(issue: Issue, codes: Mapping[str, AckCode] | None = None) -> AckCode | None:
    """Where ``issue`` goes in a 999/TA1 and with which code (``None``: not known).

    ``codes`` (the caller's) is consulted first, then :data:`FINDING_CODES`, then pyx12's
    findings (``pyx12:<code>``): pyx12 raises TA1 note codes at the interchange, AK905 codes
    at the group, IK502 codes at the transaction set, IK304 codes at segments and IK403 codes
    at elements, so its code is kept where it is one of the guide's codes at that level.
    """
    code = issue.code
    if codes is not None and code in codes:
        return codes[code]
    found = FINDING_CODES.get(code)
    if found is not None:
        return found
    loc = issue.location
    seg_id = loc.segment_id if loc is not None else None
    element_ = loc.element if loc is not None else None
    if not code.startswith("pyx12:"):
        return None
    raw = code[6:]
    if len(raw) == 3 and raw.isascii() and raw.isdigit():
        return _i(raw if raw in TA105_CODES else None)
    if issue.kind == "value":  # an element error
        if seg_id in _ENVELOPE_INTERCHANGE:
            note = _ISA_ELEMENT_NOTES.get(element_ or 0) if seg_id == "ISA" else None
            return _i(note or ("021" if seg_id == "IEA" and element_ == 1 else None))
        if seg_id in _ENVELOPE_GROUP:
            return _g(None)
        return _e(raw) if raw in IK403_CODES else _e(None)
    if seg_id in _ENVELOPE_INTERCHANGE:
        return _i(None)
    if seg_id in _ENVELOPE_GROUP:
        return _g(raw if raw in AK905_CODES else None)
    message = issue.message
    if (raw in ("3", "4") and message.startswith("SE ")) or raw == "23":
        return _t(raw)
    if raw == "2" and seg_id == "SE" and not message.startswith(("Mandatory", "Segment")):
        return _t("2")
    if raw in IK304_CODES:
        return _s(raw)
    return _s("8")  # pyx12's HL1, HL2, LX, SEG1: an error in the segment's data


# ----------------------------------------------------------------------------------- records
def _opt_int(value: str) -> int | None:
    # X12 numbers here (counts, positions) have at most 9 digits; a longer run of digits is
    # not a number of the guide (and int() refuses over 4,300 digits with a ValueError).
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 18 else None


@attrs.frozen(slots=True)
class Context:
    """A CTX segment: the context of an error.

    ``names`` holds CTX01's repetitions as ``(context name, reference)``:
    ``(("CLM01", "PCN123"),)`` (the business unit: which claim) or
    ``(("SITUATIONAL TRIGGER", ""),)``; the rest locate the trigger: CTX02 segment id, CTX03
    position in the transaction set, CTX04 loop id, CTX05 element/component/repetition,
    CTX06-1 data element reference number.
    """

    names: tuple[tuple[str, str], ...]
    segment_id: str = ""  # CTX02
    position: int | None = None  # CTX03
    loop: str = ""  # CTX04
    element: int | None = None  # CTX05-1
    component: int | None = None  # CTX05-2
    repetition: int | None = None  # CTX05-3
    reference: str = ""  # CTX06-1


@attrs.frozen(slots=True)
class ElementError:
    """An IK4 segment (loop 2110): which element of the segment is in error and why."""

    element: int  # IK401-1 position in the segment
    code: str  # IK403 (IK403_CODES)
    component: int | None = None  # IK401-2
    repetition: int | None = None  # IK401-3
    reference: str = ""  # IK402 data element reference number
    bad_value: str | None = None  # IK404 (only when the writer was asked to show values)
    contexts: tuple[Context, ...] = ()


@attrs.frozen(slots=True)
class SegmentError:
    """An IK3 segment (loop 2100): a segment in error, its position counted from the ST."""

    segment_id: str  # IK301
    position: int | None  # IK302 (ST = 1)
    code: str | None = None  # IK304 (IK304_CODES); 8 when only its elements are in error
    loop: str = ""  # IK303
    contexts: tuple[Context, ...] = ()
    elements: tuple[ElementError, ...] = ()


@attrs.frozen(slots=True)
class TransactionAck:
    """AK2..IK5 (loop 2000): one transaction set's acknowledgment."""

    transaction_id: str  # AK201 (837, 835...)
    control_number: str  # AK202 = the acknowledged ST02
    status: AckStatus | str  # IK501
    implementation: str = ""  # AK203 = the acknowledged ST03
    error_codes: tuple[str, ...] = ()  # IK502..IK506
    segment_errors: tuple[SegmentError, ...] = ()

    @property
    def accepted(self) -> bool:
        """True when IK501 is A (accepted) or E (accepted, errors noted)."""
        return str(self.status) in _ACCEPTING


@attrs.frozen(slots=True)
class Ack999:
    """One 999 transaction set: the acknowledgment of one functional group (AK1..AK9)."""

    functional_id: str  # AK101 = the acknowledged GS01
    group_control_number: str  # AK102 = the acknowledged GS06
    version: str  # AK103 = the acknowledged GS08
    status: AckStatus | str  # AK901
    included: int | None  # AK902 transaction sets the group said it held (GE01)
    received: int | None  # AK903 transaction sets received
    accepted_count: int | None  # AK904 transaction sets accepted
    error_codes: tuple[str, ...] = ()  # AK905..AK909
    transactions: tuple[TransactionAck, ...] = ()
    #: ST02 of the 999 itself when read (not compared: a writer numbers its own).
    control_number: str = attrs.field(default="", eq=False)

    @property
    def accepted(self) -> bool:
        """True when the group was accepted (AK901 A or E); P means some were rejected."""
        return str(self.status) in _ACCEPTING

    @property
    def rejected_transactions(self) -> tuple[TransactionAck, ...]:
        return tuple(t for t in self.transactions if not t.accepted)

    def transaction(self, control_number: str) -> TransactionAck | None:
        """The acknowledgment of the transaction set whose ST02 is ``control_number``."""
        for t in self.transactions:
            if t.control_number == control_number:
                return t
        return None


@attrs.frozen(slots=True)
class InterchangeAck:
    """A TA1 segment: the acknowledgment of one interchange."""

    control_number: str  # TA101 = the acknowledged ISA13
    date: _dt.date | None  # TA102 = its ISA09 (YYMMDD)
    time: _dt.time | None  # TA103 = its ISA10 (HHMM)
    status: AckStatus | str  # TA104 A/E/R
    note_code: str  # TA105 (TA105_CODES; 000 = no error)
    #: ISA09/ISA10 as received, kept when they are not a real date/time (a TA1 with TA105
    #: 014 "invalid interchange date" or 015 "invalid time" must still fill TA102/TA103,
    #: which identify the interchange with TA101): echoed when they have the element's
    #: shape (6 and 4 digits).
    received_date: str = ""
    received_time: str = ""

    @property
    def accepted(self) -> bool:
        return str(self.status) in _ACCEPTING


@attrs.frozen(slots=True)
class TransactionRef:
    """A transaction set being acknowledged.

    ``start_index`` is the segment index of its ST counted from 1 at the ISA (as in
    :class:`~x12.errors.Location`); ``segments`` (ST..SE, optional) let the writer name the
    claim in error (CTX CLM01) and copy bad values (IK404) when asked.
    """

    id: str  # ST01
    control_number: str  # ST02
    implementation: str = ""  # ST03
    start_index: int | None = None
    segments: Sequence[Segment] | None = None

    @classmethod
    def of(cls, obj: Any) -> TransactionRef:
        """From a tuple ``(st01, st02, st03[, start_index])``, a Transaction or a stream."""
        if isinstance(obj, TransactionRef):
            return obj
        if isinstance(obj, tuple | list):
            vals: list[Any] = [*obj, "", "", ""]
            start = vals[3] if isinstance(vals[3], int) else None
            return cls(str(vals[0]), str(vals[1]), str(vals[2] or ""), start)
        if isinstance(obj, Transaction):
            st = obj.segments[0] if obj.segments else ["ST"]
            return cls(obj.id, obj.control_number, element(st, 3), obj.start_index, obj.segments)
        st_seg = getattr(obj, "st", None)
        return cls(
            str(obj.id),
            str(obj.control_number),
            element(st_seg, 3) if st_seg is not None else str(getattr(obj, "implementation", "")),
            getattr(obj, "start_index", None),
        )


# --------------------------------------------------------------------------- findings -> 999
@attrs.define
class _TxWork:
    ref: TransactionRef
    errors: int = 0
    warnings: int = 0
    codes: list[str] = attrs.field(factory=list)
    # (position, segment id) -> [segment codes], [element errors], loop
    segments: dict[tuple[int, str], tuple[list[str | None], list[ElementError], list[str]]] = (
        attrs.field(factory=dict)
    )
    unplaced: bool = False


def _loop_id(loop: str | None) -> str:
    if loop and len(loop) <= 4 and loop.isalnum():
        return loop
    return ""


def _find_tx(issue: Issue, works: list[_TxWork]) -> _TxWork | None:
    loc = issue.location
    if loc is None:
        return None
    if loc.transaction:
        for w in works:
            if w.ref.control_number == loc.transaction:
                return w
    index = loc.segment_index
    if index is None:
        return None
    best: _TxWork | None = None
    for w in works:
        start = w.ref.start_index
        if (
            start is not None
            and start <= index
            and (best is None or (best.ref.start_index or 0) < start)
        ):
            best = w
    if (
        best is not None
        and best.ref.segments is not None
        and index >= (best.ref.start_index or 0) + len(best.ref.segments)
    ):
        return None
    return best


def _business_unit(ref: TransactionRef, position: int) -> Context | None:
    """CTX*CLM01:<patient control number> when the error is inside an 837 claim."""
    segs = ref.segments
    if not segs or ref.id != "837":
        return None
    for k in range(min(position, len(segs)) - 1, 0, -1):
        sid = segs[k][0] if segs[k] else ""
        if sid == "CLM":
            pcn = element(segs[k], 1)
            return Context((("CLM01", pcn),)) if pcn else None
        if sid == "HL":
            return None
    return None


def _bad_value(ref: TransactionRef, position: int, elem: int, comp: int | None) -> str | None:
    segs = ref.segments
    if not segs or not 1 <= position <= len(segs):
        return None
    value = element(segs[position - 1], elem)
    if comp is not None and value:
        # The source's component separator is unknown here; the ':' of most files is tried.
        parts = value.split(":")
        value = parts[comp - 1] if comp <= len(parts) else ""
    return value[:99] or None


def acknowledge_group(
    findings: Iterable[Issue],
    *,
    for_group: GroupHeader,
    transactions: Sequence[Any],
    included: int | None = None,
    codes: Mapping[str, AckCode] | None = None,
    show_values: bool = False,
    include_warnings: bool = True,
) -> Ack999:
    """The 999 record acknowledging one functional group, from the findings about it.

    ``transactions`` are the group's transaction sets, each a :class:`TransactionRef`, a
    tuple ``(st01, st02, st03[, start_index])``, an :class:`~x12.envelope.Transaction` or a
    :class:`~x12.envelope.TransactionStream`. A finding belongs to the transaction set its
    ``Location.transaction`` names (ST02), else to the one whose segments hold its
    ``segment_index``; a finding of the group level (GE01 count...) goes to AK905; findings of
    the interchange level (TA1 business) are left out.

    Status: a transaction set with an error finding is rejected (IK501 R), one with only
    warnings is accepted with errors noted (E, when ``include_warnings``), else accepted (A).
    The group (AK901) is R when a group-level error was found or every set was rejected, P
    when some were, E when all were accepted but some with errors, else A. AK904 counts the
    accepted sets (0 when the group is rejected as a whole).
    """
    works = [_TxWork(TransactionRef.of(t)) for t in transactions]
    group_codes: list[str] = []
    group_error = False
    for issue in findings:
        is_error = issue.severity is Severity.ERROR
        if not is_error and not (include_warnings and issue.severity is Severity.WARNING):
            continue
        where = classify(issue, codes)
        if where is not None and where.level is AckLevel.INTERCHANGE:
            continue
        if where is not None and where.level is AckLevel.GROUP:
            if is_error:
                group_error = True
            if where.code and where.code not in group_codes:
                group_codes.append(where.code)
            continue
        work = _find_tx(issue, works)
        if work is None:
            if is_error:  # an error we cannot place still rejects the group
                group_error = True
            continue
        if is_error:
            work.errors += 1
        else:
            work.warnings += 1
        _place(issue, where, work, show_values)
    acks: list[TransactionAck] = []
    for w in works:
        if w.errors:
            status = AckStatus.REJECTED
        elif w.warnings:
            status = AckStatus.ACCEPTED_WITH_ERRORS
        else:
            status = AckStatus.ACCEPTED
        seg_errors = [
            SegmentError(
                seg_id,
                pos,
                code,
                loop[0] if loop else "",
                tuple(c for c in [_business_unit(w.ref, pos)] if c is not None),
                tuple(elems) if code == "8" else (),
            )
            for (pos, seg_id), (seg_codes, elems, loop) in sorted(w.segments.items())
            for code in seg_codes
        ]
        tx_codes = list(w.codes)
        if (seg_errors or w.unplaced) and "5" not in tx_codes:
            tx_codes.append("5")
        if status is not AckStatus.ACCEPTED and not tx_codes:
            tx_codes.append("5")
        acks.append(
            TransactionAck(
                w.ref.id,
                w.ref.control_number,
                status,
                w.ref.implementation,
                tuple(tx_codes[:5]),
                tuple(seg_errors),
            )
        )
    accepted = sum(1 for a in acks if a.accepted)
    if group_error or (acks and accepted == 0):
        group_status = AckStatus.REJECTED
        accepted = 0 if group_error else accepted
    elif accepted < len(acks):
        group_status = AckStatus.PARTIALLY_ACCEPTED
    elif group_codes or any(a.status == AckStatus.ACCEPTED_WITH_ERRORS for a in acks):
        group_status = AckStatus.ACCEPTED_WITH_ERRORS
    else:
        group_status = AckStatus.ACCEPTED
    return Ack999(
        for_group.functional_id,
        for_group.control_number,
        for_group.version,
        group_status,
        len(acks) if included is None else included,
        len(acks),
        accepted,
        tuple(group_codes[:5]),
        tuple(acks),
    )


_MISSING_SEGMENT = re.compile(r'^Mandatory segment ".*" \(([A-Z][A-Z0-9]{1,2})\) missing')


def _place(issue: Issue, where: AckCode | None, work: _TxWork, show_values: bool) -> None:
    loc = issue.location or Location()
    if where is not None and where.level is AckLevel.TRANSACTION:
        if where.code and where.code not in work.codes:
            work.codes.append(where.code)
        return
    start = work.ref.start_index
    index = loc.segment_index
    seg_id = loc.segment_id
    if start is None or index is None:
        work.unplaced = True
        return
    position = index - start + 1
    if not seg_id and work.ref.segments and 1 <= position <= len(work.ref.segments):
        seg_id = work.ref.segments[position - 1][0]
    if not seg_id or not 2 <= len(seg_id) <= 3 or not seg_id.isalnum():
        work.unplaced = True
        return
    missing = _MISSING_SEGMENT.search(issue.message) if issue.code == "pyx12:3" else None
    if missing is not None:  # IK301 names the missing segment, found where it was expected
        seg_id = missing.group(1)
    seg_codes, elems, loops = work.segments.setdefault((position, seg_id), ([], [], []))
    loop = _loop_id(loc.loop)
    if loop and not loops:
        loops.append(loop)
    is_element = (where is not None and where.level is AckLevel.ELEMENT) or (
        where is None and loc.element is not None
    )
    if is_element and loc.element is not None and loc.element >= 1:
        ecode = where.code if where is not None and where.code else "I12"
        bad = _bad_value(work.ref, position, loc.element, loc.component) if show_values else None
        elems.append(ElementError(loc.element, ecode, loc.component, None, "", bad))
        if "8" not in seg_codes:
            seg_codes.append("8")
        return
    code = where.code if where is not None else None
    if code is None:
        code = "8"
    if code not in seg_codes:
        seg_codes.append(code)


# ------------------------------------------------------------------------------- 999 writing
def _ctx_elements(ctx: Context) -> list[Element]:
    pos: Element = (
        str(ctx.element) if ctx.element is not None else "",
        str(ctx.component) if ctx.component is not None else "",
        str(ctx.repetition) if ctx.repetition is not None else "",
    )
    names: list[str | tuple[str, ...]] = [(n, r) if r else (n,) for n, r in ctx.names]
    return [
        names,
        ctx.segment_id,
        "" if ctx.position is None else str(ctx.position),
        ctx.loop,
        pos,
        (ctx.reference,) if ctx.reference else "",
    ]


def _check_code(
    value: str | None, valid: Sequence[str], path: str, out: list[tuple[str, str]]
) -> None:
    if value is not None and value not in valid:
        out.append((path, f"is not a code of the 999 guide's list ({', '.join(valid)})"))


def _check_contexts(
    contexts: Sequence[Context],
    path: str,
    problems: list[tuple[str, str]],
    *,
    element_level: bool = False,
) -> None:
    """The 999 guide's two CTX shapes: a situational trigger or a business unit.

    Under an IK4 (loop 2110) the guide allows only the element context, whose CTX01-1 is
    ``SITUATIONAL TRIGGER``; a business unit (e.g. CLM01) is written under the IK3 instead.
    """
    units = [c for c in contexts if c.names and c.names[0][0] != TRIGGER]
    if len(units) > 1:
        problems.append((f"{path}.contexts", "at most one business unit context (CTX) per IK3"))
    for ci, ctx in enumerate(contexts):
        cp = f"{path}.contexts[{ci}]"
        if not ctx.names or len(ctx.names) > 10:
            problems.append((f"{cp}.names", "must hold 1 to 10 names (CTX01)"))
            continue
        if element_level and ctx.names[0][0] != TRIGGER:
            problems.append(
                (
                    f"{cp}.names",
                    "under an IK4 only a situational trigger is allowed (2110 CTX01-1)",
                )
            )
            continue
        if ctx.names[0][0] == TRIGGER:
            if any(name != TRIGGER or ref for name, ref in ctx.names):
                problems.append(
                    (f"{cp}.names", "a situational trigger has no context reference (CTX01-2)")
                )
            if not ctx.segment_id or ctx.position is None or ctx.position < 1:
                problems.append((cp, "a situational trigger needs its segment (CTX02, CTX03)"))
        else:
            if len(ctx.names) != 1 or not ctx.names[0][0] or not ctx.names[0][1]:
                problems.append((f"{cp}.names", "a business unit is one name with its value"))
            if ctx.segment_id or ctx.position is not None or ctx.loop or ctx.reference:
                problems.append((cp, "a business unit has no segment, position, loop or reference"))


def _check_999(acks: Sequence[Ack999]) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    for ai, ack in enumerate(acks):
        p = f"acks[{ai}]"
        _check_code(ack.functional_id, AK101_CODES, f"{p}.functional_id", problems)
        _check_code(str(ack.status), AK901_CODES, f"{p}.status", problems)
        if len(ack.error_codes) > 5:
            problems.append((f"{p}.error_codes", "at most 5 (AK905..AK909)"))
        for ci, c in enumerate(ack.error_codes):
            _check_code(c, AK905_CODES, f"{p}.error_codes[{ci}]", problems)
        for name in ("functional_id", "group_control_number", "version"):
            if not getattr(ack, name):
                problems.append((f"{p}.{name}", "must not be empty"))
        for name in ("included", "received", "accepted_count"):
            v = getattr(ack, name)
            if v is None or v < 0:
                problems.append((f"{p}.{name}", "must be a count (0 or more)"))
        for ti, tx in enumerate(ack.transactions):
            tp = f"{p}.transactions[{ti}]"
            _check_code(str(tx.status), IK501_CODES, f"{tp}.status", problems)
            if not tx.transaction_id or not tx.control_number:
                problems.append((tp, "transaction_id and control_number must not be empty"))
            if len(tx.error_codes) > 5:
                problems.append((f"{tp}.error_codes", "at most 5 (IK502..IK506)"))
            for ci, c in enumerate(tx.error_codes):
                _check_code(c, IK502_CODES, f"{tp}.error_codes[{ci}]", problems)
            for si, seg in enumerate(tx.segment_errors):
                sp = f"{tp}.segment_errors[{si}]"
                if not 2 <= len(seg.segment_id) <= 3:
                    problems.append((f"{sp}.segment_id", "must be a segment id"))
                if seg.position is None or seg.position < 1:
                    problems.append((f"{sp}.position", "must be 1 or more (ST = 1)"))
                _check_code(seg.code, IK304_CODES, f"{sp}.code", problems)
                if len(seg.loop) > 4:
                    problems.append((f"{sp}.loop", "is longer than 4 characters (IK303)"))
                _check_contexts(seg.contexts, sp, problems)
                for ei, el in enumerate(seg.elements):
                    ep = f"{sp}.elements[{ei}]"
                    _check_code(el.code, IK403_CODES, f"{ep}.code", problems)
                    if el.element < 1:
                        problems.append((f"{ep}.element", "must be 1 or more"))
                    _check_contexts(el.contexts, ep, problems, element_level=True)
    return problems


def _ack_segments(ack: Ack999) -> list[tuple[str, Sequence[Element]]]:
    segs: list[tuple[str, Sequence[Element]]] = [
        ("AK1", [ack.functional_id, ack.group_control_number, ack.version])
    ]
    for tx in ack.transactions:
        segs.append(("AK2", [tx.transaction_id, tx.control_number, tx.implementation]))
        for seg in tx.segment_errors:
            segs.append(
                (
                    "IK3",
                    [seg.segment_id, str(seg.position), seg.loop, seg.code or ""],
                )
            )
            segs.extend(("CTX", _ctx_elements(c)) for c in seg.contexts)
            for el in seg.elements:
                pos: Element = (
                    str(el.element),
                    "" if el.component is None else str(el.component),
                    "" if el.repetition is None else str(el.repetition),
                )
                segs.append(("IK4", [pos, el.reference, el.code, el.bad_value or ""]))
                segs.extend(("CTX", _ctx_elements(c)) for c in el.contexts)
        segs.append(("IK5", [str(tx.status), *tx.error_codes]))
    segs.append(
        (
            "AK9",
            [
                str(ack.status),
                str(ack.included),
                str(ack.received),
                str(ack.accepted_count),
                *ack.error_codes,
            ],
        )
    )
    return segs


def _safe_bad_values(ack: Ack999, options: InterchangeOptions) -> Ack999:
    """Drop IK404 copies that cannot be written with the output's delimiters."""
    d = options.delimiters

    def fix(el: ElementError) -> ElementError:
        if el.bad_value is not None and unsafe_reason(el.bad_value, d) is not None:
            return attrs.evolve(el, bad_value=None)
        return el

    return attrs.evolve(
        ack,
        transactions=tuple(
            attrs.evolve(
                tx,
                segment_errors=tuple(
                    attrs.evolve(s, elements=tuple(fix(e) for e in s.elements))
                    for s in tx.segment_errors
                ),
            )
            for tx in ack.transactions
        ),
    )


def write_999(
    acks: Sequence[Ack999],
    options: InterchangeOptions | None = None,
    control_numbers: ControlNumbers | None = None,
) -> str:
    """One interchange with one FA group holding a 999 transaction set per record.

    Checks every record first (codes from the guide's lists, counts, positions) and raises
    :class:`~x12.errors.X12WriteError` listing each problem by path; nothing is written then.
    """
    opt = options or InterchangeOptions()
    problems = _check_999(acks)
    if problems:
        raise X12WriteError(problems)
    group = GroupSpec(
        "FA",
        IMPLEMENTATION_999,
        [
            TransactionSpec("999", IMPLEMENTATION_999, _ack_segments(_safe_bad_values(a, opt)))
            for a in acks
        ],
    )
    return write_interchange([group], opt, control_numbers or SequentialControlNumbers())


def build_999(
    findings: Iterable[Issue],
    *,
    for_group: GroupHeader,
    transactions: Sequence[Any],
    included: int | None = None,
    codes: Mapping[str, AckCode] | None = None,
    show_values: bool = False,
    include_warnings: bool = True,
    options: InterchangeOptions | None = None,
    control_numbers: ControlNumbers | None = None,
) -> str:
    """The text of a 999 acknowledging one group: :func:`acknowledge_group` + :func:`write_999`."""
    ack = acknowledge_group(
        findings,
        for_group=for_group,
        transactions=transactions,
        included=included,
        codes=codes,
        show_values=show_values,
        include_warnings=include_warnings,
    )
    return write_999([ack], options, control_numbers)


def _reply_options(
    isa: InterchangeHeader | None, base: InterchangeOptions | None
) -> InterchangeOptions:
    if base is not None:
        return base
    if isa is None:
        return InterchangeOptions()
    return InterchangeOptions(
        sender_id=isa.receiver_id or "RECEIVER",
        receiver_id=isa.sender_id or "SENDER",
        sender_qualifier=_qualifier(isa.receiver_qualifier),
        receiver_qualifier=_qualifier(isa.sender_qualifier),
        usage=isa.usage if isa.usage in ("T", "P", "I") else "T",
    )


#: ISA05/ISA07 interchange id qualifiers of 5010 (I05); a reply never repeats a bad one.
ISA_QUALIFIERS = frozenset({"01", "14", "20", "27", "28", "29", "30", "33", "ZZ"})


def _qualifier(value: str | None) -> str:
    return value if value in ISA_QUALIFIERS else "ZZ"


def acknowledge(
    source: str | bytes | IO[str] | IO[bytes],
    findings: Iterable[Issue] | None = None,
    *,
    codes: Mapping[str, AckCode] | None = None,
    show_values: bool = False,
    include_warnings: bool = True,
    options: InterchangeOptions | None = None,
    control_numbers: ControlNumbers | None = None,
) -> str:
    """The 999 for every functional group of an input (one 999 transaction set per group).

    ``findings`` are what a validator found (their segment indexes counted in this input);
    the envelope reader's own findings (counts, control numbers, missing trailers) are added.
    The reply goes from the input's receiver to its sender unless ``options`` say otherwise.
    Groups whose GS01 a 999 cannot name (AK101's list) are left out: answer those with a TA1.
    Raises :class:`~x12.errors.X12Error` when the input has no functional group to answer.
    """
    given = list(findings or ())
    log = IssueLog(strict=False)
    interchanges, trailers = _read_for_ack(source, given, log)
    all_findings = list(log.issues) + given
    acks: list[Ack999] = []
    isa: InterchangeHeader | None = None
    for header, groups in interchanges:
        isa = isa or header
        for grp_header, transactions in groups:
            if grp_header.functional_id not in AK101_CODES:
                continue  # no 999 can name this group (a TA1 with note 024 can)
            gs06 = grp_header.control_number
            if not (gs06.isascii() and gs06.isdigit() and len(gs06) <= 9):
                continue  # AK102 must repeat GS06, a 1-9 digit number: left to the TA1
            mine = [f for f in all_findings if _in_group(f, grp_header, transactions)]
            acks.append(
                acknowledge_group(
                    mine,
                    for_group=grp_header,
                    transactions=transactions,
                    included=_included(trailers.get(grp_header.index)),
                    codes=codes,
                    show_values=show_values,
                    include_warnings=include_warnings,
                )
            )
    if not acks:
        raise X12Error("nothing to acknowledge: the input has no functional group")
    return write_999(acks, _reply_options(isa, options), control_numbers)


def _included(trailer: Segment | None) -> int | None:
    """AK902 from a group's GE: GE01, the number of transaction sets the sender says the
    group holds (as pyx12's 999 gives it), when it is a count AK902 can carry (N0, 1-6
    digits); None (the sets received) when the GE is missing or its GE01 is not one."""
    if trailer is None:
        return None
    ge01 = element(trailer, 1)
    return _opt_int(ge01) if len(ge01) <= 6 else None


def _in_group(issue: Issue, header: GroupHeader, txs: Sequence[TransactionRef]) -> bool:
    loc = issue.location
    if loc is None or loc.segment_index is None:
        return False
    last = max(
        ((t.start_index or 0) + len(t.segments or ()) for t in txs), default=header.index + 1
    )
    return header.index <= loc.segment_index <= last


class _Sparse(Sequence[Segment]):
    """A transaction's segments (ST..SE) of which only some are kept: the length of the
    whole, the kept ones at their places and an empty segment elsewhere."""

    def __init__(self, count: int, kept: dict[int, Segment]) -> None:
        self._count = count
        self._kept = kept

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, k: int) -> Segment: ...

    @overload
    def __getitem__(self, k: slice) -> Sequence[Segment]: ...

    def __getitem__(self, k: int | slice) -> Segment | Sequence[Segment]:
        if isinstance(k, slice):
            return [self[i] for i in range(*k.indices(self._count))]
        if k < 0:
            k += self._count
        if not 0 <= k < self._count:
            raise IndexError(k)
        return self._kept.get(k, [])


_Groups = list[tuple[GroupHeader, list[TransactionRef]]]


def _read_for_ack(
    source: str | bytes | IO[str] | IO[bytes], findings: Sequence[Issue], log: IssueLog
) -> tuple[list[tuple[InterchangeHeader | None, _Groups]], dict[int, Segment]]:
    """The interchanges, groups and transaction sets of ``source`` as :func:`acknowledge`
    needs them, read as a stream: of each transaction's segments only those a 999 may name
    are kept (ST, SE, the segment of each finding and of each issue the reading reports, and
    the CLM or HL before each of them and before the end, for CTX), so answering a large
    file does not hold it.
    What :func:`acknowledge_group` makes of them is what it makes of whole transactions.
    Also returns the GE and IEA segments read, by their GS's or ISA's index (AK902)."""
    wanted = {
        f.location.segment_index
        for f in findings
        if f.location is not None and f.location.segment_index is not None
    }
    trailers: dict[int, Segment] = {}
    reader = EnvelopeReader(source, log=log, trailers=trailers)
    out: list[tuple[InterchangeHeader | None, _Groups]] = []
    current: InterchangeHeader | None = None
    groups: _Groups | None = None
    group: GroupHeader | None = None
    transactions: list[TransactionRef] = []
    reported = 0
    for tx in reader.transactions():
        if groups is None or current is not tx.interchange:
            current = tx.interchange
            groups = []
            out.append((current if current.index else None, groups))
            group = None
        if group is None or group is not tx.group:
            group = tx.group
            transactions = []
            groups.append((group, transactions))
        start = tx.start_index
        kept: dict[int, Segment] = {0: tx.st}
        context: tuple[int, Segment] | None = None  # the last CLM or HL read
        k = 1
        for batch in tx.batches():
            reported = _wanted_from(log, reported, wanted)
            for seg in batch:
                if start + k in wanted:
                    kept[k] = seg
                    if context is not None:
                        kept[context[0]] = context[1]
                if seg and seg[0] in ("CLM", "HL"):
                    context = (k, seg)
                k += 1
        if context is not None:  # before SE, or before the end when SE is missing
            kept[context[0]] = context[1]
        if tx.se is not None:
            kept[k] = tx.se
            k += 1
        reported = _wanted_from(log, reported, wanted)
        transactions.append(
            TransactionRef(tx.id, tx.control_number, element(tx.st, 3), start, _Sparse(k, kept))
        )
    return out, trailers


def _wanted_from(log: IssueLog, seen: int, wanted: set[int]) -> int:
    """Add the segments of the issues ``log`` got since ``seen`` to ``wanted``."""
    issues = log.issues
    for issue in issues[seen:]:
        if issue.location is not None and issue.location.segment_index is not None:
            wanted.add(issue.location.segment_index)
    return len(issues)


# ----------------------------------------------------------------------------------- TA1
def _digits(value: str, width: int) -> str:
    """``value`` when it is ``width`` ASCII digits, else ""."""
    return value if len(value) == width and value.isascii() and value.isdigit() else ""


def _isa_date(value: str) -> _dt.date | None:
    try:
        return _dt.datetime.strptime(value, "%y%m%d").date() if len(value) == 6 else None
    except ValueError:
        return None


def _isa_time(value: str) -> _dt.time | None:
    try:
        return _dt.datetime.strptime(value, "%H%M").time() if len(value) == 4 else None
    except ValueError:
        return None


def acknowledge_interchange(
    findings: Iterable[Issue],
    *,
    for_interchange: InterchangeHeader,
    codes: Mapping[str, AckCode] | None = None,
) -> InterchangeAck:
    """The TA1 record for one interchange from the findings about its envelope.

    Only interchange-level findings count (:func:`classify`): an error rejects (R) with its
    TA105 note, warnings alone give E with the first warning's note, else A with 000.
    A finding whose note the guide has no code for uses 022 (invalid control structure).
    """
    errors: list[str] = []
    warnings: list[str] = []
    for issue in findings:
        where = classify(issue, codes)
        if where is None or where.level is not AckLevel.INTERCHANGE:
            continue
        note = where.code or "022"
        if issue.severity is Severity.ERROR:
            errors.append(note)
        elif issue.severity is Severity.WARNING:
            warnings.append(note)
    if errors:
        status, note = AckStatus.REJECTED, errors[0]
    elif warnings:
        status, note = AckStatus.ACCEPTED_WITH_ERRORS, warnings[0]
    else:
        status, note = AckStatus.ACCEPTED, "000"
    date = _isa_date(for_interchange.date)
    time = _isa_time(for_interchange.time)
    return InterchangeAck(
        for_interchange.control_number,
        date,
        time,
        status,
        note,
        received_date=for_interchange.date if date is None else "",
        received_time=for_interchange.time if time is None else "",
    )


def write_ta1(
    acks: Sequence[InterchangeAck],
    options: InterchangeOptions | None = None,
    control_numbers: ControlNumbers | None = None,
) -> str:
    """An interchange holding only TA1 segments (ISA, TA1..., IEA with IEA01 = 0)."""
    opt = options or InterchangeOptions()
    problems: list[tuple[str, str]] = []
    segs: list[tuple[str, list[Element]]] = []
    for i, a in enumerate(acks):
        p = f"acks[{i}]"
        if not (len(a.control_number) == 9 and a.control_number.isdigit()):
            problems.append((f"{p}.control_number", "must be 9 digits (ISA13)"))
        date = a.date.strftime("%y%m%d") if a.date else _digits(a.received_date, 6)
        time = a.time.strftime("%H%M") if a.time else _digits(a.received_time, 4)
        if not date:
            problems.append(
                (f"{p}.date", "is required (TA102): a date, or received_date of 6 digits")
            )
        if not time:
            problems.append(
                (f"{p}.time", "is required (TA103): a time, or received_time of 4 digits")
            )
        _check_code(str(a.status), TA104_CODES, f"{p}.status", problems)
        _check_code(a.note_code, TA105_CODES, f"{p}.note_code", problems)
        segs.append(
            (
                "TA1",
                [a.control_number, date, time, str(a.status), a.note_code],
            )
        )
    if problems:
        raise X12WriteError(problems)
    from x12.segment import format_segment

    envelope = write_interchange([], opt, control_numbers or SequentialControlNumbers())
    d = opt.delimiters
    cut = envelope.index(d.segment) + len(d.segment) + len(d.line_break)
    body = "".join(format_segment(sid, el, d) for sid, el in segs)
    return envelope[:cut] + body + envelope[cut:]


def build_ta1(
    findings: Iterable[Issue],
    *,
    for_interchange: InterchangeHeader,
    codes: Mapping[str, AckCode] | None = None,
    options: InterchangeOptions | None = None,
    control_numbers: ControlNumbers | None = None,
) -> str:
    """The text of a TA1 interchange: :func:`acknowledge_interchange` + :func:`write_ta1`."""
    ack = acknowledge_interchange(findings, for_interchange=for_interchange, codes=codes)
    return write_ta1([ack], _reply_options(for_interchange, options), control_numbers)


# ---------------------------------------------------------------------------------- reading
def _finish(log: IssueLog, target: IssueLog | None, strict: bool) -> None:
    kept = [
        i
        for i in log.issues
        if not (
            i.code == "SEGMENT_OUTSIDE_TRANSACTION"
            and i.location is not None
            and i.location.segment_id == "TA1"
        )
    ]
    if target is not None:
        target.issues.extend(kept)
    if strict:
        for i in kept:
            if i.severity is Severity.ERROR:
                raise i.to_error()


def read_ta1(
    source: str | bytes | IO[str] | IO[bytes],
    *,
    strict: bool = False,
    log: IssueLog | None = None,
) -> list[InterchangeAck]:
    """Every TA1 segment of an input, as :class:`InterchangeAck` records.

    Lenient by default: a bad date, time or code is reported to ``log`` (located) and read as
    ``None`` or kept as text; ``strict=True`` raises the first error. Only
    :class:`~x12.errors.X12Error` escapes.
    """
    own = IssueLog(strict=strict, collect=True)
    out: list[InterchangeAck] = []
    # A TA1 sits between the ISA and the first GS (or alone with IEA01 = 0), outside any
    # transaction set: the segments are scanned directly.
    for k, seg in enumerate(tokenize(read_text(source), log=own)):
        if seg and seg[0] == "TA1":
            out.append(_read_ta1_segment(seg, Location(k + 1, "TA1"), own))
    _finish(own, log, strict)
    return out


def _read_ta1_segment(seg: Segment, where: Location, log: IssueLog) -> InterchangeAck:
    values = [element(seg, i) for i in range(1, 6)]
    date = _isa_date(values[1])
    time = _isa_time(values[2])
    if date is None:
        log.report("TA1_BAD_DATE", "TA102 is not a YYMMDD date", where.with_element(2))
    if time is None:
        log.report("TA1_BAD_TIME", "TA103 is not an HHMM time", where.with_element(3))
    if values[3] not in TA104_CODES:
        log.report("TA1_BAD_CODE", "TA104 is not A, E or R", where.with_element(4))
    if values[4] not in TA105_CODES:
        log.report("TA1_BAD_NOTE", "TA105 is not a note code", where.with_element(5))
    return InterchangeAck(values[0], date, time, _status(values[3]), values[4])


@attrs.define
class _TxBuild:
    ak2: Segment
    status: AckStatus | str | None = None
    codes: tuple[str, ...] = ()
    segs: list[SegmentError] = attrs.field(factory=list)


def _parse_ctx(seg: Segment, comp: str, rep: str | None) -> Context:
    names: list[tuple[str, str]] = []
    for r in seg[1].split(rep) if rep and len(seg) > 1 else [element(seg, 1)]:
        parts = r.split(comp)
        names.append((parts[0], parts[1] if len(parts) > 1 else ""))
    pos = element(seg, 5).split(comp)
    pos += [""] * (3 - len(pos))
    return Context(
        tuple(names),
        element(seg, 2),
        _opt_int(element(seg, 3)),
        element(seg, 4),
        _opt_int(pos[0]),
        _opt_int(pos[1]),
        _opt_int(pos[2]),
        element(seg, 6).split(comp)[0],
    )


def read_999(
    source: str | bytes | IO[str] | IO[bytes],
    *,
    strict: bool = False,
    log: IssueLog | None = None,
) -> list[Ack999]:
    """Every 999 transaction set of an input, as :class:`Ack999` records.

    Lenient by default: segments out of place, unknown codes and bad numbers are reported to
    ``log`` with their location and reading goes on (``strict=True`` raises the first
    error). Only :class:`~x12.errors.X12Error` escapes. TA1 segments are skipped (see
    :func:`read_ta1`).
    """
    own = IssueLog(strict=strict, collect=True)
    out: list[Ack999] = []
    reader = EnvelopeReader(source, log=own)
    for tx in reader.transactions():
        if tx.id != "999":
            own.report(
                "NOT_999",
                "transaction set is not a 999; skipped",
                tx.location(element=1),
                severity=Severity.WARNING,
            )
            tx.drain()
            continue
        ack = _read_one(tx, own)
        if ack is not None:
            out.append(ack)
    _finish(own, log, strict)
    return out


def _read_one(tx: Any, log: IssueLog) -> Ack999 | None:
    d = tx.delimiters
    comp, rep = d.component, d.repetition
    ak1: Segment | None = None
    ak9: Segment | None = None
    txs: list[_TxBuild] = []
    current: _TxBuild | None = None
    seg_err: dict[str, Any] | None = None
    elem_err: dict[str, Any] | None = None

    def close_elem() -> None:
        nonlocal elem_err
        if elem_err is not None and seg_err is not None:
            seg_err["elements"].append(ElementError(**elem_err))
        elem_err = None

    def close_seg() -> None:
        nonlocal seg_err
        close_elem()
        if seg_err is not None and current is not None:
            elems = tuple(seg_err.pop("elements"))
            current.segs.append(SegmentError(**seg_err, elements=elems))
        seg_err = None

    def unexpected(seg: Segment) -> None:
        log.report(
            "UNEXPECTED_SEGMENT",
            f"{_sid(seg)} segment not expected here in a 999",
            tx.location(loop=None),
        )

    for seg in tx:
        sid = seg[0]
        if sid == "AK1":
            if ak1 is not None or txs:
                unexpected(seg)
                continue
            ak1 = seg
        elif sid == "AK2":
            close_seg()
            if ak1 is None:
                log.report("AK1_MISSING", "AK2 before the AK1", tx.location())
            current = _TxBuild(seg)
            txs.append(current)
        elif sid == "IK3":
            close_seg()
            if current is None or current.status is not None:
                unexpected(seg)
                continue
            code = element(seg, 4) or None
            if code is not None and code not in IK304_CODES:
                log.report(
                    "BAD_CODE", "IK304 is not a code of the 999 guide", tx.location(element=4)
                )
            position = _opt_int(element(seg, 2))
            if position is None:
                log.report("BAD_NUMBER", "IK302 is not a position", tx.location(element=2))
            seg_err = {
                "segment_id": element(seg, 1),
                "position": position,
                "code": code,
                "loop": element(seg, 3),
                "contexts": (),
                "elements": [],
            }
        elif sid == "IK4":
            close_elem()
            if seg_err is None:
                unexpected(seg)
                continue
            pos = [*element(seg, 1).split(comp), "", ""]
            epos = _opt_int(pos[0])
            if epos is None:
                log.report("BAD_NUMBER", "IK401-1 is not a position", tx.location(element=1))
            code = element(seg, 3)
            if code not in IK403_CODES:
                log.report(
                    "BAD_CODE", "IK403 is not a code of the 999 guide", tx.location(element=3)
                )
            elem_err = {
                "element": epos or 0,
                "code": code,
                "component": _opt_int(pos[1]),
                "repetition": _opt_int(pos[2]),
                "reference": element(seg, 2),
                "bad_value": element(seg, 4) or None,
                "contexts": (),
            }
        elif sid == "CTX":
            ctx = _parse_ctx(seg, comp, rep)
            if elem_err is not None:
                elem_err["contexts"] = (*elem_err["contexts"], ctx)
            elif seg_err is not None:
                seg_err["contexts"] = (*seg_err["contexts"], ctx)
            else:
                unexpected(seg)
        elif sid == "IK5":
            close_seg()
            if current is None or current.status is not None:
                unexpected(seg)
                continue
            status = element(seg, 1)
            if status not in IK501_CODES:
                log.report(
                    "BAD_CODE", "IK501 is not a code of the 999 guide", tx.location(element=1)
                )
            current.status = _status(status)
            current.codes = tuple(v for v in seg[2:7] if v)
        elif sid == "AK9":
            close_seg()
            if ak9 is not None:
                unexpected(seg)
                continue
            ak9 = seg
            current = None
        else:
            unexpected(seg)
    close_seg()
    if ak1 is None:
        log.report("AK1_MISSING", "the 999 has no AK1", tx.location(segment_id="SE"))
    if ak9 is None:
        log.report("AK9_MISSING", "the 999 has no AK9", tx.location(segment_id="SE"))
    acks: list[TransactionAck] = []
    for b in txs:
        if b.status is None:
            log.report(
                "IK5_MISSING",
                "a transaction set response (AK2) has no IK5",
                tx.location(segment_id="AK2"),
            )
        acks.append(
            TransactionAck(
                element(b.ak2, 1),
                element(b.ak2, 2),
                b.status if b.status is not None else "",
                element(b.ak2, 3),
                b.codes,
                tuple(b.segs),
            )
        )
    a1 = ak1 or ["AK1"]
    a9 = ak9 or ["AK9"]
    status = element(a9, 1)
    if ak9 is not None and status not in AK901_CODES:
        log.report(
            "BAD_CODE", "AK901 is not a code of the 999 guide", tx.location(segment_id="AK9")
        )
    return Ack999(
        element(a1, 1).strip(),
        element(a1, 2),
        element(a1, 3),
        _status(status),
        _opt_int(element(a9, 2)),
        _opt_int(element(a9, 3)),
        _opt_int(element(a9, 4)),
        tuple(v for v in a9[5:10] if v),
        tuple(acks),
        control_number=tx.control_number,
    )


def _sid(seg: Segment) -> str:
    sid = seg[0] if seg else ""
    return sid if sid.isalnum() and len(sid) <= 3 else "a"
