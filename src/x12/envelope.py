"""Envelopes: ISA/IEA interchanges, GS/GE functional groups, ST/SE transaction sets.

Reading: :class:`EnvelopeReader` walks the segments of any input (streamed, bounded memory)
and yields each transaction set as a :class:`TransactionStream` whose body segments are
iterated once; it checks the counts and control numbers of every trailer (SE01 segment count,
SE02 = ST02, GE01 transaction count, GE02 = GS06, IEA01 group count, IEA02 = ISA13) and
reports mismatches to its :class:`~x12.errors.IssueLog` (strict: raised; lenient: collected),
each with its location. :func:`read_interchanges` materialises the whole structure.

Writing: :func:`write_interchange` wraps transaction bodies in ST/SE, GS/GE and ISA/IEA,
computing every count, taking control numbers from a pluggable source
(:class:`ControlNumbers`) and padding the ISA to its fixed widths.
"""

from __future__ import annotations

import datetime as _dt
import operator
from collections.abc import Iterable, Iterator, Sequence
from typing import IO, Protocol

import attrs

from x12.delimiters import DEFAULT, Delimiters
from x12.errors import IssueLog, Location, Severity, X12Error, X12LimitError, X12WriteError
from x12.segment import Element, UnsafeValue, element, format_segment, format_segments
from x12.tokenizer import DEFAULT_CHUNK_SIZE, Segment, Tokenizer, iter_segment_batches

__all__ = [
    "ControlNumbers",
    "EnvelopeReader",
    "FunctionalGroup",
    "GroupHeader",
    "GroupSpec",
    "Interchange",
    "InterchangeHeader",
    "InterchangeOptions",
    "SequentialControlNumbers",
    "Transaction",
    "TransactionSpec",
    "TransactionStream",
    "read_interchanges",
    "write_interchange",
]

Source = str | bytes | IO[str] | IO[bytes] | Iterable[str]


# ----------------------------------------------------------------------------- reading
@attrs.frozen(slots=True)
class InterchangeHeader:
    """The ISA segment (values stripped of their padding)."""

    authorization_qualifier: str  # ISA01
    authorization: str  # ISA02
    security_qualifier: str  # ISA03
    security: str  # ISA04
    sender_qualifier: str  # ISA05
    sender_id: str  # ISA06
    receiver_qualifier: str  # ISA07
    receiver_id: str  # ISA08
    date: str  # ISA09 YYMMDD
    time: str  # ISA10 HHMM
    repetition_separator: str | None  # ISA11 (5010); None for 00401's "U"
    version: str  # ISA12
    control_number: str  # ISA13
    ack_requested: str  # ISA14
    usage: str  # ISA15 T/P
    component_separator: str  # ISA16
    element_separator: str
    segment_terminator: str
    index: int  # segment index of the ISA

    @classmethod
    def from_segment(
        cls, seg: Segment, element_separator: str, terminator: str, index: int
    ) -> InterchangeHeader:
        v = [element(seg, i).strip() for i in range(17)]
        rep: str | None = element(seg, 11)[:1] or None
        if rep is not None and (rep.isalnum() or v[12] < "00402"):
            rep = None
        return cls(
            authorization_qualifier=v[1],
            authorization=v[2],
            security_qualifier=v[3],
            security=v[4],
            sender_qualifier=v[5],
            sender_id=v[6],
            receiver_qualifier=v[7],
            receiver_id=v[8],
            date=v[9],
            time=v[10],
            repetition_separator=rep,
            version=v[12],
            control_number=v[13],
            ack_requested=v[14],
            usage=v[15],
            component_separator=element(seg, 16)[:1] or ":",
            element_separator=element_separator,
            segment_terminator=terminator,
            index=index,
        )

    @property
    def delimiters(self) -> Delimiters:
        """The interchange's delimiters (as read)."""
        try:
            return Delimiters(
                self.element_separator,
                self.component_separator,
                self.repetition_separator,
                self.segment_terminator,
            )
        except X12Error:
            return Delimiters(
                self.element_separator, self.component_separator, None, self.segment_terminator
            )


@attrs.frozen(slots=True)
class GroupHeader:
    """The GS segment."""

    functional_id: str  # GS01 (HC claims, HP remittances, FA acknowledgments)
    sender: str  # GS02
    receiver: str  # GS03
    date: str  # GS04 CCYYMMDD
    time: str  # GS05
    control_number: str  # GS06
    agency: str  # GS07
    version: str  # GS08, e.g. 005010X222A1
    index: int

    @classmethod
    def from_segment(cls, seg: Segment, index: int) -> GroupHeader:
        return cls(*(element(seg, i) for i in range(1, 9)), index)  # type: ignore[arg-type,call-arg]


_NO_GROUP = GroupHeader("", "", "", "", "", "", "", "", 0)


class TransactionStream:
    """One ST..SE transaction set, read once: iterate it for its body segments.

    The ST and SE segments are not yielded: ``st`` holds the ST, ``se`` the SE once the body
    has been read (``None`` when the trailer is missing). ``location()`` tells where the
    segment last yielded is.
    """

    def __init__(
        self,
        reader: EnvelopeReader,
        interchange: InterchangeHeader,
        group: GroupHeader,
        st: Segment,
        index: int,
    ) -> None:
        self._reader = reader
        self.interchange = interchange
        self.group = group
        self.st = st
        self.start_index = index
        self.se: Segment | None = None
        self.segment_count = 1
        self._done = False
        self._started = False

    @property
    def id(self) -> str:
        """ST01, the transaction set identifier (837, 835...)."""
        return element(self.st, 1)

    @property
    def control_number(self) -> str:
        """ST02."""
        return element(self.st, 2)

    @property
    def implementation(self) -> str:
        """ST03 when present (5010), else GS08."""
        return element(self.st, 3) or self.group.version

    @property
    def delimiters(self) -> Delimiters:
        return self.interchange.delimiters

    def __iter__(self) -> Iterator[Segment]:
        if self._started:
            raise X12Error("a transaction's segments can be read only once")
        self._started = True
        return self._reader._body(self)

    def batches(self) -> Iterator[list[Segment]]:
        """The body segments in lists (the fast path of readers), instead of one by one.

        Each list holds consecutive body segments (no ST, SE or other envelope segment); how
        the body is cut into lists is not specified. Like iterating the stream, this can be
        done once, and the trailer checks are the same. After a list is yielded,
        ``location()`` speaks of its last segment and ``location(segment=seg)`` of any
        segment ``seg`` of that list (found by identity, only when a location is asked for).
        """
        if self._started:
            raise X12Error("a transaction's segments can be read only once")
        self._started = True
        return self._reader._body_batches(self)

    def read_all(self) -> list[Segment]:
        """The whole transaction set in one list: ST, the body (read in batches) and SE
        (``["SE"]`` when the set is not closed). Like iterating, this can be done once."""
        out: list[Segment] = [self.st]
        for batch in self.batches():
            out.extend(batch)
        out.append(self.se if self.se is not None else ["SE"])
        return out

    def location(
        self,
        segment_id: str | None = None,
        element: int | None = None,
        loop: str | None = None,
        *,
        segment: Segment | None = None,
    ) -> Location:
        """Location of the segment last yielded (or of the ST before any); with ``segment``,
        of that segment of the list last yielded by :meth:`batches`."""
        return self._reader.location(
            segment_id, element, loop, self.control_number, segment=segment
        )

    def drain(self) -> None:
        if not self._started:
            for _ in self:
                pass
        elif not self._done:
            for _ in self._reader._body(self):
                pass


@attrs.define(slots=True)
class Transaction:
    """A transaction set held in memory: ``segments`` runs from ST to SE inclusive."""

    id: str
    control_number: str
    implementation: str
    segments: list[Segment]
    start_index: int
    offsets: list[int]
    interchange: InterchangeHeader
    group: GroupHeader

    @property
    def delimiters(self) -> Delimiters:
        return self.interchange.delimiters


@attrs.define(slots=True)
class FunctionalGroup:
    header: GroupHeader
    transactions: list[Transaction] = attrs.field(factory=list)
    trailer: Segment | None = None


@attrs.define(slots=True)
class Interchange:
    header: InterchangeHeader | None
    groups: list[FunctionalGroup] = attrs.field(factory=list)
    trailer: Segment | None = None

    @property
    def transactions(self) -> list[Transaction]:
        return [t for g in self.groups for t in g.transactions]


#: Default :attr:`EnvelopeReader.max_stray_segments`.
DEFAULT_MAX_STRAY_SEGMENTS = 10_000
_STRAY_REPORTED = 100


class EnvelopeReader:
    """Walks an input's envelopes; see the module docstring.

    ``transactions()`` yields a :class:`TransactionStream` per ST; reading it (or moving on to
    the next, which skips what was not read) advances the input. ``interchanges`` and
    ``groups`` seen so far are kept as headers only.
    """

    def __init__(
        self,
        source: Source,
        *,
        strict: bool = False,
        log: IssueLog | None = None,
        encoding: str | None = None,
        chunk_size: int = DEFAULT_CHUNK_SIZE,
        max_segment_length: int = 1_000_000,
        max_stray_segments: int = DEFAULT_MAX_STRAY_SEGMENTS,
        trailers: dict[int, Segment] | None = None,
    ) -> None:
        self.log = log if log is not None else IssueLog(strict=strict)
        #: When given, each GE and IEA read is recorded there by its GS's or ISA's segment
        #: index (``GroupHeader.index``, ``InterchangeHeader.index``: one index, one segment).
        #: GE01 is the count the sender gave (a 999's AK902). Off by default: a stream of many
        #: groups then holds none of them.
        self.trailers = trailers
        #: A run of more segments than this outside any transaction set (no ST) stops the
        #: reader with :class:`X12LimitError`; only the first ones of a run are reported.
        self.max_stray_segments = max_stray_segments
        self._stray_run = 0
        self.tokenizer = Tokenizer(max_segment_length=max_segment_length, log=self.log)
        self._batches = iter_segment_batches(
            source, encoding=encoding, chunk_size=chunk_size, tokenizer=self.tokenizer
        )
        self._segs: list[Segment] = []
        self._offsets: Sequence[int] = []
        self._k = -1  # position of the current segment in the batch
        self._first = 1  # index of the batch's first segment
        self._pending = False
        self._exhausted = False
        # The list last yielded by _body_batches, its first segment's position in the
        # tokenizer batch, and (built on the first location asked) id(segment) -> position.
        self._ids: list[str] | None = None  # segment ids of the batch, for _body_batches
        self._yielded: list[Segment] | None = None
        self._yielded_at = 0
        self._yielded_ids: dict[int, int] | None = None
        self.element_separator = "*"
        self.terminator = "~"
        self.interchange: InterchangeHeader | None = None
        self.group: GroupHeader | None = None
        self.interchanges: list[InterchangeHeader] = []
        #: TA1 segments found at interchange level (between ISA and GS), in order.
        self.interchange_acks: list[Segment] = []
        self._group_count = 0
        self._tx_count = 0
        self._seen_any = False

    # -- segment access ---------------------------------------------------------------
    def _next(self) -> Segment | None:
        if self._pending:
            self._pending = False
            return self._segs[self._k]
        if self._exhausted:
            return None
        self._k += 1
        if self._k >= len(self._segs):
            try:
                segs, offsets, _ = next(self._batches)
            except StopIteration:
                # Stay on the last segment so end-of-input issues are located there.
                self._exhausted = True
                self._k = len(self._segs) - 1
                return None
            self._first += len(self._segs)
            self._segs, self._offsets = segs, offsets
            self._ids = None
            self._k = 0
        return self._segs[self._k]

    def _push_back(self) -> None:
        self._pending = True

    @property
    def index(self) -> int:
        """1-based index of the current segment in the input."""
        return self._first + self._k

    def current_offset(self) -> int:
        """Character offset of the current segment (-1 when unknown)."""
        try:
            return self._offsets[self._k]
        except (IndexError, TypeError):
            return -1

    def location(
        self,
        segment_id: str | None = None,
        element_: int | None = None,
        loop: str | None = None,
        transaction: str | None = None,
        *,
        segment: Segment | None = None,
    ) -> Location:
        k = self._k
        if segment is not None and self._yielded is not None:
            ids = self._yielded_ids
            if ids is None:
                ids = self._yielded_ids = {id(s): i for i, s in enumerate(self._yielded)}
            i = ids.get(id(segment))
            if i is not None:
                k = self._yielded_at + i
        segs = self._segs
        seg_id = segment_id
        offset = None
        if 0 <= k < len(segs):
            if seg_id is None:
                seg_id = segs[k][0]
            try:
                offset = self._offsets[k]
            except (IndexError, TypeError):
                offset = None
        return Location(
            segment_index=self._first + k if 0 <= k < len(segs) else None,
            segment_id=seg_id,
            loop=loop,
            element=element_,
            offset=offset,
            transaction=transaction,
        )

    def _report(
        self,
        code: str,
        message: str,
        element_: int | None = None,
        severity: Severity = Severity.ERROR,
        value: str | None = None,
    ) -> None:
        self.log.report(
            code, message, self.location(element_=element_), severity=severity, value=value
        )

    def _deviation(self, code: str, message: str, element_: int | None = None) -> None:
        self.log.deviation(code, message, self.location(element_=element_))

    # -- envelopes --------------------------------------------------------------------
    def transactions(self) -> Iterator[TransactionStream]:
        """Yield each transaction set of the input in order."""
        while True:
            seg = self._next()
            if seg is None:
                self._end_of_input()
                return
            sid = seg[0]
            if sid == "ISA":
                self._open_interchange(seg)
            elif sid == "GS":
                self._open_group(seg)
            elif sid == "ST":
                if self.interchange is None and not self._seen_any:
                    self._synthetic_envelope()
                elif self.group is None:
                    self._report("ST_OUTSIDE_GROUP", "ST segment outside a GS/GE functional group")
                stream = TransactionStream(
                    self,
                    self.interchange or _synthetic_isa(self.element_separator),
                    self.group or _NO_GROUP,
                    seg,
                    self.index,
                )
                self._tx_count += 1
                yield stream
                stream.drain()
            elif sid == "GE":
                self._close_group(seg)
            elif sid == "IEA":
                self._close_interchange(seg)
            elif sid == "TA1" and self.interchange is not None and self.group is None:
                # Interchange acknowledgments sit between the ISA and the first GS.
                self.interchange_acks.append(seg)
            else:
                self._stray(sid)
                self._seen_any = True
                continue
            self._stray_run = 0
            self._seen_any = True

    def _stray(self, sid: str) -> None:
        self._stray_run += 1
        run = self._stray_run
        if run <= _STRAY_REPORTED:
            self._report(
                "SEGMENT_OUTSIDE_TRANSACTION",
                f"{_safe_id(sid)} segment outside an ST/SE transaction set",
                value=sid,
            )
        elif run == _STRAY_REPORTED + 1:
            self._report(
                "SEGMENT_OUTSIDE_TRANSACTION",
                f"more segments outside an ST/SE transaction set (only the first "
                f"{_STRAY_REPORTED} of a run are reported one by one)",
            )
        if run > self.max_stray_segments:
            raise X12LimitError(
                f"more than max_stray_segments={self.max_stray_segments} segments in a row "
                "outside any ST/SE transaction set; the input is not a readable interchange",
                self.location(),
                "TOO_MANY_STRAY_SEGMENTS",
            )

    def _synthetic_envelope(self) -> None:
        self.interchange = None
        self.group = None

    def _open_interchange(self, seg: Segment) -> None:
        if self.interchange is not None:
            if self.group is not None:
                self._report("MISSING_GE", "functional group not closed by a GE before the ISA")
                self.group = None
            self._report("MISSING_IEA", "interchange not closed by an IEA before the next ISA")
        term = self.terminator
        index = self.index
        for at, found in self.tokenizer.detections:
            if at <= index:
                term = found.segment
                self.element_separator = found.element
        self.terminator = term
        if len(seg) != 17:
            self._report(
                "ISA_ELEMENT_COUNT",
                f"ISA has {len(seg) - 1} elements; it must have 16",
                severity=Severity.ERROR,
            )
        self.interchange = InterchangeHeader.from_segment(
            seg, self.element_separator, term, self.index
        )
        self.interchanges.append(self.interchange)
        self._group_count = 0

    def _open_group(self, seg: Segment) -> None:
        if self.interchange is None:
            self._report("GS_OUTSIDE_INTERCHANGE", "GS segment outside an ISA/IEA interchange")
        if self.group is not None:
            self._report("MISSING_GE", "functional group not closed by a GE before the next GS")
        self.group = GroupHeader.from_segment(seg, self.index)
        self._group_count += 1
        self._tx_count = 0

    def _close_group(self, seg: Segment) -> None:
        if self.group is None:
            self._report("GE_WITHOUT_GS", "GE segment without an open GS")
            return
        if element(seg, 1) != str(self._tx_count):
            self._deviation(
                "GE01_COUNT",
                f"GE01 says {_safe_num(element(seg, 1))} transaction sets; "
                f"the group has {self._tx_count}",
                1,
            )
        if element(seg, 2) != self.group.control_number:
            self._deviation("GE02_CONTROL_NUMBER", "GE02 does not match GS06", 2)
        if self.trailers is not None:
            self.trailers[self.group.index] = seg
        self.group = None

    def _close_interchange(self, seg: Segment) -> None:
        if self.interchange is None:
            self._report("IEA_WITHOUT_ISA", "IEA segment without an open ISA")
            return
        if self.group is not None:
            self._report("MISSING_GE", "functional group not closed by a GE before the IEA")
            self.group = None
        if element(seg, 1) != str(self._group_count):
            self._deviation(
                "IEA01_COUNT",
                f"IEA01 says {_safe_num(element(seg, 1))} functional groups; "
                f"the interchange has {self._group_count}",
                1,
            )
        if element(seg, 2) != self.interchange.control_number:
            self._deviation("IEA02_CONTROL_NUMBER", "IEA02 does not match ISA13", 2)
        if self.trailers is not None:
            self.trailers[self.interchange.index] = seg
        self.interchange = None

    def _end_of_input(self) -> None:
        if not self._seen_any:
            # An empty input is not silently an empty list of transactions.
            self.log.report(
                "EMPTY_INPUT",
                "the input holds no X12 segments (it is empty or only whitespace)",
                Location(segment_index=None, offset=0),
                kind="syntax",
            )
            return
        if self.group is not None:
            self._report("MISSING_GE", "the input ends inside a functional group (no GE)")
            self.group = None
        if self.interchange is not None:
            self._report("MISSING_IEA", "the input ends inside an interchange (no IEA)")
            self.interchange = None

    def _body(self, tx: TransactionStream) -> Iterator[Segment]:
        count = tx.segment_count  # resumes where an abandoned iteration stopped
        nxt = self._next
        try:
            while True:
                seg = nxt()
                if seg is None:
                    tx.segment_count = count
                    tx._done = True
                    self._report("MISSING_SE", "the input ends inside a transaction set (no SE)")
                    return
                if seg[0] in _ENVELOPE_IDS:
                    self._end_body(tx, seg, count)
                    return
                count += 1
                yield seg
        finally:
            if not tx._done:
                tx.segment_count = count

    def _body_batches(self, tx: TransactionStream) -> Iterator[list[Segment]]:
        """Like :meth:`_body`, in lists: a C-level scan finds where the body ends in each
        tokenizer batch, so no Python code runs per segment here."""
        count = tx.segment_count
        nxt = self._next
        try:
            while True:
                seg = nxt()
                if seg is None:
                    tx.segment_count = count
                    tx._done = True
                    self._report("MISSING_SE", "the input ends inside a transaction set (no SE)")
                    return
                sid = seg[0]
                if sid in _ENVELOPE_IDS:
                    self._end_body(tx, seg, count)
                    return
                start = self._k
                segs = self._segs
                ids = self._ids
                if ids is None or len(ids) != len(segs):
                    ids = self._ids = list(map(_first_element, segs))
                end = _body_end(ids, start)
                count += end - start
                tx.segment_count = count
                self._k = end - 1
                body = segs if start == 0 and end == len(segs) else segs[start:end]
                self._yielded = body
                self._yielded_at = start
                self._yielded_ids = None
                yield body
                self._yielded = None
        finally:
            self._yielded = None
            self._yielded_ids = None

    def _end_body(self, tx: TransactionStream, seg: Segment, count: int) -> None:
        """The envelope segment ``seg`` ends the body: check an SE, or report it missing."""
        tx._done = True
        if seg[0] == "SE":
            count += 1
            tx.se = seg
            tx.segment_count = count
            if element(seg, 1) != str(count):
                self._deviation(
                    "SE01_COUNT",
                    f"SE01 says {_safe_num(element(seg, 1))} segments; "
                    f"the transaction set has {count}",
                    1,
                )
            if element(seg, 2) != tx.control_number:
                self._deviation("SE02_CONTROL_NUMBER", "SE02 does not match ST02", 2)
            return
        tx.segment_count = count
        self._report("MISSING_SE", f"transaction set not closed by an SE before {seg[0]}")
        self._push_back()


_ENVELOPE_IDS = frozenset({"ST", "GS", "GE", "ISA", "IEA", "SE"})
_ENVELOPE_IDS_BUT_SE = _ENVELOPE_IDS - {"SE"}
_first_element = operator.itemgetter(0)


def _body_end(ids: list[str], start: int) -> int:
    """Index of the first envelope segment id at or after ``start`` (``len(ids)`` if none)."""
    try:
        end = ids.index("SE", start)
    except ValueError:
        end = len(ids)
    if _ENVELOPE_IDS_BUT_SE.isdisjoint(ids[start:end]):
        return end
    for i in range(start, end):
        if ids[i] in _ENVELOPE_IDS_BUT_SE:
            return i
    return end  # pragma: no cover - isdisjoint said there is one


def _safe_id(sid: str) -> str:
    return sid if sid.isalnum() and len(sid) <= 3 else "an unrecognised"


def _safe_num(value: str) -> str:
    return value if value.isdigit() and len(value) < 12 else "something else"


def _synthetic_isa(element_separator: str) -> InterchangeHeader:
    return InterchangeHeader(
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "^",
        "",
        "",
        "",
        "",
        ":",
        element_separator,
        "~",
        0,
    )


def read_interchanges(
    source: Source,
    *,
    strict: bool = False,
    log: IssueLog | None = None,
    encoding: str | None = None,
    max_segment_length: int = 1_000_000,
    max_stray_segments: int = DEFAULT_MAX_STRAY_SEGMENTS,
) -> list[Interchange]:
    """Read a whole input into interchanges, groups and transaction sets (in memory); each
    interchange's and group's ``trailer`` is its IEA or GE (None when missing)."""
    trailers: dict[int, Segment] = {}
    reader = EnvelopeReader(
        source,
        strict=strict,
        log=log,
        encoding=encoding,
        max_segment_length=max_segment_length,
        max_stray_segments=max_stray_segments,
        trailers=trailers,
    )
    out: list[Interchange] = []
    current: Interchange | None = None
    group: FunctionalGroup | None = None
    for tx in reader.transactions():
        if current is None or current.header is not tx.interchange:
            current = Interchange(tx.interchange if tx.interchange.index else None)
            out.append(current)
            group = None
        if group is None or group.header is not tx.group:
            group = FunctionalGroup(tx.group)
            current.groups.append(group)
        segs = [tx.st]
        offsets = [reader.current_offset()]
        for seg in tx:
            segs.append(seg)
            offsets.append(reader.current_offset())
        if tx.se is not None:
            segs.append(tx.se)
            offsets.append(reader.current_offset())
        group.transactions.append(
            Transaction(
                tx.id,
                tx.control_number,
                tx.implementation,
                segs,
                tx.start_index,
                offsets,
                tx.interchange,
                tx.group,
            )
        )
    for ic in out:
        if ic.header is not None:
            ic.trailer = trailers.get(ic.header.index)
        for grp in ic.groups:
            grp.trailer = trailers.get(grp.header.index)
    return out


# ----------------------------------------------------------------------------- writing
class ControlNumbers(Protocol):
    """Where control numbers come from; continue your own sequence by implementing it."""

    def next_interchange(self) -> int: ...

    def next_group(self) -> int: ...

    def next_transaction(self) -> int: ...


@attrs.define
class SequentialControlNumbers:
    """Counts up from the given starting values (ISA13 up to 999999999)."""

    interchange: int = 1
    group: int = 1
    transaction: int = 1

    def next_interchange(self) -> int:
        n = self.interchange
        self.interchange += 1
        return n

    def next_group(self) -> int:
        n = self.group
        self.group += 1
        return n

    def next_transaction(self) -> int:
        n = self.transaction
        self.transaction += 1
        return n


@attrs.frozen
class InterchangeOptions:
    """What the ISA and GS say about sender, receiver, time and usage."""

    sender_id: str = "SENDER"  # ISA06 / GS02
    receiver_id: str = "RECEIVER"  # ISA08 / GS03
    sender_qualifier: str = "ZZ"  # ISA05
    receiver_qualifier: str = "ZZ"  # ISA07
    usage: str = "T"  # ISA15: T test, P production
    ack_requested: str = "0"  # ISA14
    authorization_qualifier: str = "00"  # ISA01
    authorization: str = ""  # ISA02
    security_qualifier: str = "00"  # ISA03
    security: str = ""  # ISA04
    application_sender: str | None = None  # GS02 when different from ISA06
    application_receiver: str | None = None  # GS03 when different from ISA08
    timestamp: _dt.datetime | None = None  # ISA09/10, GS04/05; None = now
    delimiters: Delimiters = DEFAULT


@attrs.frozen
class TransactionSpec:
    """A transaction set to write: ST01, ST03 and the body (no ST/SE)."""

    id: str
    implementation: str | None
    segments: Sequence[tuple[str, Sequence[Element]]]


@attrs.frozen
class GroupSpec:
    """A functional group to write: GS01, GS08 and its transaction sets."""

    functional_id: str
    version: str
    transactions: Sequence[TransactionSpec]


def _isa_field(value: str, width: int, path: str, problems: list[tuple[str, str]]) -> str:
    if len(value) > width:
        problems.append((path, f"is longer than its ISA width of {width}"))
    return value.ljust(width)[:width]


def write_interchange(
    groups: Sequence[GroupSpec],
    options: InterchangeOptions | None = None,
    control_numbers: ControlNumbers | None = None,
) -> str:
    """The text of one interchange holding ``groups``; nothing is returned on refusal.

    Raises :class:`X12WriteError` listing every value that cannot be written (a delimiter
    inside a value, an over-long ISA field), with its path.
    """
    opt = options or InterchangeOptions()
    numbers = control_numbers or SequentialControlNumbers()
    d = opt.delimiters
    problems: list[tuple[str, str]] = []
    when = opt.timestamp or _dt.datetime.now()
    isa13 = numbers.next_interchange()
    if not 0 <= isa13 <= 999_999_999:
        problems.append(("control_numbers.interchange", "must be between 0 and 999999999"))
    rep = d.repetition or "U"
    version = "00501" if d.repetition else "00401"
    isa = [
        _isa_field(opt.authorization_qualifier, 2, "options.authorization_qualifier", problems),
        _isa_field(opt.authorization, 10, "options.authorization", problems),
        _isa_field(opt.security_qualifier, 2, "options.security_qualifier", problems),
        _isa_field(opt.security, 10, "options.security", problems),
        _isa_field(opt.sender_qualifier, 2, "options.sender_qualifier", problems),
        _isa_field(opt.sender_id, 15, "options.sender_id", problems),
        _isa_field(opt.receiver_qualifier, 2, "options.receiver_qualifier", problems),
        _isa_field(opt.receiver_id, 15, "options.receiver_id", problems),
        when.strftime("%y%m%d"),
        when.strftime("%H%M"),
        rep,
        version,
        f"{isa13:09d}",
        _isa_field(opt.ack_requested, 1, "options.ack_requested", problems),
        _isa_field(opt.usage, 1, "options.usage", problems),
        d.component,
    ]
    if opt.usage not in ("T", "P", "I"):
        problems.append(("options.usage", "must be T (test), P (production) or I (information)"))
    out: list[str] = []
    try:
        # The ISA is fixed-width: its padding spaces are data, so it is joined directly.
        for i, v in enumerate(isa[:15], 1):
            if i != 11 and any(ch in v for ch in d.characters):
                raise UnsafeValue("contains a delimiter", i)
        out.append("ISA" + d.element + d.element.join(isa) + d.segment + d.line_break)
    except UnsafeValue as exc:
        problems.append((f"options (ISA{exc.element:02d})", exc.reason))
    for gi, grp in enumerate(groups):
        gs06 = numbers.next_group()
        gs = [
            grp.functional_id,
            opt.application_sender or opt.sender_id,
            opt.application_receiver or opt.receiver_id,
            when.strftime("%Y%m%d"),
            when.strftime("%H%M"),
            str(gs06),
            "X",
            grp.version,
        ]
        _emit(out, "GS", gs, d, f"groups[{gi}]", problems)
        for ti, tx in enumerate(grp.transactions):
            st02 = f"{numbers.next_transaction():04d}"
            st: list[Element] = [tx.id, st02]
            if tx.implementation:
                st.append(tx.implementation)
            _emit(out, "ST", st, d, f"groups[{gi}].transactions[{ti}]", problems)
            _emit_body(out, tx.segments, d, f"groups[{gi}].transactions[{ti}]", problems)
            _emit(out, "SE", [str(len(tx.segments) + 2), st02], d, "", problems)
        _emit(out, "GE", [str(len(grp.transactions)), str(gs06)], d, "", problems)
    _emit(out, "IEA", [str(len(groups)), f"{isa13:09d}"], d, "", problems)
    if problems:
        raise X12WriteError(problems)
    return "".join(out)


def _emit_body(
    out: list[str],
    segments: Sequence[tuple[str, Sequence[Element]]],
    d: Delimiters,
    path: str,
    problems: list[tuple[str, str]],
) -> None:
    """:func:`_emit` for a transaction's body; the field path is only built on a refusal."""
    i, n = 0, len(segments)
    while i < n:
        i = format_segments(segments, d, out, i)
        if i < n:  # refused: say which element of which segment, then go on
            sid, elems = segments[i]
            _emit(out, sid, elems, d, f"{path}.segments[{i}]", problems)
            i += 1


def _emit(
    out: list[str],
    seg_id: str,
    elements: Sequence[Element],
    d: Delimiters,
    path: str,
    problems: list[tuple[str, str]],
) -> None:
    try:
        out.append(format_segment(seg_id, elements, d))
    except UnsafeValue as exc:
        where = f"{seg_id}{exc.element:02d}"
        if exc.component is not None:
            where += f"-{exc.component}"
        problems.append((f"{path} ({where})", exc.reason))
