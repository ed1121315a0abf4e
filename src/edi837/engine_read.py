"""The shared 837 reading engine: what the 837P, 837I and 837D readers have in common.

A reader places a transaction's segments in the guide's loops (:func:`x12.loops.build_tree`
with the guide's table, or :func:`x12.loops.start_walk` batch by batch) and turns each loop
occurrence into its model; this module gives it:

* value helpers that raise :class:`Bad` (the segment then stays unmapped, with a warning):
  :func:`g` (element or ""), :func:`o` (element or None), :func:`dec`, :func:`odec`,
  :func:`date8`, :func:`dtp_dates` (D8 / RD8);
* :class:`Ctx` (separators, issue log, segment locations) and :func:`run`, which feeds every
  segment of some loop nodes to a handler and keeps what it declines as
  :class:`~models.common.UnmappedSegment` (``f["unmapped"]``), with :func:`once` /
  :func:`append` for fields read at most once / repeated;
* the party readers shared by the three guides: :func:`provider`, :func:`payer`,
  :func:`person`, :func:`subscriber`, :func:`patient`, :func:`place`, and segment readers
  :func:`contact` (PER), :func:`ref`, :func:`pwk`, :func:`crc`, :func:`cas`,
  :func:`procedure` (a composite procedure code with modifiers);
* the HL hierarchy: :class:`Levels` (:func:`levels_for` a claim reader:
  :func:`billing_parties`, :func:`subscriber_parties`, :func:`subscriber_claims`) and
  :func:`tree_claims` give each claim loop
  (2300) the parties of the levels above it (a dict with ``billing``, ``pay_to_address``,
  ``pay_to_plan``, ``subscriber``, ``payer`` and ``patient``) and call the guide's claim
  reader; :func:`header` reads BHT, 1000A and 1000B; :func:`read_transactions` drives the
  envelope, picks the transactions of one guide (a :class:`Pick`: ST03/GS08 prefix, how
  the others are reported) and pauses the cyclic GC while models are built. Models are made
  with :mod:`models.unchecked` constructors (no validators: the reader checked the values;
  no process-wide switch either);
* streaming: :func:`stream_claims` (and :func:`stream_guide_claims` for the 837P and 837I)
  feeds the transaction to the loop walker batch by batch (:func:`x12.loops.start_walk`)
  and reads each subscriber level (2000B) as it closes, then lets its segments go: the
  claim iterators and ``load``/``loads`` of the three guides hold one batch and the open
  loops, not the transaction. :func:`read_transactions` builds the whole tree, for the
  submissions (``read``, ``iter_submissions``).

Only :class:`~x12.errors.X12Error` escapes :func:`read_transactions` and
:func:`stream_claims`.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any, NamedTuple, TypeVar

from models import unchecked as _u
from models.claim import (
    Attachment,
    Condition,
    Patient,
    Payer,
    Place,
    Provider,
    Reference,
    Subscriber,
)
from models.common import Address, Adjustment, Contact, UnmappedSegment, is_valid_npi
from x12.envelope import EnvelopeReader, Source, TransactionStream
from x12.errors import IssueLog, Location, Severity, X12Error
from x12.gcpause import collector_paused
from x12.guide import Guide
from x12.loops import LoopNode, build_tree, start_walk

Seg = list[str]
T = TypeVar("T")


class Bad(Exception):
    """A value that does not parse: the segment stays unmapped."""

    def __init__(self, element: int) -> None:
        self.element = element


def g(seg: Seg, i: int) -> str:
    return seg[i] if i < len(seg) else ""


def filled(seg: Seg, positions: Sequence[int]) -> bool:
    """Whether any of the elements at ``positions`` has a value (``any(g(seg, i) ...)``)."""
    n = len(seg)
    for i in positions:  # noqa: SIM110  (a loop: no generator per call, this is hot)
        if i < n and seg[i]:
            return True
    return False


def o(seg: Seg, i: int) -> str | None:
    v = seg[i] if i < len(seg) else ""
    return v or None


#: Amounts and dates already read, by their text (the same few recur on every claim: a fee, a
#: date of service): read once, shared (both types are immutable). Bounded: emptied past
#: _CACHE_MAX entries.
_DECIMALS: dict[str, Decimal] = {}
_DATES: dict[str, _dt.date] = {}
_CACHE_MAX = 50_000


def dec(seg: Seg, i: int) -> Decimal:
    try:
        text = seg[i]
    except IndexError:
        raise Bad(i) from None
    d = _DECIMALS.get(text)
    if d is not None:
        return d
    try:
        d = Decimal(text)
    except InvalidOperation:
        raise Bad(i) from None
    if not d.is_finite():
        raise Bad(i)
    if len(_DECIMALS) > _CACHE_MAX:
        _DECIMALS.clear()
    _DECIMALS[text] = d
    return d


def odec(seg: Seg, i: int) -> Decimal | None:
    return dec(seg, i) if g(seg, i) else None


def date8(text: str, i: int) -> _dt.date:
    d = _DATES.get(text)
    if d is not None:
        return d
    if len(text) != 8 or not text.isdigit():
        raise Bad(i)
    try:
        d = _dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        raise Bad(i) from None
    if len(_DATES) > _CACHE_MAX:
        _DATES.clear()
    _DATES[text] = d
    return d


def dtp_dates(seg: Seg) -> tuple[_dt.date, _dt.date | None]:
    fmt, text = g(seg, 2), g(seg, 3)
    if fmt == "D8":
        return date8(text, 3), None
    if fmt == "RD8":
        a, sep, b = text.partition("-")
        if not sep:
            raise Bad(3)
        start, end = date8(a, 3), date8(b, 3)
        if end < start:
            raise Bad(3)
        return start, end
    raise Bad(2)


class Ctx:
    """Per-transaction state: separators, the issue log, the locations of segments."""

    def __init__(self, component: str, repetition: str | None, log: IssueLog, tx: str) -> None:
        self.component = component
        self.repetition = repetition
        self.log = log
        self.tx = tx
        self.index = 0
        self.loop = ""

    def comps(self, value: str) -> list[str]:
        return value.split(self.component)

    def keep(self, seg: Seg) -> UnmappedSegment:
        return UnmappedSegment.from_raw(seg, self.component, self.repetition)

    def loc(self, seg_id: str | None = None, element: int | None = None) -> Location:
        return Location(self.index, seg_id, self.loop or None, element, None, None, self.tx)

    def bad(self, seg: Seg, element: int) -> None:
        self.log.report(
            "INVALID_VALUE",
            f"{seg[0]}{element:02d} does not parse; the segment is kept unmapped",
            self.loc(seg[0], element),
            severity=Severity.WARNING,
            kind="value",
            value=seg[element] if element < len(seg) else None,
        )

    def npi(self, seg: Seg) -> str | None:
        ident = o(seg, 9)
        if ident is None:
            return None
        if g(seg, 8) != "XX":
            return None
        if not is_valid_npi(ident):
            self.log.report(
                "INVALID_NPI",
                f"{seg[0]}09 is not a valid NPI (check digit); kept as read",
                self.loc(seg[0], 9),
                severity=Severity.WARNING,
                kind="value",
                value=ident,
            )
        return ident


Handler = Callable[[Seg, dict[str, Any]], bool]


def run(ctx: Ctx, nodes: Sequence[LoopNode], handle: Handler, f: dict[str, Any]) -> None:
    """Feed every segment of ``nodes`` to ``handle``; what it declines goes to unmapped."""
    kept: list[UnmappedSegment] = f.setdefault("unmapped", [])
    for node in nodes:
        ctx.loop = node.spec.id
        for index, seg in node.segments:
            ctx.index = index
            try:
                if handle(seg, f):
                    continue
            except Bad as exc:
                ctx.bad(seg, exc.element)
            kept.append(ctx.keep(seg))


def once(f: dict[str, Any], key: str, value: Any) -> bool:
    if key in f:
        return False
    f[key] = value
    return True


def append(f: dict[str, Any], key: str, value: Any, limit: int | None = None) -> bool:
    items = f.setdefault(key, [])
    if limit is not None and len(items) >= limit:
        return False
    items.append(value)
    return True


def name_fields(seg: Seg, f: dict[str, Any]) -> None:
    f["entity_type"] = g(seg, 2)
    f["name"] = g(seg, 3)
    f["first_name"] = o(seg, 4)
    f["middle_name"] = o(seg, 5)
    f["suffix"] = o(seg, 7)


def address_part(seg: Seg, f: dict[str, Any]) -> bool:
    sid = seg[0]
    if sid == "N3":
        if "n3" in f:
            return False
        f["n3"] = (g(seg, 1), o(seg, 2))
        return True
    if sid == "N4":
        if "n4" in f or "n3" not in f or filled(seg, (5, 6)) or len(seg) > 8:
            return False
        f["n4"] = (g(seg, 1), o(seg, 2), o(seg, 3), o(seg, 4), o(seg, 7))
        return True
    return False


def take_address(f: dict[str, Any]) -> Address | None:
    n3 = f.pop("n3", None)
    n4 = f.pop("n4", None)
    if n3 is None and n4 is None:
        return None
    if n4 is None:  # N3 without N4: keep the N3 as it was
        line2 = f"*{n3[1]}" if n3[1] is not None else ""
        f.setdefault("unmapped", []).append(
            UnmappedSegment.from_raw(f"N3*{n3[0]}{line2}".split("*"), ":", None)
        )
        return None
    city, state, postal, country, sub = n4
    return _u.Address(n3[0], city, state, postal, n3[1], country, sub)


def contact(seg: Seg) -> Contact:
    numbers = []
    for i in (3, 5, 7):
        q, n = g(seg, i), g(seg, i + 1)
        if q or n:
            numbers.append((q, n))
    return _u.Contact(o(seg, 2), tuple(numbers), g(seg, 1))


def ref(seg: Seg) -> Reference:
    return _u.Reference(g(seg, 1), g(seg, 2), o(seg, 3))


def simple_ref(seg: Seg) -> bool:
    return len(seg) <= 4


def per_ok(seg: Seg) -> bool:
    return len(seg) <= 9


def provider(
    ctx: Ctx,
    nodes: Sequence[LoopNode],
    default_role: str,
    tax: bool = False,
    prv: str | None = None,
) -> Provider:
    """A provider loop's NM1/PRV/CUR/N3/N4/REF/PER (``tax``: REF EI/SY is the tax id).

    ``default_role`` is the NM101 a writer gives (another is kept as ``role``); ``prv``, when
    given, is the only PRV01 read (another PRV is kept unmapped, so it is written back).
    """
    f: dict[str, Any] = {}

    def handle(seg: Seg, f: dict[str, Any]) -> bool:
        sid = seg[0]
        if sid == "NM1":
            if "name" in f or len(seg) > 10 or g(seg, 6) or g(seg, 8) not in ("", "XX"):
                return False
            name_fields(seg, f)
            role = g(seg, 1)
            f["role"] = None if role == default_role else role
            f["npi"] = ctx.npi(seg)
            return True
        if sid == "PRV":
            if g(seg, 2) != "PXC" or len(seg) > 4 or "taxonomy" in f:
                return False
            if prv is not None and g(seg, 1) != prv:
                return False
            f["prv"] = g(seg, 1)
            f["taxonomy"] = g(seg, 3)
            return True
        if sid == "CUR":
            return g(seg, 1) == "85" and len(seg) == 3 and once(f, "currency", g(seg, 2))
        if sid in ("N3", "N4"):
            return address_part(seg, f)
        if sid == "REF" and simple_ref(seg):
            q = g(seg, 1)
            if tax and q in ("EI", "SY") and "tax_id" not in f and len(seg) == 3:
                f["tax_id"] = g(seg, 2)
                f["tax_id_type"] = q
                return True
            return append(f, "secondary_ids", ref(seg))
        if sid == "PER" and per_ok(seg):
            return append(f, "contacts", contact(seg))
        return False

    run(ctx, nodes, handle, f)
    address = take_address(f)
    if "entity_type" not in f:
        ctx.log.report("MISSING_NAME", "provider loop without a usable NM1", ctx.loc("NM1"))
    return _u.Provider(
        f.get("name") or None,
        f.get("npi"),
        f.get("entity_type", "2"),
        f.get("first_name"),
        f.get("middle_name"),
        f.get("suffix"),
        f.get("role"),
        f.get("taxonomy"),
        f.get("tax_id"),
        f.get("tax_id_type", "EI"),
        address,
        tuple(f.get("contacts", ())),
        tuple(f.get("secondary_ids", ())),
        f.get("currency"),
        tuple(f["unmapped"]),
    )


def payer(
    ctx: Ctx, node: LoopNode | None, extra: Handler | None = None, f: dict[str, Any] | None = None
) -> Payer:
    f = {} if f is None else f

    def handle(seg: Seg, f: dict[str, Any]) -> bool:
        sid = seg[0]
        if sid == "NM1":
            if "name" in f or len(seg) > 10 or filled(seg, (4, 5, 6, 7)):
                return False
            if g(seg, 2) != "2":
                return False
            f["name"] = g(seg, 3)
            f["id_qualifier"] = g(seg, 8)
            f["id"] = g(seg, 9)
            return True
        if sid in ("N3", "N4"):
            return address_part(seg, f)
        if extra is not None and extra(seg, f):
            return True
        if sid == "REF" and simple_ref(seg):
            return append(f, "secondary_ids", ref(seg))
        return False

    if node is None:
        ctx.log.report("MISSING_PAYER", "payer loop missing", ctx.loc())
    else:
        run(ctx, [node], handle, f)
    f.setdefault("unmapped", [])
    address = take_address(f)
    return _u.Payer(
        f.get("name", ""),
        f.get("id", ""),
        f.get("id_qualifier", "PI"),
        address,
        tuple(f.get("secondary_ids", ())),
        tuple(f["unmapped"]),
    )


def person(
    ctx: Ctx,
    nodes: Sequence[LoopNode],
    f: dict[str, Any],
    head: Handler | None = None,
    allow_id: bool = True,
) -> None:
    def handle(seg: Seg, f: dict[str, Any]) -> bool:
        sid = seg[0]
        if head is not None and head(seg, f):
            return True
        if sid == "NM1":
            if "name" in f or len(seg) > 10 or g(seg, 6):
                return False
            if not allow_id and (g(seg, 8) or g(seg, 9)):
                return False
            name_fields(seg, f)
            f["id_qualifier"] = g(seg, 8)
            f["member_id"] = g(seg, 9)
            return True
        if sid in ("N3", "N4"):
            return address_part(seg, f)
        if sid == "DMG":
            if (
                "dmg" in f
                or len(seg) > 4
                or (g(seg, 1) not in ("D8", "") or bool(g(seg, 1)) != bool(g(seg, 2)))
            ):
                return False
            f["dmg"] = (date8(g(seg, 2), 2) if g(seg, 2) else None, o(seg, 3))
            return True
        if sid == "REF" and simple_ref(seg):
            return append(f, "secondary_ids", ref(seg))
        if sid == "PER" and per_ok(seg):
            return append(f, "contacts", contact(seg))
        return False

    run(ctx, nodes, handle, f)
    f["address"] = take_address(f)


def subscriber(
    ctx: Ctx, head_node: LoopNode | None, name_node: LoopNode | None, has_patient: bool
) -> Subscriber:
    f: dict[str, Any] = {}

    def head(seg: Seg, f: dict[str, Any]) -> bool:
        if seg[0] == "HL":
            return True
        if seg[0] == "SBR" and "sbr" not in f and len(seg) <= 10 and not filled(seg, (6, 7, 8)):
            f["sbr"] = seg
            return True
        return False

    nodes = [n for n in (head_node, name_node) if n is not None]
    person(ctx, nodes, f, head)
    sbr = f.get("sbr", ["SBR"])
    rel: str | None = g(sbr, 2)
    if head_node is not None and rel == ("" if has_patient else "18"):
        rel = None  # the writer derives it
    if "name" not in f:
        ctx.log.report("MISSING_NAME", "subscriber loop without its NM1", ctx.loc("NM1"))
    dmg = f.get("dmg", (None, None))
    return _u.Subscriber(
        f.get("name", ""),
        f.get("member_id", ""),
        f.get("first_name"),
        f.get("middle_name"),
        f.get("suffix"),
        f.get("entity_type", "1"),
        f.get("id_qualifier", "MI"),
        g(sbr, 1),
        rel,
        o(sbr, 3),
        o(sbr, 4),
        o(sbr, 5),
        g(sbr, 9),
        f["address"],
        dmg[0],
        dmg[1],
        tuple(f.get("secondary_ids", ())),
        tuple(f.get("contacts", ())),
        tuple(f["unmapped"]),
    )


def patient(ctx: Ctx, head_node: LoopNode, name_node: LoopNode | None) -> Patient:
    f: dict[str, Any] = {}

    def head(seg: Seg, f: dict[str, Any]) -> bool:
        if seg[0] == "HL":
            return True
        if seg[0] == "PAT" and len(seg) == 2 and "pat" not in f:
            f["pat"] = seg[1]
            return True
        return False

    # 2010CA has no NM108/NM109 in X222A1: an NM1 with them is kept as read
    person(ctx, [n for n in (head_node, name_node) if n is not None], f, head, False)
    dmg = f.get("dmg", (None, None))
    return _u.Patient(
        f.get("name", ""),
        f.get("pat", ""),
        f["address"],
        dmg[0],
        dmg[1],
        f.get("first_name"),
        f.get("middle_name"),
        f.get("suffix"),
        tuple(f.get("secondary_ids", ())),
        tuple(f.get("contacts", ())),
        tuple(f["unmapped"]),
    )


def place(ctx: Ctx, node: LoopNode) -> Place:
    f: dict[str, Any] = {}

    def handle(seg: Seg, f: dict[str, Any]) -> bool:
        if seg[0] == "NM1":
            if "nm1" in f or len(seg) > 4 or g(seg, 2) != "2":
                return False
            f["nm1"] = o(seg, 3)
            return True
        return address_part(seg, f)

    run(ctx, [node], handle, f)
    address = take_address(f)
    if address is None:
        address = _u.Address("", "")
    return _u.Place(address, f.get("nm1"), tuple(f["unmapped"]))


def pwk(seg: Seg) -> Attachment | None:
    if len(seg) > 7 or g(seg, 3) or g(seg, 4):
        return None
    if g(seg, 5) not in ("", "AC") or bool(g(seg, 5)) != bool(g(seg, 6)):
        return None
    return _u.Attachment(g(seg, 1), g(seg, 2), o(seg, 6))


def crc(seg: Seg) -> Condition | None:
    if g(seg, 2) not in ("Y", "N") or len(seg) > 8:
        return None
    codes = tuple(seg[3:])
    if any(not c for c in codes):
        return None
    return _u.Condition(g(seg, 1), g(seg, 2) == "Y", codes)


def cas(seg: Seg) -> list[Adjustment] | None:
    group = g(seg, 1)
    out: list[Adjustment] = []
    for i in range(2, len(seg), 3):
        reason = g(seg, i)
        if not reason or not g(seg, i + 1):
            return None
        out.append(_u.Adjustment(group, reason, dec(seg, i + 1), odec(seg, i + 2)))
    return out or None


def procedure(ctx: Ctx, value: str) -> tuple[str, str, tuple[str, ...], str | None] | None:
    comps = ctx.comps(value)
    if len(comps) < 2 or len(comps) > 7:
        return None
    mods = comps[2:6]
    while mods and not mods[-1]:
        mods.pop()
    if any(not m for m in mods):
        return None
    desc = comps[6] if len(comps) > 6 else None
    if desc == "":
        return None
    if desc is None and len(comps) > 2 and not comps[-1]:
        return None
    return comps[0], comps[1], tuple(mods), desc


def first(kids: dict[str, list[LoopNode]], key: str) -> LoopNode | None:
    found = kids.get(key)
    return found[0] if found else None


def strip_hl(p: Provider) -> Provider:
    kept = tuple(u for u in p.unmapped if u.id != "HL")
    return p if len(kept) == len(p.unmapped) else _u.evolve(p, unmapped=kept)


def children(node: LoopNode) -> dict[str, list[LoopNode]]:
    """A node's child loops by loop id, in order."""
    kids: dict[str, list[LoopNode]] = {}
    for child in node.children:
        kids.setdefault(child.spec.id, []).append(child)
    return kids


def other_subscriber(ctx: Ctx, sbr: Seg, node: LoopNode | None) -> Subscriber:
    """An other payer's subscriber: 2320 SBR (``sbr``) and the 2330A loop (``node``)."""
    sf: dict[str, Any] = {}
    person(ctx, [node] if node else [], sf)
    dmg = sf.get("dmg", (None, None))
    return _u.Subscriber(
        sf.get("name", ""),
        sf.get("member_id", ""),
        sf.get("first_name"),
        sf.get("middle_name"),
        sf.get("suffix"),
        sf.get("entity_type", "1"),
        sf.get("id_qualifier", "MI"),
        g(sbr, 1),
        g(sbr, 2),
        o(sbr, 3),
        o(sbr, 4),
        o(sbr, 5),
        g(sbr, 9),
        sf["address"],
        dmg[0],
        dmg[1],
        tuple(sf.get("secondary_ids", ())),
        tuple(sf.get("contacts", ())),
        tuple(sf["unmapped"]),
    )


def sbr_ok(seg: Seg) -> bool:
    """An SBR the writer gives back the same (SBR06-08 are not used)."""
    return len(seg) <= 10 and not filled(seg, (6, 7, 8))


def keep_extra(ctx: Ctx, nodes: Sequence[LoopNode], out: list[UnmappedSegment]) -> None:
    """Every segment of ``nodes`` (and their children) kept as read, on ``out``."""
    for n in nodes:
        for index, seg in n.all_segments():
            ctx.index = index
            out.append(ctx.keep(seg))


# --------------------------------------------------------------------------- hierarchy
ClaimReader = Callable[[Ctx, LoopNode, dict[str, Any]], T]


def billing_parties(ctx: Ctx, node: LoopNode) -> dict[str, Any]:
    """The parties one 2000A gives its claims: billing provider (2000A + 2010AA), pay-to
    address (2010AB, its deviations kept on the billing provider), pay-to plan (2010AC)."""
    kids = children(node)
    name_node = first(kids, "2010AA")
    billing = provider(ctx, [node] + ([name_node] if name_node else []), "85", tax=True)
    billing = strip_hl(billing)
    pay_to: Address | None = None
    pay_to_node = first(kids, "2010AB")
    extra: list[UnmappedSegment] = []
    if pay_to_node is not None:
        pf: dict[str, Any] = {}

        def handle(seg: Seg, pf: dict[str, Any]) -> bool:
            if seg[0] == "NM1":
                return seg[1:] == ["87", "2"] and once(pf, "nm1", True)
            return address_part(seg, pf)

        run(ctx, [pay_to_node], handle, pf)
        pay_to = take_address(pf)
        extra.extend(pf["unmapped"])
    plan_node = first(kids, "2010AC")
    plan = payer(ctx, plan_node) if plan_node else None
    if extra:
        billing = _u.evolve(billing, unmapped=billing.unmapped + tuple(extra))
    return {"billing": billing, "pay_to_address": pay_to, "pay_to_plan": plan}


def subscriber_parties(
    ctx: Ctx, node: LoopNode, kids: dict[str, list[LoopNode]], parties: dict[str, Any]
) -> dict[str, Any]:
    """``parties`` with the subscriber (2000B + 2010BA) and payer (2010BB) of a 2000B."""
    sub = subscriber(ctx, node, first(kids, "2010BA"), "2000C" in kids)
    pay = payer(ctx, first(kids, "2010BB"))
    return dict(parties, subscriber=sub, payer=pay)


def subscriber_claims(
    ctx: Ctx, kids: dict[str, list[LoopNode]], p: dict[str, Any], claim: ClaimReader[T]
) -> Iterator[T]:
    """The claims of a 2000B's loops ``kids``: its own 2300s, then each 2000C's."""
    for claim_node in kids.get("2300", ()):
        yield claim(ctx, claim_node, p)
    for pat_node in kids.get("2000C", ()):
        pkids = children(pat_node)
        pat = patient(ctx, pat_node, first(pkids, "2010CA"))
        pp = dict(p, patient=pat)
        for claim_node in pkids.get("2300", ()):
            yield claim(ctx, claim_node, pp)


def header(ctx: Ctx, root: LoopNode) -> dict[str, Any]:
    """BHT, submitter (1000A) and receiver (1000B) of a transaction's tree.

    Returns ``bht`` (the raw segment, ``["BHT"]`` when missing), ``created`` (BHT04 as a
    date or None), ``submitter``, ``receiver`` and ``unmapped`` (what the header kept).
    """
    f: dict[str, Any] = {}
    head = root.find("HEADER")
    bht: Seg = ["BHT"]
    if head is not None:

        def handle(seg: Seg, f: dict[str, Any]) -> bool:
            if seg[0] == "BHT" and "bht" not in f and len(seg) == 7:
                if seg[4]:
                    date8(seg[4], 4)
                f["bht"] = seg
                return True
            return False

        run(ctx, [head], handle, f)
        bht = f.get("bht", bht)
    # segments before HEADER (none in a well-formed file) belong to the root
    for index, seg in root.segments:
        if seg[0] not in ("ST", "SE"):
            ctx.index = index
            f.setdefault("unmapped", []).append(ctx.keep(seg))
    sub_node = root.find("1000A")
    sf: dict[str, Any] = {}

    def sub_handle(seg: Seg, sf: dict[str, Any]) -> bool:
        if seg[0] == "NM1":
            if "name" in sf or len(seg) != 10 or g(seg, 6) or g(seg, 7) or seg[8] != "46":
                return False
            name_fields(seg, sf)
            sf["id"] = seg[9]
            return True
        if seg[0] == "PER" and per_ok(seg):
            return append(sf, "contacts", contact(seg))
        return False

    run(ctx, [sub_node] if sub_node else [], sub_handle, sf)
    submitter = _u.Submitter(
        sf.get("name", ""),
        sf.get("id", ""),
        tuple(sf.get("contacts", ())),
        sf.get("entity_type", "2"),
        sf.get("first_name"),
        sf.get("middle_name"),
        tuple(sf["unmapped"]),
    )
    rf: dict[str, Any] = {}

    def rec_handle(seg: Seg, rf: dict[str, Any]) -> bool:
        if seg[0] == "NM1" and "name" not in rf and len(seg) == 10 and seg[8] == "46":
            if seg[2] != "2" or any(seg[i] for i in (4, 5, 6, 7)):
                return False
            rf["name"], rf["id"] = seg[3], seg[9]
            return True
        return False

    rec_node = root.find("1000B")
    run(ctx, [rec_node] if rec_node else [], rec_handle, rf)
    receiver = _u.Receiver(rf.get("name", ""), rf.get("id", ""), tuple(rf["unmapped"]))
    return {
        "bht": bht,
        "created": date8(bht[4], 4) if g(bht, 4) else None,
        "submitter": submitter,
        "receiver": receiver,
        "unmapped": tuple(f.get("unmapped", ())),
    }


def submission(
    ctx: Ctx,
    root: LoopNode,
    implementation: str,
    claim: ClaimReader[Any],
    make: Callable[..., T],
) -> T:
    """A transaction's submission object (``make``: the guide's Submission class, with the
    positional fields submitter, receiver, claims, BHT03 reference, created date, BHT05 time,
    BHT02 purpose, BHT06 type, implementation, BHT01 structure, unmapped), its claims read
    by ``claim`` under each 2000A billing provider."""
    h = header(ctx, root)
    bht = h["bht"]
    claims = tuple(tree_claims(ctx, root, levels_for(claim)))
    return make(
        h["submitter"],
        h["receiver"],
        claims,
        g(bht, 3),
        h["created"],
        o(bht, 5),
        g(bht, 2),
        g(bht, 6),
        implementation,
        g(bht, 1) or "0019",
        h["unmapped"],
    )


# --------------------------------------------------------------------------- transactions
# The level readers take the guide's context (Ctx, or the 837D reader's own) first.
PartiesReader = Callable[[Any, LoopNode], dict[str, Any]]
LevelParties = Callable[[Any, LoopNode, dict[str, list[LoopNode]], dict[str, Any]], dict[str, Any]]
LevelClaims = Callable[[Any, dict[str, list[LoopNode]], dict[str, Any]], Iterator[T]]
MakeCtx = Callable[[str, str | None, IssueLog, str], Any]


class Levels(NamedTuple):
    """How a guide reads its HL levels: ``parties(ctx, node_2000A)`` gives what a billing
    level hands its claims, ``level_parties(ctx, node_2000B, its_loops, parties)`` adds the
    subscriber level's, ``level_claims(ctx, its_loops, parties)`` reads the claims of a
    subscriber level's loops (by loop id). The whole-tree reading (:func:`tree_claims`) and
    the streaming one (:func:`stream_claims`) both go through them."""

    parties: PartiesReader
    level_parties: LevelParties
    level_claims: LevelClaims[Any]


def tree_claims(ctx: Any, root: LoopNode, levels: Levels) -> Iterator[Any]:
    """The claims of a whole transaction tree: under each 2000A, each 2000B's, in order."""
    for node in root.iter("2000A"):
        parties = levels.parties(ctx, node)
        for sub_node in node.children:
            if sub_node.spec.id == "2000B":
                kids = children(sub_node)
                p = levels.level_parties(ctx, sub_node, kids, parties)
                yield from levels.level_claims(ctx, kids, p)


def levels_for(claim: ClaimReader[T]) -> Levels:
    """This module's levels (:func:`billing_parties`, :func:`subscriber_parties`,
    :func:`subscriber_claims` calling ``claim``): the 837P's and the 837I's."""

    def level_claims(ctx: Ctx, kids: dict[str, list[LoopNode]], p: dict[str, Any]) -> Iterator[T]:
        return subscriber_claims(ctx, kids, p, claim)

    return Levels(billing_parties, subscriber_parties, level_claims)


_NOT_AN_837 = ("NOT_AN_837", "transaction set is not an 837; skipped")


class Pick(NamedTuple):
    """Which transactions a guide's reader reads and how it names the rest: those whose
    ST03/GS08 starts with ``prefix`` (``005010X223``); another transaction set is reported
    as ``not_837`` (code, message), or as another guide when ``None``; another guide as
    ``wrong_code`` / ``wrong_message``. ``make_ctx(component, repetition, log, ST02)`` makes
    the reader's context; a failure of the reader's own code is an :class:`X12Error` naming
    ``what``."""

    prefix: str
    wrong_code: str
    wrong_message: str
    not_837: tuple[str, str] | None = _NOT_AN_837
    make_ctx: MakeCtx = Ctx
    what: str = "837"


def _transactions(
    reader: EnvelopeReader, pick: Pick, log: IssueLog
) -> Iterator[tuple[TransactionStream, str]]:
    """The transactions ``pick`` reads, with their ST03/GS08; the others are reported and
    skipped."""
    for tx in reader.transactions():
        impl = tx.implementation
        if tx.id != "837" and pick.not_837 is not None:
            log.report(*pick.not_837, tx.location())
        elif tx.id != "837" or not impl.startswith(pick.prefix):
            log.report(pick.wrong_code, pick.wrong_message, tx.location())
        else:
            yield tx, impl
            continue
        tx.drain()


def _guarded(items: Iterator[T], what: str = "837") -> Iterator[T]:
    """``items``, with any failure of the reader's own code as an :class:`X12Error`."""
    try:
        yield from items
    except X12Error:
        raise
    except (ValueError, TypeError, IndexError, KeyError, AttributeError) as exc:
        raise X12Error(f"{what} reader could not read the input ({type(exc).__name__})") from None


def read_transactions(
    source: Source,
    guide: Guide,
    pick: Pick,
    build: Callable[[Any, LoopNode, str], T],
    *,
    log: IssueLog,
    encoding: str | None = None,
) -> Iterator[T]:
    """``build(ctx, tree, implementation)`` for each transaction ``pick`` reads (the others
    are reported and skipped), the tree built with ``guide``'s table."""
    reader = EnvelopeReader(source, log=log, encoding=encoding)
    txs = _transactions(reader, pick, log)
    return _guarded(_built(txs, guide, build, log, pick.make_ctx), pick.what)


def _built(
    txs: Iterator[tuple[TransactionStream, str]],
    guide: Guide,
    build: Callable[[Any, LoopNode, str], T],
    log: IssueLog,
    make_ctx: MakeCtx,
) -> Iterator[T]:
    for tx, impl in txs:
        d = tx.delimiters
        # The segments and the claims are kept until built: promoted unscanned. Models are
        # built with unchecked constructors (models.unchecked), not validators off.
        with collector_paused(keep=True):
            segs = tx.read_all()
            tree = build_tree(
                segs, guide, component=d.component, log=log, start_index=tx.start_index
            )
            ctx = make_ctx(d.component, d.repetition or None, log, tx.control_number)
            result = build(ctx, tree, impl)
        yield result


#: HL levels a streaming read keeps reachable as parents, the most recently used: a
#: well-formed file names only open levels (a billing level with thousands of subscriber
#: levels is named by each of them, so it stays). Not larger: what the HL memory lets go of
#: late is freed cold, and reading 20,000 claims was 5% slower with 1,000 than with 256.
STREAM_MAX_HL = 256


def stream_claims(
    source: Source,
    guide: Guide,
    pick: Pick,
    levels: Levels,
    finish: Callable[[Any, LoopNode], object],
    *,
    log: IssueLog,
    encoding: str | None = None,
) -> Iterator[Any]:
    """The claims of each transaction ``pick`` reads (the others are reported and skipped),
    built and handed out as each subscriber level (2000B) closes: memory holds one
    batch of segments and the open loops, whatever the transaction's size.

    ``levels`` reads each level (:class:`Levels`); ``finish(ctx, root)`` what is left in the
    tree at SE (the header: BHT, 1000A, 1000B; for its issues); ``ctx`` is made by
    ``pick.make_ctx``.

    The claims and the issues are those of the whole-tree reading (:func:`read_transactions`);
    the issues come in another order (as found, not the structure's first). The claims come
    in the order their subscriber levels close, which is the tree's order unless a later HL
    returns to an earlier level (its HL02 names a 2000A or 2000B that is not the level just
    before): the loops it brings are then read when it closes, with the parties that level
    was first read with. An HL naming a parent more than :data:`STREAM_MAX_HL` levels back
    (least recently used) is placed as one whose parent is unknown (``HL_PARENT_NOT_FOUND``).
    An error that ends the read (input that cannot be read further, a strict log's first
    error) is raised where it is met: the claims before it have been handed out.
    """
    reader = EnvelopeReader(source, log=log, encoding=encoding)
    txs = _transactions(reader, pick, log)
    return _guarded(_streamed(txs, guide, levels, finish, log, pick.make_ctx), pick.what)


def _streamed(
    txs: Iterator[tuple[TransactionStream, str]],
    guide: Guide,
    levels: Levels,
    finish: Callable[[Any, LoopNode], object],
    log: IssueLog,
    make_ctx: MakeCtx,
) -> Iterator[Any]:
    for tx, _impl in txs:
        d = tx.delimiters
        ctx = make_ctx(d.component, d.repetition or None, log, tx.control_number)
        out: list[Any] = []
        with collector_paused(keep=True):  # the guide's tables are compiled on first use
            walker = start_walk(
                guide,
                component=d.component,
                log=log,
                start_index=tx.start_index,
                units=_UNITS,
                max_hl=STREAM_MAX_HL,
            )
            walker.feed([tx.st])
        batches = tx.batches()
        more = True
        while more:
            # The claims may be kept (load): promoted unscanned, as a whole read's are. The
            # next batch is tokenized inside the pause too: no collection between batches.
            with collector_paused(keep=True):
                batch = next(batches, None)
                if batch is None:
                    more = False
                else:
                    walker.feed(batch)
                    _hand_out(ctx, walker.closed, levels, out)
            if out:
                yield from out
                out.clear()
        with collector_paused(keep=True):
            walker.feed([tx.se if tx.se is not None else ["SE"]])
            root = walker.finish()
            _hand_out(ctx, walker.closed, levels, out)
            finish(ctx, root)
        yield from out
        out.clear()


def stream_guide_claims(
    source: Source,
    guide: Guide,
    pick: Pick,
    claim: ClaimReader[T],
    *,
    log: IssueLog,
    encoding: str | None = None,
) -> Iterator[T]:
    """:func:`stream_claims` with this module's levels (:func:`levels_for` ``claim``) and
    :func:`header`: the 837P's and the 837I's claims."""
    return stream_claims(source, guide, pick, levels_for(claim), header, log=log, encoding=encoding)


_UNITS = frozenset({"2000A", "2000B"})


def _hand_out(
    ctx: Any, closed: list[tuple[LoopNode, LoopNode | None]], levels: Levels, out: list[Any]
) -> None:
    """Read the subscriber levels (2000B) that closed, then let go of their segments and
    detach them; detach the billing levels (2000A) that closed. What a level's claims need
    of it (its parties) stays on its node (``LoopNode.state``), for a later HL that returns
    to it: the walker's HL memory (bounded) keeps the node as long as that can happen."""
    for node, parent in closed:
        if node.spec.id == "2000B":
            # one not under a billing level is not read (nor by the whole-tree reading)
            if parent is not None and parent.spec.id == "2000A":
                billing = _parties(ctx, parent, levels)
                kids = children(node)
                if node.state is None:
                    node.state = levels.level_parties(ctx, node, kids, billing)
                out.extend(levels.level_claims(ctx, kids, node.state))
            _let_go(node)
        else:  # a 2000A with no 2000B is read too (the whole-tree reading reports its issues)
            _parties(ctx, node, levels)
        if parent is not None:
            parent.detach(node)
    closed.clear()


def _parties(ctx: Any, node: LoopNode, levels: Levels) -> dict[str, Any]:
    """A billing level's parties, read on its first visit and kept on its node."""
    if node.state is None:
        node.state = levels.parties(ctx, node)
    parties: dict[str, Any] = node.state
    return parties


def _let_go(node: LoopNode) -> None:
    """Empty a subscriber level once read: its segments, its name loops, its claims and its
    patient levels (a patient level's node may stay in the walker's HL memory, but none
    returns to it: the guide has no level below it). Memory freed now, while warm, costs
    less than when the HL memory lets go of it much later."""
    node.segments.clear()
    for c in node.children:
        c.segments.clear()
        c.children.clear()
    node.children.clear()
