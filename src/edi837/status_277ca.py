"""The 277CA claim acknowledgment reader (005010X214): text -> typed records.

``loads(text)`` / ``load(fp)`` return one
:class:`~models.acknowledgment.ClaimAcknowledgmentReport` per 277 transaction set, its
hierarchy (HL 20 information source, 21 information receiver, 19 billing provider, PT
patient) as nested records; ``report.claims`` lists every claim with its status (STC),
patient control number (TRN02), payer claim number (REF*1K), service dates (DTP*472) and
line statuses (SVC/STC).

The hierarchy is walked by a small table-driven state machine (:data:`_LEVELS`: HL03 code
-> level, parent level, the segments each level maps); segments a level does not map are
kept in its ``unmapped``. Lenient by default: bad dates and amounts, unknown HL levels and
misplaced segments are reported to the :class:`~x12.errors.IssueLog` with their location
and reading goes on; ``strict=True`` raises the first error. Only
:class:`~x12.errors.X12Error` escapes.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import IO, Any

import attrs

from models.acknowledgment import (
    ClaimAcknowledgment,
    ClaimAcknowledgmentReport,
    InformationReceiver,
    InformationSource,
    LineAcknowledgment,
    Party,
    ProviderAcknowledgment,
    StatusCode,
    StatusInfo,
)
from models.common import UnmappedSegment
from x12.envelope import EnvelopeReader, TransactionStream
from x12.errors import IssueLog, Location, Severity
from x12.segment import element
from x12.tokenizer import Segment

__all__ = ["load", "loads"]

#: HL03 hierarchical level code -> (level name, the level names its HL02 parent may have).
_LEVELS: dict[str, tuple[str, tuple[str, ...]]] = {
    "20": ("source", ()),
    "21": ("receiver", ("source",)),
    "19": ("provider", ("receiver",)),
    "PT": ("claim", ("provider",)),
}


def loads(
    text: str | bytes, *, strict: bool = False, log: IssueLog | None = None
) -> list[ClaimAcknowledgmentReport]:
    """Read every 277CA transaction set of ``text``."""
    return _read(text, strict, log)


def load(
    fp: IO[str] | IO[bytes], *, strict: bool = False, log: IssueLog | None = None
) -> list[ClaimAcknowledgmentReport]:
    """Read every 277CA transaction set of an open file."""
    return _read(fp, strict, log)


def _read(source: Any, strict: bool, log: IssueLog | None) -> list[ClaimAcknowledgmentReport]:
    own = log if log is not None else IssueLog(strict=strict)
    if log is not None and strict:
        own.strict = True
    reader = EnvelopeReader(source, log=own)
    out: list[ClaimAcknowledgmentReport] = []
    for tx in reader.transactions():
        if tx.id != "277":
            own.report(
                "NOT_277",
                "transaction set is not a 277; skipped",
                tx.location(element=1),
                severity=Severity.WARNING,
            )
            continue
        out.append(_Walker(tx, own).run())
    return out


# ------------------------------------------------------------------------------ builders
@attrs.define
class _Level:
    kind: str
    party: Party | None = None
    trace: str = ""
    statuses: list[StatusInfo] = attrs.field(factory=list)
    refs: list[tuple[str, str]] = attrs.field(factory=list)
    named: dict[str, str] = attrs.field(factory=dict)
    quantities: dict[str, Decimal | None] = attrs.field(factory=dict)
    amounts: dict[str, Decimal | None] = attrs.field(factory=dict)
    dates: dict[str, tuple[_dt.date | None, _dt.date | None]] = attrs.field(factory=dict)
    raw: dict[tuple[str, str], Segment] = attrs.field(factory=dict)
    children: list[_Level] = attrs.field(factory=list)
    lines: list[_Line] = attrs.field(factory=list)
    unmapped: list[UnmappedSegment] = attrs.field(factory=list)


@attrs.define
class _Line:
    svc: Segment
    statuses: list[StatusInfo] = attrs.field(factory=list)
    fj: str = ""
    dates: dict[str, tuple[_dt.date | None, _dt.date | None]] = attrs.field(factory=dict)
    raw: dict[tuple[str, str], Segment] = attrs.field(factory=dict)
    unmapped: list[UnmappedSegment] = attrs.field(factory=list)


class _Walker:
    def __init__(self, tx: TransactionStream, log: IssueLog) -> None:
        self.tx = tx
        self.log = log
        d = tx.delimiters
        self.comp = d.component
        self.rep = d.repetition
        self.bht: Segment | None = None
        self.roots: list[_Level] = []
        self.by_id: dict[str, _Level] = {}
        self.level: _Level | None = None
        self.line: _Line | None = None
        self.top_unmapped: list[UnmappedSegment] = []
        self.unknown = False  # inside an HL level the 277CA does not define

    # -- helpers ----------------------------------------------------------------------
    def where(self, element_: int | None = None, component: int | None = None) -> Location:
        return self.tx.location(element=element_).with_element(element_, component)

    def keep(self, seg: Segment) -> None:
        um = UnmappedSegment.from_raw(seg, self.comp, self.rep)
        if self.line is not None:
            self.line.unmapped.append(um)
        elif self.level is not None:
            self.level.unmapped.append(um)
        else:
            self.top_unmapped.append(um)

    def amount(self, seg: Segment, i: int) -> Decimal | None:
        value = element(seg, i)
        if not value:
            return None
        try:
            result = Decimal(value)
        except InvalidOperation:
            result = None
        if result is None or not result.is_finite():
            self.log.report(
                "BAD_AMOUNT",
                f"{seg[0]}{i:02d} is not a number",
                self.where(i),
                kind="value",
            )
            return None
        return result

    def date(self, value: str, i: int) -> _dt.date | None:
        if not value:
            return None
        try:
            if len(value) == 8 and value.isdigit():
                return _dt.date(int(value[:4]), int(value[4:6]), int(value[6:]))
        except ValueError:
            pass
        self.log.report(
            "BAD_DATE", f"element {i:02d} is not a CCYYMMDD date", self.where(i), kind="value"
        )
        return None

    def dtp(self, seg: Segment) -> tuple[_dt.date | None, _dt.date | None]:
        fmt, value = element(seg, 2), element(seg, 3)
        if fmt == "RD8":
            start, _, end = value.partition("-")
            return self.date(start, 3), self.date(end, 3)
        if fmt != "D8":
            self.log.report(
                "BAD_DATE_FORMAT", "DTP02 is not D8 or RD8", self.where(2), kind="value"
            )
            return None, None
        d = self.date(value, 3)
        return d, d

    def stc(self, seg: Segment) -> StatusInfo:
        codes: list[StatusCode] = []
        for i in (1, 10, 11):
            raw = element(seg, i)
            if not raw:
                continue
            parts = [*raw.split(self.comp), "", "", ""]
            codes.append(StatusCode(parts[0], parts[1], parts[2], parts[3]))
        if not codes:
            self.log.report("STC01_MISSING", "STC without a status code (STC01)", self.where(1))
        return StatusInfo(
            tuple(codes),
            self.date(element(seg, 2), 2),
            element(seg, 3),
            self.amount(seg, 4),
            self.amount(seg, 5),
            element(seg, 12),
        )

    def nm1(self, seg: Segment) -> Party:
        v = [element(seg, i) for i in range(10)]
        return Party(v[1], v[2], v[3], v[4], v[5], v[7], v[8], v[9])

    # -- the walk ---------------------------------------------------------------------
    def run(self) -> ClaimAcknowledgmentReport:
        handlers: dict[str, Callable[[Segment], None]] = {
            "BHT": self.on_bht,
            "HL": self.on_hl,
            "NM1": self.on_nm1,
            "TRN": self.on_trn,
            "STC": self.on_stc,
            "REF": self.on_ref,
            "DTP": self.on_dtp,
            "QTY": self.on_qty,
            "AMT": self.on_amt,
            "SVC": self.on_svc,
        }
        if self.tx.implementation != "005010X214":
            self.log.report(
                "NOT_277CA",
                "the 277 is not a 005010X214 claim acknowledgment; read as one where it fits",
                self.tx.location(element=3),
                severity=Severity.WARNING,
            )
        for seg in self.tx:
            handler = handlers.get(seg[0])
            if (self.unknown and seg[0] != "HL") or handler is None:
                self.keep(seg)
            else:
                handler(seg)
        bht = self.bht or ["BHT"]
        return ClaimAcknowledgmentReport(
            self.tx.control_number,
            element(bht, 3),
            self.date(element(bht, 4), 4) if self.bht is not None else None,
            element(bht, 5),
            element(bht, 6),
            tuple(self.source(s) for s in self.roots),
            tuple(self.top_unmapped),
        )

    def on_bht(self, seg: Segment) -> None:
        if self.bht is not None or self.level is not None:
            self.log.report("UNEXPECTED_SEGMENT", "BHT segment not expected here", self.where())
            self.keep(seg)
            return
        self.bht = seg

    def on_hl(self, seg: Segment) -> None:
        self.line = None
        self.unknown = False
        code = element(seg, 3)
        spec = _LEVELS.get(code)
        if spec is None:
            self.log.report(
                "UNKNOWN_HL_LEVEL",
                "HL03 is not a 277CA level (20, 21, 19, PT); its segments are kept unmapped",
                self.where(3),
            )
            self.keep(seg)
            self.unknown = True
            return
        kind, parents = spec
        level = _Level(kind)
        parent = self.by_id.get(element(seg, 2)) if element(seg, 2) else None
        if parents:
            if parent is None or parent.kind not in parents:
                self.log.report(
                    "HL_PARENT",
                    f"HL02 does not name a {parents[0]} level for this {kind} level",
                    self.where(2),
                )
                parent = self._last_of(parents[0])
            if parent is None:
                self.roots.append(_Level("source"))
                parent = self._chain(parents[0])
            parent.children.append(level)
        else:
            self.roots.append(level)
        self.by_id[element(seg, 1)] = level
        self.level = level

    def _last_of(self, kind: str) -> _Level | None:
        found: _Level | None = None
        stack = list(self.roots)
        while stack:
            lv = stack.pop(0)
            if lv.kind == kind:
                found = lv
            stack.extend(lv.children)
        return found

    def _chain(self, kind: str) -> _Level:
        """An empty chain of levels down to ``kind`` under the last root (missing HLs)."""
        order = ["source", "receiver", "provider"]
        node = self.roots[-1]
        for k in order[1 : order.index(kind) + 1]:
            child = _Level(k)
            node.children.append(child)
            node = child
        return node

    def _level_or_keep(self, seg: Segment) -> _Level | None:
        if self.level is None:
            self.log.report(
                "UNEXPECTED_SEGMENT", f"{seg[0]} segment before the first HL", self.where()
            )
            self.keep(seg)
            return None
        return self.level

    def on_nm1(self, seg: Segment) -> None:
        level = self._level_or_keep(seg)
        if level is None:
            return
        if level.party is not None or self.line is not None:
            self.keep(seg)
            return
        level.party = self.nm1(seg)

    def on_trn(self, seg: Segment) -> None:
        level = self._level_or_keep(seg)
        if level is None:
            return
        if level.trace or self.line is not None:
            self.keep(seg)
            return
        level.trace = element(seg, 2)

    def on_stc(self, seg: Segment) -> None:
        if self.line is not None:
            self.line.statuses.append(self.stc(seg))
            return
        level = self._level_or_keep(seg)
        if level is None:
            return
        if level.kind == "source":
            self.keep(seg)
            return
        level.statuses.append(self.stc(seg))

    def on_ref(self, seg: Segment) -> None:
        qual, value = element(seg, 1), element(seg, 2)
        if self.line is not None:
            if qual == "FJ" and not self.line.fj:
                self.line.fj = value
            else:
                self.keep(seg)
            return
        level = self._level_or_keep(seg)
        if level is None:
            return
        if level.kind not in ("provider", "claim"):
            self.keep(seg)
            return
        if level.kind == "claim" and qual in ("1K", "D9", "BLT"):
            if qual in level.named:
                self.keep(seg)
            else:
                level.named[qual] = value
            return
        level.refs.append((qual, value))

    def on_dtp(self, seg: Segment) -> None:
        target: Any = self.line if self.line is not None else self._level_or_keep(seg)
        if target is None:
            return
        qual = element(seg, 1)
        if qual in target.dates:
            self.keep(seg)
            return
        target.dates[qual] = self.dtp(seg)
        target.raw[("DTP", qual)] = seg

    def on_qty(self, seg: Segment) -> None:
        level = self._level_or_keep(seg)
        if level is None:
            return
        if self.line is not None:
            self.keep(seg)
            return
        if element(seg, 1) in level.quantities:
            self.keep(seg)
            return
        level.quantities[element(seg, 1)] = self.amount(seg, 2)
        level.raw[("QTY", element(seg, 1))] = seg

    def on_amt(self, seg: Segment) -> None:
        level = self._level_or_keep(seg)
        if level is None:
            return
        if self.line is not None:
            self.keep(seg)
            return
        if element(seg, 1) in level.amounts:
            self.keep(seg)
            return
        level.amounts[element(seg, 1)] = self.amount(seg, 2)
        level.raw[("AMT", element(seg, 1))] = seg

    def on_svc(self, seg: Segment) -> None:
        level = self._level_or_keep(seg)
        if level is None:
            return
        if level.kind != "claim":
            self.log.report(
                "UNEXPECTED_SEGMENT", "SVC segment outside a patient (PT) level", self.where()
            )
            self.keep(seg)
            return
        self.line = _Line(seg)
        level.lines.append(self.line)

    # -- freezing ---------------------------------------------------------------------
    def source(self, lv: _Level) -> InformationSource:
        received = lv.dates.pop("050", (None, None))[0]
        processed = lv.dates.pop("009", (None, None))[0]
        return InformationSource(
            lv.party,
            lv.trace,
            received,
            processed,
            tuple(self.receiver(c) for c in lv.children if c.kind == "receiver"),
            tuple(lv.unmapped) + self._leftovers(lv),
        )

    def receiver(self, lv: _Level) -> InformationReceiver:
        return InformationReceiver(
            lv.party,
            lv.trace,
            tuple(lv.statuses),
            lv.quantities.pop("90", None),
            lv.quantities.pop("AA", None),
            lv.amounts.pop("YU", None),
            lv.amounts.pop("YY", None),
            tuple(self.provider(c) for c in lv.children if c.kind == "provider"),
            tuple(lv.unmapped) + self._leftovers(lv),
        )

    def provider(self, lv: _Level) -> ProviderAcknowledgment:
        return ProviderAcknowledgment(
            lv.party,
            lv.trace,
            tuple(lv.statuses),
            tuple(lv.refs),
            lv.quantities.pop("QA", None),
            lv.quantities.pop("QC", None),
            lv.amounts.pop("YU", None),
            lv.amounts.pop("YY", None),
            tuple(self.claim(c, lv.party) for c in lv.children if c.kind == "claim"),
            tuple(lv.unmapped) + self._leftovers(lv),
        )

    def claim(self, lv: _Level, provider: Party | None) -> ClaimAcknowledgment:
        dates = lv.dates.pop("472", (None, None))
        return ClaimAcknowledgment(
            lv.party,
            lv.trace,
            tuple(lv.statuses),
            lv.named.get("1K", ""),
            lv.named.get("D9", ""),
            lv.named.get("BLT", ""),
            tuple(lv.refs),
            dates[0],
            dates[1],
            tuple(self.line_ack(x) for x in lv.lines),
            provider,
            tuple(lv.unmapped) + self._leftovers(lv),
        )

    def line_ack(self, ln: _Line) -> LineAcknowledgment:
        svc = ln.svc
        dates = ln.dates.pop("472", (None, None))
        leftovers = tuple(
            UnmappedSegment.from_raw(seg, self.comp, self.rep)
            for (sid, q), seg in ln.raw.items()
            if sid == "DTP" and q in ln.dates
        )
        return LineAcknowledgment(
            tuple(element(svc, 1).split(self.comp)),
            self.amount(svc, 2),
            self.amount(svc, 3),
            element(svc, 4),
            self.amount(svc, 7),
            tuple(ln.statuses),
            ln.fj,
            dates[0],
            dates[1],
            tuple(ln.unmapped) + leftovers,
        )

    def _leftovers(self, lv: _Level) -> tuple[UnmappedSegment, ...]:
        """What a level read but its record has no field for, kept as segments."""
        out: list[UnmappedSegment] = []
        for (sid, q), seg in lv.raw.items():
            left = (
                (sid == "QTY" and q in lv.quantities)
                or (sid == "AMT" and q in lv.amounts)
                or (sid == "DTP" and q in lv.dates)
            )
            if left:
                out.append(UnmappedSegment.from_raw(seg, self.comp, self.rep))
        return tuple(out)
