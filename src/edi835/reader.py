"""The 835 reader: X12 text in, :class:`~models.remittance.Remittance` objects out.

Built on :class:`x12.envelope.EnvelopeReader` (streamed, bounded memory). Each transaction's
body goes through a small state machine whose states are the guide's loops (see
:mod:`edi835.tables`): one dict dispatch per segment to a handler for that segment in that
loop; the handler turns the raw element strings into model values. Nothing is built per
element; the cyclic garbage collector is paused while a transaction is read (the objects
made are acyclic), and the frozen models are built with constructors that skip the attrs
validators (the reader has already checked the values it puts in them).

Lenient by default: every deviation is an :class:`~x12.errors.Issue` on the log (located:
segment index, segment id, loop, element), the data is still returned, and what could not be
modelled is kept as an :class:`~models.common.UnmappedSegment` on its loop. ``strict=True``
raises the first error.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterator
from decimal import Decimal, InvalidOperation
from typing import IO, Any, ClassVar, TypeVar

import attrs

from edi835 import tables as T
from models._construct import fast_constructor
from models.common import Address, Adjustment, AdjustmentGroup, Contact, UnmappedSegment
from models.remittance import (
    INPATIENT_FIELDS,
    OUTPATIENT_FIELDS,
    SUMMARY_FIELDS,
    SUPPLEMENTAL_FIELDS,
    Amount,
    BankAccount,
    ClaimGroup,
    ClaimPayment,
    InpatientAdjudication,
    OutpatientAdjudication,
    Party,
    Procedure,
    ProviderAdjustment,
    ProviderSummary,
    ProviderSupplementalSummary,
    Quantity,
    Reference,
    RemarkCode,
    Remittance,
    RemittanceDelivery,
    RemittanceParty,
    ServicePayment,
)
from x12.envelope import EnvelopeReader, Source, TransactionStream
from x12.errors import Issue, IssueLog, Location, Severity, X12Error
from x12.gcpause import collector_paused

__all__ = [
    "GroupEnd",
    "ReadResult",
    "StreamedTransaction",
    "iter_claims",
    "iter_remittances",
    "iter_remittances_keyed",
    "iter_remittances_located",
    "load",
    "loads",
    "read",
    "stream_transactions",
]

_C = TypeVar("_C")


def _template(cls: type[Any]) -> tuple[list[Any], dict[str, int]]:
    values: list[Any] = []
    index: dict[str, int] = {}
    for i, f in enumerate(attrs.fields(cls)):
        index[f.name] = i
        values.append(None if f.default is attrs.NOTHING else f.default)
    return values, index


_new_claim = fast_constructor(ClaimPayment)
_new_service = fast_constructor(ServicePayment)
_new_adjustment = fast_constructor(Adjustment)
_new_party = fast_constructor(Party)
_new_procedure = fast_constructor(Procedure)
_new_reference = fast_constructor(Reference)
_new_amount = fast_constructor(Amount)
_CLAIM_TEMPLATE, _CI = _template(ClaimPayment)
_SERVICE_TEMPLATE, _SI = _template(ServicePayment)

_C_ADJ = _CI["adjustments"]
_C_REFS = _CI["references"]
_C_CONTACTS = _CI["contacts"]
_C_AMTS = _CI["amounts"]
_C_QTY = _CI["quantities"]
_C_SVCS = _CI["services"]
_C_UNM = _CI["unmapped"]
_S_ADJ = _SI["adjustments"]
_S_REFS = _SI["references"]
_S_AMTS = _SI["amounts"]
_S_QTY = _SI["quantities"]
_S_LQ = _SI["remarks"]
_S_UNM = _SI["unmapped"]
_GROUPS = {g.value: g for g in AdjustmentGroup}
_DEC_CACHE: dict[str, Decimal] = {}
_DATE_CACHE: dict[str, _dt.date] = {}
#: One string object per distinct code value (CAS reasons, NM101/102/108, CLP02/06/08/09,
#: REF01, AMT01, SVC01-1/-2 and modifiers, SVC04): the same few values recur on every claim,
#: and a model that shares them holds less memory and costs the garbage collector less to
#: walk (at 20,000 claims: 13 MB less, a full collection 30% faster). Names, ids and amounts
#: are not codes and are not kept here. Bounded: emptied between batches past _CODES_MAX.
_CODES: dict[str, str] = {}
_CODES_MAX = 4096
_code = _CODES.setdefault
#: One model object per distinct procedure composite (SVC01/SVC06, keyed by the component
#: separator and the text) and one ``(Amount,)`` per distinct AMT segment (keyed by its
#: elements): models are frozen, so equal values can be one object. Procedure codes recur
#: across a payer's lines, and a remittance of fewer objects costs the garbage collector less:
#: on a 20,000-claim 835 from ``edi835.fake`` (45,000 lines), 451,000 -> 316,000 objects, a
#: full collection 0.12 -> 0.08 s, the read itself 1-3 % faster. Adjustments (CAS) are not
#: shared: their amounts vary, and keying them cost more than it saved. Bounded as _CODES.
_VALUES: dict[tuple[str, ...], Any] = {}


class _Bad(Exception):
    """A value that cannot be read (caught by the handler's caller)."""

    def __init__(self, element: int, message: str) -> None:
        super().__init__(message)
        self.element = element


def _decimal(text: str, element: int) -> Decimal:
    d = _DEC_CACHE.get(text)
    if d is not None:
        return d
    try:
        d = Decimal(text)
    except InvalidOperation:
        raise _Bad(element, "is not a number") from None
    if not d.is_finite() or text.strip() != text:
        raise _Bad(element, "is not a number")
    if len(_DEC_CACHE) > 50_000:
        _DEC_CACHE.clear()
    _DEC_CACHE[text] = d
    return d


def _opt_decimal(text: str, element: int) -> Decimal | None:
    return _decimal(text, element) if text else None


def _date(text: str, element: int) -> _dt.date:
    d = _DATE_CACHE.get(text)
    if d is not None:
        return d
    if len(text) != 8 or not text.isdigit():
        raise _Bad(element, "is not a CCYYMMDD date")
    try:
        d = _dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        raise _Bad(element, "is not a valid date") from None
    if len(_DATE_CACHE) > 50_000:
        _DATE_CACHE.clear()
    _DATE_CACHE[text] = d
    return d


def _el(seg: list[str], i: int) -> str:
    return seg[i] if i < len(seg) else ""


def _opt(seg: list[str], i: int) -> str | None:
    return (seg[i] or None) if i < len(seg) else None


def _by_table(cls: type[_C], fields: tuple[tuple[str, str], ...], seg: list[str]) -> _C:
    kwargs: dict[str, Any] = {}
    for i, (name, kind) in enumerate(fields, 1):
        if i >= len(seg):
            break
        v = seg[i]
        if not v:
            continue
        if not kind:
            raise _Bad(i, "is not used by the guide")
        if kind == "d":
            kwargs[name] = _decimal(v, i)
        elif kind == "date":
            kwargs[name] = _date(v, i)
        else:
            kwargs[name] = v
    if len(seg) > len(fields) + 1 and any(seg[len(fields) + 1 :]):
        raise _Bad(len(fields) + 1, "is not used by the guide")
    return cls(**kwargs)


def _cas(seg: list[str]) -> tuple[Adjustment, ...]:
    """CAS: up to six (reason, amount, quantity) triplets under one group code."""
    n = len(seg)
    group = _GROUPS.get(seg[1])
    if group is None:
        raise _Bad(1, "is not an adjustment group code (CO, OA, PI, PR)")
    dc = _DEC_CACHE
    if n == 4 and seg[2]:
        v = seg[3]
        a = dc.get(v)
        r = seg[2]
        return (_new_adjustment(group, _code(r, r), a if a is not None else _decimal(v, 3), None),)
    if n < 4 or n > 20:
        raise _Bad(2, "needs one to six reason/amount/quantity triplets")
    items = []
    for i in range(2, n, 3):
        reason = seg[i]
        amt = seg[i + 1] if i + 1 < n else ""
        qty = seg[i + 2] if i + 2 < n else ""
        if not reason:
            if amt or qty:
                raise _Bad(i, "adjustment amount without a reason code")
            continue
        if not amt:
            raise _Bad(i + 1, "adjustment reason without an amount")
        a = dc.get(amt)
        if a is None:
            a = _decimal(amt, i + 1)
        q = _decimal(qty, i + 2) if qty else None
        items.append(_new_adjustment(group, _code(reason, reason), a, q))
    return tuple(items)


def _amount(seg: list[str]) -> tuple[Amount]:
    """AMT (three elements): the amount, as a one-item tuple shared by equal segments."""
    key = tuple(seg)
    hit = _VALUES.get(key)
    if hit is not None:
        return hit  # type: ignore[no-any-return]
    q = seg[1]
    made = (_new_amount(_code(q, q), _decimal(seg[2], 2)),)
    _VALUES[key] = made
    return made


@attrs.define
class _PartyBuilder:
    name: str
    id_qualifier: str | None
    id: str | None
    n3: list[str] | None = None
    n4: list[str] | None = None
    references: list[Reference] = attrs.field(factory=list)
    contacts: list[Contact] = attrs.field(factory=list)
    delivery: RemittanceDelivery | None = None
    unmapped: list[UnmappedSegment] = attrs.field(factory=list)

    def build(self) -> RemittanceParty:
        address = None
        n3, n4 = self.n3, self.n4
        if n3 is not None and n4 is not None and n3[1] and _el(n4, 1):
            address = Address(
                line1=n3[1],
                line2=_opt(n3, 2),
                city=n4[1],
                state=_opt(n4, 2),
                postal_code=_opt(n4, 3),
                country=_opt(n4, 4),
                country_subdivision=_opt(n4, 7),
            )
        return RemittanceParty(
            name=self.name,
            id_qualifier=self.id_qualifier,
            id=self.id,
            address=address,
            references=tuple(self.references),
            contacts=tuple(self.contacts),
            delivery=self.delivery,
            unmapped=tuple(self.unmapped),
        )


_EMPTY_PARTY = RemittanceParty(name="")


_Table = dict[str, Callable[[Any, list[str]], Any]]


class _TxReader:
    """Reads one transaction's body; ``run()`` yields each claim payment as it closes."""

    claim_table: ClassVar[_Table]
    service_table: ClassVar[_Table]

    def __init__(
        self, tx: TransactionStream, log: IssueLog, keep: bool, track: bool = False
    ) -> None:
        self.tx = tx
        self.track = track
        self.n_claims = 0
        self.positions: dict[tuple[int, int], Location] = {}
        self.log = log
        self.keep = keep
        d = tx.delimiters
        self.comp = d.component
        self.rep = d.repetition
        self.state = T.HEADER
        self.header: dict[str, Any] = {}
        self.header_refs: list[Reference] = []
        self.header_unmapped: list[UnmappedSegment] = []
        self.payer: _PartyBuilder | None = None
        self.payee: _PartyBuilder | None = None
        self.party: _PartyBuilder | None = None
        self.groups: list[ClaimGroup] = []
        self.g_number: str | None = None
        self.g_summary: ProviderSummary | None = None
        self.g_supp: ProviderSupplementalSummary | None = None
        self.g_claims: list[ClaimPayment] = []
        self.g_unmapped: list[UnmappedSegment] = []
        self.g_open = False
        self.plb: list[ProviderAdjustment] = []
        self.footer_unmapped: list[UnmappedSegment] = []
        self.c: Any = None
        self.s: Any = None
        #: keep=False: the claims closed and not yet handed out; with :attr:`mark_groups`,
        #: also each LX group's start and end, in file order (see :meth:`mark_group`).
        self.pending: list[Any] = []
        self.mark_groups = False
        self.g_marked = False  # the current group's start is on pending
        self.g_held: list[ClaimPayment] = []  # its claims closed before that
        self.g_closed = 0  # groups closed so far
        #: With ``keep=False``: build the header remittance at the first CLP (iter_claims
        #: hands it out with each claim); a streamed table read builds it at the end only.
        self.eager_header = True
        self.comp_warned = False
        self.current: list[str] | None = None  # the segment being read (for locations)
        self._header_remittance: Remittance | None = None
        # The dispatch tables hold plain functions (called as ``handler(self, seg)``): bound
        # methods would make a reference cycle that keeps every model read alive until the
        # cyclic collector runs.
        self.tables = _TABLES

    def goto(self, state: int) -> _Table:
        self.state = state
        return self.tables[state]

    # -- issues -------------------------------------------------------------------
    def issue(
        self,
        code: str,
        message: str,
        element: int | None = None,
        *,
        error: bool = True,
        value: str | None = None,
    ) -> None:
        """Log an issue at the current segment. ``value`` (the offending element, which may
        be patient data) is shown only when the log's ``show_values`` is on."""
        loc = self.tx.location(element=element, loop=T.LOOP_NAMES[self.state], segment=self.current)
        if error:
            self.log.report(code, message, loc, kind="value", value=value)
        else:
            self.log.warn(code, message, loc, value=value)

    def unmapped(self, seg: list[str]) -> UnmappedSegment:
        return UnmappedSegment.from_raw(seg, self.comp, self.rep)

    def keep_unmapped(self, seg: list[str]) -> None:
        u = self.unmapped(seg)
        st = self.state
        if st == T.SERVICE and self.s is not None:
            self.s[_S_UNM] += (u,)
        elif st == T.CLAIM and self.c is not None:
            self.c[_C_UNM] += (u,)
        elif st == T.GROUP:
            self.g_unmapped.append(u)
        elif st in (T.PAYER, T.PAYEE) and self.party is not None:
            self.party.unmapped.append(u)
        elif st == T.FOOTER:
            self.footer_unmapped.append(u)
        else:
            self.header_unmapped.append(u)

    # -- main loop ----------------------------------------------------------------
    def run(self) -> Iterator[ClaimPayment]:
        """Read the body, yielding the claim payments closed by each batch of segments
        (``keep=False``: memory is bounded by a batch, whatever the transaction's size)."""
        for taken in self.run_batches():
            yield from taken

    def run_batches(
        self, make: Callable[[list[Any]], list[Any]] | None = None
    ) -> Iterator[list[Any]]:
        """Read the body (``keep=False``) a batch of segments at a time, yielding what each
        batch closed (:attr:`pending`: claims, or groups too with :attr:`mark_groups`) as a
        new list, or what ``make`` makes of it.

        Each batch is read with the cyclic collector paused and handed out after it
        resumes: the segments and models of a batch are made without the collector walking
        them every few hundred allocations, and when the caller lets them go before the next
        batch they die (by reference counting) before it ever scans them."""
        table = self.tables[T.HEADER]
        pending = self.pending
        batches = self.tx.batches()
        while True:
            with collector_paused():
                batch = next(batches, None)
                if batch is None:
                    self.finish_claim()
                    self.close_group()
                else:
                    table = self.read_batch(batch, table)
                taken = None
                if pending:
                    taken = pending[:] if make is None else make(pending)
                    pending.clear()
            if taken is not None:
                yield taken
            if batch is None:
                return

    def run_all(self) -> None:
        """Read the whole body (``keep=True``): the fast path of load/loads."""
        table = self.tables[T.HEADER]
        for batch in self.tx.batches():
            table = self.read_batch(batch, table)
        self.finish_claim()
        self.close_group()

    def read_batch(self, batch: list[list[str]], table: _Table) -> _Table:
        """One dispatch per segment through the state's handler table; returns the table
        in force after the batch. A segment that does not read is kept, never fatal."""
        if len(_CODES) > _CODES_MAX:
            _CODES.clear()
        if len(_VALUES) > _CODES_MAX:
            _VALUES.clear()
        for seg in batch:
            self.current = seg
            h = table.get(seg[0])
            try:
                if h is None:
                    self.unexpected(seg)
                else:
                    t = h(self, seg)
                    if t is not None:
                        table = t
            except _Bad as bad:
                self.bad(seg, bad)
                table = self.tables[self.state]
            except X12Error:
                raise
            except Exception:  # a malformed segment must never end the read
                self.missing(seg)
                table = self.tables[self.state]
        return table

    def bad(self, seg: list[str], bad: _Bad) -> None:
        value = seg[bad.element] if bad.element < len(seg) else None
        self.issue("BAD_VALUE", f"{seg[0]}{bad.element:02d} {bad}", bad.element, value=value)
        self.keep_unmapped(seg)

    def missing(self, seg: list[str]) -> None:
        self.issue("UNREADABLE_SEGMENT", f"{seg[0]} lacks required elements or is malformed")
        self.keep_unmapped(seg)

    def unexpected(self, seg: list[str]) -> None:
        sid = seg[0]
        name = sid if sid.isalnum() and len(sid) <= 3 else "an unrecognised"
        self.log.deviation(
            "UNEXPECTED_SEGMENT",
            f"{name} segment is not expected in loop {T.LOOP_NAMES[self.state]}; kept as is",
            self.tx.location(loop=T.LOOP_NAMES[self.state], segment=self.current),
            value=sid,
        )
        self.keep_unmapped(seg)

    # -- header -------------------------------------------------------------------
    def bpr(self, seg: list[str]) -> None:
        h = self.header
        if "handling" in h:
            self.unexpected(seg)
            return
        if self.track:
            self.positions[(-1, -1)] = self.tx.location(loop="HEADER", segment=self.current)
        e = seg + [""] * (17 - len(seg)) if len(seg) < 17 else seg
        h["handling"] = e[1]
        h["amount"] = _decimal(e[2], 2)
        h["credit_debit"] = e[3]
        h["method"] = e[4]
        h["payment_format"] = e[5] or None
        if e[6] or e[7] or e[8] or e[9]:
            if not (e[6] and e[7]):
                self.issue("MISSING_ELEMENT", "BPR06/07 sender bank incomplete", 6, error=False)
            h["sender_bank"] = BankAccount(e[6], e[7], e[8] or None, e[9] or None)
        h["originating_company_id"] = e[10] or None
        h["originating_company_code"] = e[11] or None
        if e[12] or e[13] or e[14] or e[15]:
            if not (e[12] and e[13]):
                self.issue("MISSING_ELEMENT", "BPR12/13 receiver bank incomplete", 12, error=False)
            h["receiver_bank"] = BankAccount(e[12], e[13], e[14] or None, e[15] or None)
        try:
            h["payment_date"] = _date(e[16], 16) if e[16] else None
        except _Bad as bad:
            self.issue("BAD_VALUE", f"BPR16 {bad} (a lenient read drops it)", 16)
        if len(seg) > 17 and any(seg[17:]):
            self.issue("UNUSED_ELEMENT", "BPR17-21 are not used by the guide; ignored", 17)

    def trn(self, seg: list[str]) -> None:
        h = self.header
        if "trace_number" in h or len(seg) > 5:
            self.unexpected(seg)
            return
        h["trace_type"] = seg[1]
        h["trace_number"] = seg[2]
        h["trace_originator"] = _opt(seg, 3)
        h["trace_originator_supplemental"] = _opt(seg, 4)

    def cur(self, seg: list[str]) -> None:
        if "currency" in self.header or len(seg) > 3 or seg[1] != "PR":
            self.keep_unmapped(seg)
            return
        self.header["currency"] = seg[2]

    def header_ref(self, seg: list[str]) -> None:
        if len(seg) != 3 or not seg[2]:
            self.keep_unmapped(seg)
            return
        if seg[1] not in T.HEADER_REFS:
            self.issue("UNKNOWN_QUALIFIER", "REF01 is not a header qualifier", 1, error=False)
        self.header_refs.append(_new_reference(seg[1], seg[2]))

    def header_dtm(self, seg: list[str]) -> None:
        if seg[1] != "405" or len(seg) != 3 or "production_date" in self.header:
            self.keep_unmapped(seg)
            return
        self.header["production_date"] = _date(seg[2], 2)

    # -- payer / payee --------------------------------------------------------------
    def n1(self, seg: list[str]) -> _Table | None:
        code = seg[1]
        if len(seg) > 5 or not _el(seg, 2):
            self.keep_unmapped(seg)
            return None
        b = _PartyBuilder(seg[2], _opt(seg, 3), _opt(seg, 4))
        if code == "PR" and self.payer is None:
            self.payer = b
            state = T.PAYER
        elif code == "PE" and self.payee is None:
            self.payee = b
            state = T.PAYEE
        else:
            self.unexpected(seg)
            return None
        self.party = b
        return self.goto(state)

    def n3(self, seg: list[str]) -> None:
        p = self.party
        if p is None or p.n3 is not None or len(seg) > 3 or not seg[1]:
            self.keep_unmapped(seg)
            return
        p.n3 = seg

    def n4(self, seg: list[str]) -> None:
        p = self.party
        if (
            p is None
            or p.n4 is not None
            or p.n3 is None
            or len(seg) > 8
            or not seg[1]
            or any(seg[5:7])
        ):
            self.keep_unmapped(seg)
            return
        p.n4 = seg

    def party_ref(self, seg: list[str]) -> None:
        p = self.party
        if p is None or len(seg) != 3 or not seg[2]:
            self.keep_unmapped(seg)
            return
        p.references.append(_new_reference(seg[1], seg[2]))

    def rdm(self, seg: list[str]) -> None:
        p = self.party
        if p is None or p.delivery is not None or len(seg) > 4 or not seg[1]:
            self.keep_unmapped(seg)
            return
        p.delivery = RemittanceDelivery(seg[1], _opt(seg, 2), _opt(seg, 3))

    def _contact(self, seg: list[str]) -> Contact | None:
        if len(seg) > 9 or (len(seg) % 2 == 0 and len(seg) > 2):
            return None
        nums = []
        for i in range(3, len(seg), 2):
            if not seg[i] or not _el(seg, i + 1):
                return None
            nums.append((seg[i], seg[i + 1]))
        return Contact(name=_opt(seg, 2), numbers=tuple(nums), function=seg[1])

    def party_per(self, seg: list[str]) -> None:
        c = self._contact(seg)
        if c is None or self.party is None:
            self.keep_unmapped(seg)
            return
        self.party.contacts.append(c)

    def table_segment(
        self, cls: type[_C], fields: tuple[tuple[str, str], ...], seg: list[str]
    ) -> _C | None:
        """A segment mapped by a field table; kept unmapped (with a warning) when it uses
        elements the table does not model."""
        try:
            return _by_table(cls, fields, seg)
        except _Bad as bad:
            self.issue(
                "UNMODELLED_ELEMENT",
                f"{seg[0]}{bad.element:02d} {bad}; the segment is kept as is",
                bad.element,
                error=False,
            )
            self.keep_unmapped(seg)
            return None

    # -- LX group -------------------------------------------------------------------
    def close_group(self) -> None:
        if self.g_open and self.keep:  # streaming (keep=False) holds no groups
            self.groups.append(
                ClaimGroup(
                    number=self.g_number,
                    summary=self.g_summary,
                    supplemental=self.g_supp,
                    claims=tuple(self.g_claims),
                    unmapped=tuple(self.g_unmapped),
                )
            )
            self.g_open = False
            self.g_closed += 1
        elif self.g_open and self.mark_groups:
            if not self.g_marked:  # a group without claims, or whose CLPs all failed
                self.mark_group()
            self.pending.append(GroupEnd(self._group(tuple(self.g_unmapped))))
            self.g_open = False
            self.g_closed += 1
        self.g_marked = False
        self.g_number = None
        self.g_summary = None
        self.g_supp = None
        self.g_claims = []
        self.g_unmapped = []

    def _group(self, unmapped: tuple[UnmappedSegment, ...]) -> ClaimGroup:
        return ClaimGroup(
            number=self.g_number,
            summary=self.g_summary,
            supplemental=self.g_supp,
            claims=(),
            unmapped=unmapped,
        )

    def mark_group(self) -> None:
        """Put the current group's start on :attr:`pending` (a ClaimGroup without claims or
        unmapped segments), then the claims held until now. Called when the state leaves
        the group's own (its first CLP read, or its end): its number (LX01), TS3 and TS2 are
        final then, and the claims of CLPs that failed before it come after it."""
        self.pending.append(self._group(()))
        self.pending.extend(self.g_held)
        self.g_held.clear()
        self.g_marked = True

    def lx(self, seg: list[str]) -> _Table:
        self.finish_claim()
        self.close_group()
        self.g_open = True
        self.g_number = seg[1]
        if len(seg) > 2:
            self.g_unmapped.append(self.unmapped(seg))
            self.issue("UNUSED_ELEMENT", "LX has elements beyond LX01", 2, error=False)
        return self.goto(T.GROUP)

    def ts3(self, seg: list[str]) -> None:
        if self.g_summary is not None or self.state != T.GROUP:
            self.unexpected(seg)
            return
        self.g_summary = self.table_segment(ProviderSummary, SUMMARY_FIELDS, seg)

    def ts2(self, seg: list[str]) -> None:
        if self.g_supp is not None or self.state != T.GROUP:
            self.unexpected(seg)
            return
        self.g_supp = self.table_segment(ProviderSupplementalSummary, SUPPLEMENTAL_FIELDS, seg)

    # -- claim ----------------------------------------------------------------------
    def with_header(self, claims: list[ClaimPayment]) -> list[tuple[Remittance, ClaimPayment]]:
        """``(header, claim)`` for each of ``claims``: what iter_claims hands out."""
        header = self.header_remittance()
        return [(header, c) for c in claims]

    def header_remittance(self) -> Remittance:
        """The remittance's header (no claims, no PLB): what iter_claims hands out."""
        if self._header_remittance is None:
            self._header_remittance = self.build(groups=(), plb=())
        return self._header_remittance

    def finish_claim(self) -> None:
        c = self.c
        if c is None:
            return
        if self.s is not None:
            self.finish_service()
        claim = _new_claim(*c)
        self.c = None
        if self.keep:
            self.g_claims.append(claim)
        else:
            if self.mark_groups and not self.g_marked:
                self.g_held.append(claim)
            else:
                self.pending.append(claim)

    def clp(self, seg: list[str]) -> _Table:
        self.finish_claim()
        if not self.g_open:
            if self.groups or self.g_claims or self.g_closed:
                pass
            else:
                self.issue("MISSING_LX", "claim payment without an LX header number", error=False)
            self.g_open = True
        if not self.keep and self.eager_header and self._header_remittance is None:
            self.header_remittance()
        n = len(seg)
        if n < 5:
            raise IndexError
        c = _CLAIM_TEMPLATE.copy()
        self.c = c
        if self.track:
            self.positions[(self.n_claims, -1)] = self.tx.location(
                loop="2100", segment=self.current
            )
        self.n_claims += 1
        dc = _DEC_CACHE
        c[0] = seg[1]
        v = seg[2]
        c[1] = _code(v, v)
        v = seg[3]
        d = dc.get(v)
        c[2] = d if d is not None else self._amount_or_zero(seg, 3)
        v = seg[4]
        d = dc.get(v)
        c[3] = d if d is not None else self._amount_or_zero(seg, 4)
        if n > 5:
            v = seg[5]
            c[4] = (dc.get(v) or _decimal(v, 5)) if v else None
            if n > 6:
                v = seg[6]
                c[5] = _code(v, v) or None
                if n > 7:
                    c[6] = seg[7] or None
                    if n > 8:
                        v = seg[8]
                        c[7] = _code(v, v) or None
                        if n > 9:
                            v = seg[9]
                            c[8] = _code(v, v) or None
                            if n > 10:
                                self._clp_tail(seg, c)
        if self.mark_groups and not self.g_marked:
            self.mark_group()
        self.state = T.CLAIM
        return self.claim_table

    def _amount_or_zero(self, seg: list[str], i: int) -> Decimal:
        try:
            return _decimal(seg[i], i)
        except _Bad as bad:
            self.issue("BAD_VALUE", f"{seg[0]}{i:02d} {bad}; read as 0", i, value=seg[i])
            return Decimal(0)

    def _clp_tail(self, seg: list[str], c: list[Any]) -> None:
        if seg[10] or len(seg) > 14 or _el(seg, 14) or len(seg) > 15:
            self.issue("UNUSED_ELEMENT", "CLP10/CLP14+ are not used by the guide; dropped", 10)
        c[9] = _opt(seg, 11)
        c[10] = _opt_decimal(_el(seg, 12), 12)
        c[11] = _opt_decimal(_el(seg, 13), 13)

    def claim_cas(self, seg: list[str]) -> None:
        c = self.c
        assert c is not None
        c[_C_ADJ] += _cas(seg)

    def _party(self, seg: list[str]) -> Party | None:
        n = len(seg)
        if n > 10 or n < 3 or (n > 6 and seg[6]):
            return None
        return _new_party(
            _code(seg[1], seg[1]),
            _code(seg[2], seg[2]),
            (seg[3] or None) if n > 3 else None,
            (seg[4] or None) if n > 4 else None,
            (seg[5] or None) if n > 5 else None,
            (seg[7] or None) if n > 7 else None,
            (_code(seg[8], seg[8]) or None) if n > 8 else None,
            (seg[9] or None) if n > 9 else None,
        )

    def claim_nm1(self, seg: list[str]) -> None:
        field = T.CLAIM_PARTIES.get(seg[1])
        c = self.c
        assert c is not None
        if field is None:
            self.issue("UNKNOWN_QUALIFIER", "NM101 is not a claim party code; kept", 1, error=False)
            self.c[_C_UNM] += (self.unmapped(seg),)
            return
        i = _CI[field]
        p = self._party(seg)
        if c[i] is not None or p is None:
            self.c[_C_UNM] += (self.unmapped(seg),)
            return
        c[i] = p

    def mia(self, seg: list[str]) -> None:
        c = self.c
        assert c is not None
        if c[_CI["inpatient"]] is not None:
            self.unexpected(seg)
            return
        c[_CI["inpatient"]] = self.table_segment(InpatientAdjudication, INPATIENT_FIELDS, seg)

    def moa(self, seg: list[str]) -> None:
        c = self.c
        assert c is not None
        if c[_CI["outpatient"]] is not None:
            self.unexpected(seg)
            return
        c[_CI["outpatient"]] = self.table_segment(OutpatientAdjudication, OUTPATIENT_FIELDS, seg)

    def claim_ref(self, seg: list[str]) -> None:
        if len(seg) != 3 or not seg[2]:
            self.c[_C_UNM] += (self.unmapped(seg),)
            return
        self.c[_C_REFS] += (_new_reference(_code(seg[1], seg[1]), seg[2]),)

    def claim_dtm(self, seg: list[str]) -> None:
        field = T.CLAIM_DATES.get(seg[1])
        c = self.c
        assert c is not None
        if field is None or len(seg) != 3 or c[_CI[field]] is not None:
            self.c[_C_UNM] += (self.unmapped(seg),)
            return
        c[_CI[field]] = _date(seg[2], 2)

    def claim_per(self, seg: list[str]) -> None:
        ct = self._contact(seg)
        if ct is None:
            self.c[_C_UNM] += (self.unmapped(seg),)
            return
        self.c[_C_CONTACTS] += (ct,)

    def claim_amt(self, seg: list[str]) -> None:
        if len(seg) != 3:
            self.c[_C_UNM] += (self.unmapped(seg),)
            return
        self.c[_C_AMTS] += _amount(seg)

    def claim_qty(self, seg: list[str]) -> None:
        if len(seg) != 3:
            self.c[_C_UNM] += (self.unmapped(seg),)
            return
        self.c[_C_QTY] += (Quantity(seg[1], _decimal(seg[2], 2)),)

    # -- service --------------------------------------------------------------------
    def _procedure(self, text: str, element: int) -> Procedure:
        key = (self.comp, text)
        hit = _VALUES.get(key)
        if hit is not None:
            return hit  # type: ignore[no-any-return]
        made = self._read_procedure(text, element)
        if key[0] == self.comp and made.code:
            _VALUES[key] = made
        return made

    def _read_procedure(self, text: str, element: int) -> Procedure:
        comp = self.comp
        parts = text.split(comp)
        if len(parts) == 1 and len(text) > 2 and not text[2].isalnum():
            alt = text[2]
            parts = text.split(alt)
            if not self.comp_warned:
                self.comp_warned = True
                self.log.deviation(
                    "COMPONENT_SEPARATOR_MISMATCH",
                    f"composites use {alt!r}, not the ISA16 component separator {comp!r};"
                    " read with it",
                    self.tx.location(
                        element=element, loop=T.LOOP_NAMES[self.state], segment=self.current
                    ),
                )
            self.comp = alt
        n = len(parts)
        if n < 2 or n > 7 or not parts[0] or not parts[1]:
            self.issue(
                "BAD_VALUE",
                f"SVC{element:02d} is not a procedure composite (qualifier, code)",
                element,
            )
            return _new_procedure(text, "", (), None)
        if n == 2:
            q, p = parts
            return _new_procedure(_code(q, q), _code(p, p), (), None)
        mods = tuple([_code(m, m) for m in parts[2:6]])
        while mods and not mods[-1]:
            mods = mods[:-1]
        if "" in mods:
            raise _Bad(element, "has an empty modifier before another")
        q, p = parts[0], parts[1]
        return _new_procedure(_code(q, q), _code(p, p), mods, (parts[6] or None) if n > 6 else None)

    def finish_service(self) -> None:
        s = self.s
        if s is None:
            return
        c = self.c
        assert c is not None
        c[_C_SVCS] += (_new_service(*s),)
        self.s = None

    def svc(self, seg: list[str]) -> _Table:
        self.finish_service()
        n = len(seg)
        if n < 4 or n > 8:
            raise IndexError
        proc = self._procedure(seg[1], 1)
        dc = _DEC_CACHE
        s = _SERVICE_TEMPLATE.copy()
        s[0] = proc
        s[1] = self._amount_or_zero(seg, 2)
        s[2] = self._amount_or_zero(seg, 3)
        if self.track:
            key = (self.n_claims - 1, len(self.c[_C_SVCS]))
            self.positions[key] = self.tx.location(loop="2110", segment=self.current)
        if n > 4:
            v = seg[4]
            s[3] = _code(v, v) or None
            if n > 5:
                v = seg[5]
                s[4] = (dc.get(v) or _decimal(v, 5)) if v else None
                if n > 6:
                    s[5] = self._procedure(seg[6], 6) if seg[6] else None
                    if n > 7:
                        s[6] = _opt_decimal(seg[7], 7)
        self.s = s
        self.state = T.SERVICE
        table = self.service_table
        return table

    def svc_dtm(self, seg: list[str]) -> None:
        field = T.SERVICE_DATES.get(seg[1])
        s = self.s
        assert s is not None
        if field is None or len(seg) != 3 or s[_SI[field]] is not None:
            self.s[_S_UNM] += (self.unmapped(seg),)
            return
        v = seg[2]
        d = _DATE_CACHE.get(v)
        s[_SI[field]] = d if d is not None else _date(v, 2)

    def svc_cas(self, seg: list[str]) -> None:
        s = self.s
        assert s is not None
        s[_S_ADJ] += _cas(seg)

    def svc_ref(self, seg: list[str]) -> None:
        if len(seg) != 3 or not seg[2]:
            self.s[_S_UNM] += (self.unmapped(seg),)
            return
        self.s[_S_REFS] += (_new_reference(_code(seg[1], seg[1]), seg[2]),)

    def svc_amt(self, seg: list[str]) -> None:
        if len(seg) != 3:
            self.s[_S_UNM] += (self.unmapped(seg),)
            return
        self.s[_S_AMTS] += _amount(seg)

    def svc_qty(self, seg: list[str]) -> None:
        if len(seg) != 3:
            self.s[_S_UNM] += (self.unmapped(seg),)
            return
        self.s[_S_QTY] += (Quantity(seg[1], _decimal(seg[2], 2)),)

    def lq(self, seg: list[str]) -> None:
        if len(seg) != 3 or not seg[1] or not seg[2]:
            self.s[_S_UNM] += (self.unmapped(seg),)
            return
        self.s[_S_LQ] += (RemarkCode(seg[1], seg[2]),)

    # -- footer ---------------------------------------------------------------------
    def plb_seg(self, seg: list[str]) -> _Table | None:
        table = None
        if self.state != T.FOOTER:
            self.finish_claim()
            self.close_group()
            table = self.goto(T.FOOTER)
        n = len(seg)
        if n < 5 or n > 15 or not seg[1]:
            raise _Bad(1, "provider adjustment needs a provider, a date and a reason/amount pair")
        when = _date(seg[2], 2)
        items = []
        for i in range(3, n, 2):
            code = seg[i]
            amt = seg[i + 1] if i + 1 < n else ""
            if not code and not amt:
                continue
            if not code or not amt:
                raise _Bad(i, "reason without an amount or amount without a reason")
            parts = code.split(self.comp)
            if len(parts) > 2 or not parts[0]:
                raise _Bad(i, "is not an adjustment identifier composite")
            ref = (parts[1] or None) if len(parts) > 1 else None
            items.append(ProviderAdjustment(seg[1], when, parts[0], _decimal(amt, i + 1), ref))
        self.plb.extend(items)
        return table

    # -- the remittance ---------------------------------------------------------------
    def build(
        self,
        groups: tuple[ClaimGroup, ...],
        plb: tuple[ProviderAdjustment, ...],
        report: bool = True,
    ) -> Remittance:
        """The remittance of what was read; ``report=False``: without reporting what it
        lacks (a streamed transaction's header, built before its end)."""
        h = dict(self.header)
        # Locations are built only when an issue is reported: computing one makes the
        # tokenizer sum the offsets of every segment of the batch.
        missing = [k for k in ("handling", "trace_number") if k not in h]
        if missing and report:
            what = "BPR" if "handling" in missing else "TRN"
            self.log.report(
                "MISSING_SEGMENT",
                f"the transaction has no {what}",
                self.tx.location(segment=self.current),
            )
        h.setdefault("handling", "")
        h.setdefault("amount", Decimal(0))
        h.setdefault("credit_debit", "")
        h.setdefault("method", "")
        h.setdefault("trace_number", "")
        if (self.payer is None or self.payee is None) and report:
            self.log.report(
                "MISSING_SEGMENT",
                "the transaction lacks the payer or payee N1 loop",
                self.tx.location(segment=self.current),
            )
        return Remittance(
            payer=self.payer.build() if self.payer else _EMPTY_PARTY,
            payee=self.payee.build() if self.payee else _EMPTY_PARTY,
            references=tuple(self.header_refs),
            groups=groups,
            provider_adjustments=plb,
            unmapped=tuple(self.header_unmapped + self.footer_unmapped),
            **h,
        )

    def remittance(self) -> Remittance:
        return self.build(tuple(self.groups), tuple(self.plb))


h = _TxReader
_TABLES: dict[int, _Table] = {
    T.HEADER: {
        "BPR": h.bpr,
        "TRN": h.trn,
        "CUR": h.cur,
        "REF": h.header_ref,
        "DTM": h.header_dtm,
        "N1": h.n1,
        "LX": h.lx,
        "CLP": h.clp,
        "PLB": h.plb_seg,
    },
    T.PAYER: {
        "N1": h.n1,
        "N3": h.n3,
        "N4": h.n4,
        "REF": h.party_ref,
        "PER": h.party_per,
        "LX": h.lx,
        "CLP": h.clp,
        "PLB": h.plb_seg,
    },
    T.PAYEE: {
        "N1": h.n1,
        "N3": h.n3,
        "N4": h.n4,
        "REF": h.party_ref,
        "RDM": h.rdm,
        "LX": h.lx,
        "CLP": h.clp,
        "PLB": h.plb_seg,
    },
    T.GROUP: {"LX": h.lx, "TS3": h.ts3, "TS2": h.ts2, "CLP": h.clp, "PLB": h.plb_seg},
    T.CLAIM: {
        "CAS": h.claim_cas,
        "NM1": h.claim_nm1,
        "MIA": h.mia,
        "MOA": h.moa,
        "REF": h.claim_ref,
        "DTM": h.claim_dtm,
        "PER": h.claim_per,
        "AMT": h.claim_amt,
        "QTY": h.claim_qty,
        "SVC": h.svc,
        "CLP": h.clp,
        "LX": h.lx,
        "PLB": h.plb_seg,
    },
    T.SERVICE: {
        "DTM": h.svc_dtm,
        "CAS": h.svc_cas,
        "REF": h.svc_ref,
        "AMT": h.svc_amt,
        "QTY": h.svc_qty,
        "LQ": h.lq,
        "SVC": h.svc,
        "CLP": h.clp,
        "LX": h.lx,
        "PLB": h.plb_seg,
    },
    T.FOOTER: {"PLB": h.plb_seg},
}
_TxReader.claim_table = _TABLES[T.CLAIM]
_TxReader.service_table = _TABLES[T.SERVICE]
del h


# ---------------------------------------------------------------------------- public API
@attrs.frozen
class ReadResult:
    """What :func:`read` returns: the remittances and every issue found on the way."""

    remittances: list[Remittance]
    issues: list[Issue]

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity is Severity.ERROR]


def _transactions(
    source: Source, log: IssueLog, encoding: str | None
) -> Iterator[TransactionStream]:
    reader = EnvelopeReader(source, log=log, encoding=encoding)
    for tx in reader.transactions():
        if tx.id != "835":
            log.report(
                "NOT_AN_835",
                f"transaction set {tx.id[:3]!r} is not an 835; skipped",
                tx.location(),
            )
            continue
        impl = tx.implementation
        if not impl.startswith("005010"):
            log.report(
                "UNSUPPORTED_VERSION",
                f"version {impl[:12]!r} is not 005010X221A1 (a lenient read treats it as 5010)",
                tx.location(),
                severity=Severity.ERROR,
            )
        yield tx


@attrs.frozen
class GroupEnd:
    """Where an LX group ends among a :class:`StreamedTransaction`'s events: the group as
    read, without its claims (its unmapped segments are final only here)."""

    group: ClaimGroup


class StreamedTransaction:
    """One 835 transaction read claim by claim, for a reader that needs more than
    :func:`iter_claims` gives (:func:`edi835.frames.iter_rows`,
    :func:`edi835.json_io.write_json`): the LX groups, the control numbers, and the header
    with the provider adjustments (PLB) at the end.

    Its issues are those of the whole read (:func:`iter_remittances`), in the same order and
    at the same locations: the remittance is built, and what it lacks reported, once, after
    the last claim, as there.
    """

    def __init__(self, tx: TransactionStream, log: IssueLog) -> None:
        #: (ISA13, ST02), ``None`` where the envelope lacks one.
        self.controls: tuple[str | None, str | None] = (
            tx.interchange.control_number or None,
            tx.control_number or None,
        )
        self._reader = r = _TxReader(tx, log, keep=False)
        r.eager_header = False
        r.mark_groups = True

    def event_batches(self) -> Iterator[list[ClaimGroup | ClaimPayment | GroupEnd]]:
        """The transaction's LX groups and claims in file order, a list per batch of
        segments read (memory holds one batch, whatever the transaction's size): a
        :class:`ClaimGroup` without claims or unmapped segments where a group starts (its
        number, TS3, TS2), then its claims, then a :class:`GroupEnd` (with its unmapped
        segments). Read them all before :meth:`remittance`.

        A group starts when its first CLP reads: until then a TS3 or TS2 may still come.
        The claims of CLPs that fail before that (each still makes a claim, as in the whole
        read) are held until then: the one case where memory holds more than a batch."""
        yield from self._reader.run_batches()

    def claim_batches(self) -> Iterator[list[tuple[str | None, ClaimPayment]]]:
        """:meth:`event_batches` as ``(LX01, claim)`` pairs (made while the batch is read,
        with the collector paused: see :meth:`_TxReader.run_batches`)."""
        number: str | None = None

        def pairs(events: list[Any]) -> list[tuple[str | None, ClaimPayment]]:
            nonlocal number
            out: list[tuple[str | None, ClaimPayment]] = []
            for e in events:
                if isinstance(e, ClaimGroup):
                    number = e.number
                elif isinstance(e, ClaimPayment):
                    out.append((number, e))
            return out

        yield from self._reader.run_batches(pairs)

    def header(self) -> Remittance:
        """The remittance as read so far, without groups or provider adjustments, reporting
        nothing: its fields before ``groups`` (BPR, TRN, dates, parties, references) are
        final once the first group has started."""
        return self._reader.build((), (), report=False)

    def remittance(self) -> Remittance:
        """The remittance without its claims (``groups`` empty): header, parties and
        provider adjustments, built (and its issues reported) as the whole read builds it."""
        r = self._reader
        return r.build((), tuple(r.plb))


def stream_transactions(
    source: Source, log: IssueLog, encoding: str | None = None
) -> Iterator[StreamedTransaction]:
    """Each 835 transaction of ``source`` as a :class:`StreamedTransaction` (other
    transaction sets are reported and skipped, as :func:`iter_remittances` does). Consume
    each one's claims before asking for the next."""
    for tx in _transactions(source, log, encoding):
        yield StreamedTransaction(tx, log)


def iter_remittances(
    source: Source,
    *,
    strict: bool = False,
    log: IssueLog | None = None,
    encoding: str | None = None,
) -> Iterator[Remittance]:
    """Yield each 835 transaction of ``source`` (str, bytes or a file) as a Remittance.

    Streams: memory is bounded by the largest transaction. Issues go to ``log`` (lenient by
    default; ``strict=True`` raises the first error as an :class:`x12.errors.X12Error`).
    """
    for _, rem in iter_remittances_keyed(source, strict=strict, log=log, encoding=encoding):
        yield rem


def iter_remittances_keyed(
    source: Source,
    *,
    strict: bool = False,
    log: IssueLog | None = None,
    encoding: str | None = None,
) -> Iterator[tuple[tuple[str | None, str | None], Remittance]]:
    """Like :func:`iter_remittances`, each remittance with the control numbers that key it:
    ``((ISA13, ST02), remittance)`` (``None`` where the envelope lacks one), read in the
    same pass."""
    log = log if log is not None else IssueLog(strict=strict)
    for tx in _transactions(source, log, encoding):
        with collector_paused(keep=True):  # the models are kept: promoted unscanned
            r = _TxReader(tx, log, keep=True)
            r.run_all()
            rem = r.remittance()
        yield (tx.interchange.control_number or None, tx.control_number or None), rem


def iter_remittances_located(
    source: Source, *, log: IssueLog | None = None
) -> Iterator[tuple[Remittance, dict[tuple[int, int], Location]]]:
    """Like :func:`iter_remittances`, with the location of each claim's CLP
    (``(claim, -1)``), each line's SVC (``(claim, line)``) and the BPR (``(-1, -1)``)."""
    log = log if log is not None else IssueLog()
    for tx in _transactions(source, log, None):
        r = _TxReader(tx, log, keep=True, track=True)
        r.run_all()
        yield r.remittance(), r.positions


def iter_claims(
    source: Source,
    *,
    strict: bool = False,
    log: IssueLog | None = None,
    encoding: str | None = None,
) -> Iterator[tuple[Remittance, ClaimPayment]]:
    """Yield ``(remittance header, claim payment)`` one claim at a time, in bounded memory
    whatever the size of a transaction. The header is a Remittance without claims and
    without provider adjustments (PLB comes after the claims)."""
    log = log if log is not None else IssueLog(strict=strict)
    for tx in _transactions(source, log, encoding):
        r = _TxReader(tx, log, keep=False)
        for pairs in r.run_batches(r.with_header):
            yield from pairs
            del pairs  # the batch dies in the next batch's pause (see run_batches)


def read(
    source: Source,
    *,
    strict: bool = False,
    encoding: str | None = None,
) -> ReadResult:
    """Read everything: the remittances and the issues found."""
    log = IssueLog(strict=strict)
    rems = list(iter_remittances(source, log=log, encoding=encoding))
    return ReadResult(rems, list(log.issues))


def loads(
    text: str | bytes, *, strict: bool = False, log: IssueLog | None = None
) -> list[Remittance]:
    """The remittances of an 835 held in memory (``str`` or ``bytes``)."""
    return list(iter_remittances(text, strict=strict, log=log))


def load(
    fp: IO[str] | IO[bytes], *, strict: bool = False, log: IssueLog | None = None
) -> list[Remittance]:
    """The remittances of an 835 file object (text or binary)."""
    return list(iter_remittances(fp, strict=strict, log=log))
