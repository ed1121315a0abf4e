"""The 837P reader: any 837P interchange -> :class:`models.claim.Claim` objects.

Each transaction set's segments are placed in the guide's loops by the table-driven walker
(:func:`x12.loops.build_tree` with :data:`edi837.guide_x222a1.GUIDE`); each loop occurrence
is then turned into its model. Segments the models do not map (and any the walker found out of
place) are kept, as :class:`~models.common.UnmappedSegment`, on the object of their loop, so
the writer gives them back. Version labels seen in the wild (``005010X222`` without the errata
suffix, ``005010X222A2``) are read with the X222A1 tables and kept on the
:class:`~models.claim.Submission`.

Lenient by default: issues go to an :class:`~x12.errors.IssueLog` with a
:class:`~x12.errors.Location`; values that do not parse (a bad date, a bad amount) leave their
segment unmapped; an NPI failing its check digit is kept and reported as a warning. With
``strict=True`` the first error raises. Only :class:`~x12.errors.X12Error` escapes.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import gc
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal, InvalidOperation
from typing import IO, Any

import attrs

from edi837.guide_x222a1 import GUIDE
from models.claim import (
    AmbulanceTransport,
    Attachment,
    Claim,
    Condition,
    Diagnosis,
    DmeCertification,
    Drug,
    EventDate,
    Form,
    LineAdjudication,
    Note,
    OtherPayer,
    Patient,
    Payer,
    Place,
    Provider,
    Receiver,
    Reference,
    ServiceLine,
    Submission,
    Submitter,
    Subscriber,
)
from models.common import Address, Adjustment, Contact, UnmappedSegment, is_valid_npi
from x12.envelope import EnvelopeReader, Source
from x12.errors import Issue, IssueLog, Location, Severity, X12Error
from x12.loops import LoopNode, build_tree

__all__ = ["ReadResult", "iter_claims", "iter_submissions", "load", "loads", "read"]

Seg = list[str]


@attrs.frozen
class ReadResult:
    """What :func:`read` returns: the submissions (transactions) and the issues found."""

    submissions: list[Submission]
    issues: list[Issue]

    @property
    def claims(self) -> list[Claim]:
        return [c for s in self.submissions for c in s.claims]

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity is Severity.ERROR]


class _Bad(Exception):
    """A value that does not parse: the segment stays unmapped."""

    def __init__(self, element: int) -> None:
        self.element = element


def _g(seg: Seg, i: int) -> str:
    return seg[i] if i < len(seg) else ""


def _o(seg: Seg, i: int) -> str | None:
    v = seg[i] if i < len(seg) else ""
    return v or None


def _dec(seg: Seg, i: int) -> Decimal:
    try:
        d = Decimal(seg[i])
    except (InvalidOperation, IndexError):
        raise _Bad(i) from None
    if not d.is_finite():
        raise _Bad(i)
    return d


def _odec(seg: Seg, i: int) -> Decimal | None:
    return _dec(seg, i) if _g(seg, i) else None


def _date8(text: str, i: int) -> _dt.date:
    if len(text) != 8 or not text.isdigit():
        raise _Bad(i)
    try:
        return _dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        raise _Bad(i) from None


def _dtp(seg: Seg) -> tuple[_dt.date, _dt.date | None]:
    fmt, text = _g(seg, 2), _g(seg, 3)
    if fmt == "D8":
        return _date8(text, 3), None
    if fmt == "RD8":
        a, sep, b = text.partition("-")
        if not sep:
            raise _Bad(3)
        start, end = _date8(a, 3), _date8(b, 3)
        if end < start:
            raise _Bad(3)
        return start, end
    raise _Bad(2)


class _Ctx:
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
        )

    def npi(self, seg: Seg) -> str | None:
        ident = _o(seg, 9)
        if ident is None:
            return None
        if _g(seg, 8) != "XX":
            return None
        if not is_valid_npi(ident):
            self.log.report(
                "INVALID_NPI",
                f"{seg[0]}09 is not a valid NPI (check digit); kept as read",
                self.loc(seg[0], 9),
                severity=Severity.WARNING,
                kind="value",
            )
        return ident


Handler = Callable[[Seg, dict[str, Any]], bool]


def _segments(ctx: _Ctx, node: LoopNode) -> Iterator[Seg]:
    ctx.loop = node.spec.id
    for index, seg in node.segments:
        ctx.index = index
        yield seg


def _run(ctx: _Ctx, nodes: Sequence[LoopNode], handle: Handler, f: dict[str, Any]) -> None:
    """Feed every segment of ``nodes`` to ``handle``; what it declines goes to unmapped."""
    kept: list[UnmappedSegment] = f.setdefault("unmapped", [])
    for node in nodes:
        for seg in _segments(ctx, node):
            try:
                if handle(seg, f):
                    continue
            except _Bad as exc:
                ctx.bad(seg, exc.element)
            kept.append(ctx.keep(seg))


def _once(f: dict[str, Any], key: str, value: Any) -> bool:
    if key in f:
        return False
    f[key] = value
    return True


def _append(f: dict[str, Any], key: str, value: Any, limit: int | None = None) -> bool:
    items = f.setdefault(key, [])
    if limit is not None and len(items) >= limit:
        return False
    items.append(value)
    return True


# --------------------------------------------------------------------------- common segments
def _name(seg: Seg, f: dict[str, Any]) -> None:
    f["entity_type"] = _g(seg, 2)
    f["name"] = _g(seg, 3)
    f["first_name"] = _o(seg, 4)
    f["middle_name"] = _o(seg, 5)
    f["suffix"] = _o(seg, 7)


def _address_part(seg: Seg, f: dict[str, Any]) -> bool:
    sid = seg[0]
    if sid == "N3":
        if "n3" in f:
            return False
        f["n3"] = (_g(seg, 1), _o(seg, 2))
        return True
    if sid == "N4":
        if "n4" in f or "n3" not in f or any(_g(seg, i) for i in (5, 6)) or len(seg) > 8:
            return False
        f["n4"] = (_g(seg, 1), _o(seg, 2), _o(seg, 3), _o(seg, 4), _o(seg, 7))
        return True
    return False


def _address(f: dict[str, Any]) -> Address | None:
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
    return Address(n3[0], city, state, postal, n3[1], country, sub)


def _contact(seg: Seg) -> Contact:
    numbers = []
    for i in (3, 5, 7):
        q, n = _g(seg, i), _g(seg, i + 1)
        if q or n:
            numbers.append((q, n))
    return Contact(_o(seg, 2), tuple(numbers), _g(seg, 1))


def _ref(seg: Seg) -> Reference:
    return Reference(_g(seg, 1), _g(seg, 2), _o(seg, 3))


def _simple_ref(seg: Seg) -> bool:
    return len(seg) <= 4


def _per_ok(seg: Seg) -> bool:
    return len(seg) <= 9


# --------------------------------------------------------------------------- parties
def _provider(
    ctx: _Ctx, nodes: Sequence[LoopNode], default_role: str, tax: bool = False
) -> Provider:
    f: dict[str, Any] = {}

    def handle(seg: Seg, f: dict[str, Any]) -> bool:
        sid = seg[0]
        if sid == "NM1":
            if "name" in f or len(seg) > 10 or _g(seg, 6) or _g(seg, 8) not in ("", "XX"):
                return False
            _name(seg, f)
            role = _g(seg, 1)
            f["role"] = None if role == default_role else role
            f["npi"] = ctx.npi(seg)
            return True
        if sid == "PRV":
            if _g(seg, 2) != "PXC" or len(seg) > 4 or "taxonomy" in f:
                return False
            f["prv"] = _g(seg, 1)
            f["taxonomy"] = _g(seg, 3)
            return True
        if sid == "CUR":
            return _g(seg, 1) == "85" and len(seg) == 3 and _once(f, "currency", _g(seg, 2))
        if sid in ("N3", "N4"):
            return _address_part(seg, f)
        if sid == "REF" and _simple_ref(seg):
            q = _g(seg, 1)
            if tax and q in ("EI", "SY") and "tax_id" not in f and len(seg) == 3:
                f["tax_id"] = _g(seg, 2)
                f["tax_id_type"] = q
                return True
            return _append(f, "secondary_ids", _ref(seg))
        if sid == "PER" and _per_ok(seg):
            return _append(f, "contacts", _contact(seg))
        return False

    _run(ctx, nodes, handle, f)
    address = _address(f)
    if "entity_type" not in f:
        ctx.log.report("MISSING_NAME", "provider loop without a usable NM1", ctx.loc("NM1"))
    return Provider(
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


def _payer(
    ctx: _Ctx, node: LoopNode | None, extra: Handler | None = None, f: dict[str, Any] | None = None
) -> Payer:
    f = {} if f is None else f

    def handle(seg: Seg, f: dict[str, Any]) -> bool:
        sid = seg[0]
        if sid == "NM1":
            if "name" in f or len(seg) > 10 or any(_g(seg, i) for i in (4, 5, 6, 7)):
                return False
            if _g(seg, 2) != "2":
                return False
            f["name"] = _g(seg, 3)
            f["id_qualifier"] = _g(seg, 8)
            f["id"] = _g(seg, 9)
            return True
        if sid in ("N3", "N4"):
            return _address_part(seg, f)
        if extra is not None and extra(seg, f):
            return True
        if sid == "REF" and _simple_ref(seg):
            return _append(f, "secondary_ids", _ref(seg))
        return False

    if node is None:
        ctx.log.report("MISSING_PAYER", "payer loop missing", ctx.loc())
    else:
        _run(ctx, [node], handle, f)
    f.setdefault("unmapped", [])
    address = _address(f)
    return Payer(
        f.get("name", ""),
        f.get("id", ""),
        f.get("id_qualifier", "PI"),
        address,
        tuple(f.get("secondary_ids", ())),
        tuple(f["unmapped"]),
    )


def _person(
    ctx: _Ctx,
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
            if "name" in f or len(seg) > 10 or _g(seg, 6):
                return False
            if not allow_id and (_g(seg, 8) or _g(seg, 9)):
                return False
            _name(seg, f)
            f["id_qualifier"] = _g(seg, 8)
            f["member_id"] = _g(seg, 9)
            return True
        if sid in ("N3", "N4"):
            return _address_part(seg, f)
        if sid == "DMG":
            if (
                "dmg" in f
                or len(seg) > 4
                or (_g(seg, 1) not in ("D8", "") or bool(_g(seg, 1)) != bool(_g(seg, 2)))
            ):
                return False
            f["dmg"] = (_date8(_g(seg, 2), 2) if _g(seg, 2) else None, _o(seg, 3))
            return True
        if sid == "REF" and _simple_ref(seg):
            return _append(f, "secondary_ids", _ref(seg))
        if sid == "PER" and _per_ok(seg):
            return _append(f, "contacts", _contact(seg))
        return False

    _run(ctx, nodes, handle, f)
    f["address"] = _address(f)


def _subscriber(
    ctx: _Ctx, head_node: LoopNode | None, name_node: LoopNode | None, has_patient: bool
) -> Subscriber:
    f: dict[str, Any] = {}

    def head(seg: Seg, f: dict[str, Any]) -> bool:
        if seg[0] == "HL":
            return True
        if (
            seg[0] == "SBR"
            and "sbr" not in f
            and len(seg) <= 10
            and not any(_g(seg, i) for i in (6, 7, 8))
        ):
            f["sbr"] = seg
            return True
        return False

    nodes = [n for n in (head_node, name_node) if n is not None]
    _person(ctx, nodes, f, head)
    sbr = f.get("sbr", ["SBR"])
    rel: str | None = _g(sbr, 2)
    if head_node is not None and rel == ("" if has_patient else "18"):
        rel = None  # the writer derives it
    if "name" not in f:
        ctx.log.report("MISSING_NAME", "subscriber loop without its NM1", ctx.loc("NM1"))
    dmg = f.get("dmg", (None, None))
    return Subscriber(
        f.get("name", ""),
        f.get("member_id", ""),
        f.get("first_name"),
        f.get("middle_name"),
        f.get("suffix"),
        f.get("entity_type", "1"),
        f.get("id_qualifier", "MI"),
        _g(sbr, 1),
        rel,
        _o(sbr, 3),
        _o(sbr, 4),
        _o(sbr, 5),
        _g(sbr, 9),
        f["address"],
        dmg[0],
        dmg[1],
        tuple(f.get("secondary_ids", ())),
        tuple(f.get("contacts", ())),
        tuple(f["unmapped"]),
    )


def _patient(ctx: _Ctx, head_node: LoopNode, name_node: LoopNode | None) -> Patient:
    f: dict[str, Any] = {}

    def head(seg: Seg, f: dict[str, Any]) -> bool:
        if seg[0] == "HL":
            return True
        if seg[0] == "PAT" and len(seg) == 2 and "pat" not in f:
            f["pat"] = seg[1]
            return True
        return False

    # 2010CA has no NM108/NM109 in X222A1: an NM1 with them is kept as read
    _person(ctx, [n for n in (head_node, name_node) if n is not None], f, head, False)
    dmg = f.get("dmg", (None, None))
    return Patient(
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


def _place(ctx: _Ctx, node: LoopNode) -> Place:
    f: dict[str, Any] = {}

    def handle(seg: Seg, f: dict[str, Any]) -> bool:
        if seg[0] == "NM1":
            if "nm1" in f or len(seg) > 4 or _g(seg, 2) != "2":
                return False
            f["nm1"] = _o(seg, 3)
            return True
        return _address_part(seg, f)

    _run(ctx, [node], handle, f)
    address = _address(f)
    if address is None:
        address = Address("", "")
    return Place(address, f.get("nm1"), tuple(f["unmapped"]))


# --------------------------------------------------------------------------- claim parts
def _pwk(seg: Seg) -> Attachment | None:
    if len(seg) > 7 or _g(seg, 3) or _g(seg, 4):
        return None
    if _g(seg, 5) not in ("", "AC") or bool(_g(seg, 5)) != bool(_g(seg, 6)):
        return None
    return Attachment(_g(seg, 1), _g(seg, 2), _o(seg, 6))


def _crc(seg: Seg) -> Condition | None:
    if _g(seg, 2) not in ("Y", "N") or len(seg) > 8:
        return None
    codes = tuple(seg[3:])
    if any(not c for c in codes):
        return None
    return Condition(_g(seg, 1), _g(seg, 2) == "Y", codes)


def _cr1(seg: Seg) -> AmbulanceTransport | None:
    if len(seg) > 11 or any(_g(seg, i) for i in (3, 7, 8)) or _g(seg, 5) != "DH":
        return None
    if _g(seg, 1) != ("LB" if _g(seg, 2) else ""):
        return None
    return AmbulanceTransport(_g(seg, 4), _dec(seg, 6), _odec(seg, 2), _o(seg, 9), _o(seg, 10))


def _cas(seg: Seg) -> list[Adjustment] | None:
    group = _g(seg, 1)
    out: list[Adjustment] = []
    for i in range(2, len(seg), 3):
        reason = _g(seg, i)
        if not reason or not _g(seg, i + 1):
            return None
        out.append(Adjustment(group, reason, _dec(seg, i + 1), _odec(seg, i + 2)))
    return out or None


def _procedure(ctx: _Ctx, value: str) -> tuple[str, str, tuple[str, ...], str | None] | None:
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


def _claim(ctx: _Ctx, node: LoopNode, parties: dict[str, Any]) -> Claim:
    f: dict[str, Any] = {}

    def handle(seg: Seg, f: dict[str, Any]) -> bool:
        sid = seg[0]
        if sid == "CLM":
            return "clm" not in f and _clm(ctx, seg, f)
        if sid == "DTP":
            start, end = _dtp(seg)
            if len(seg) > 4:
                return False
            return _append(f, "dates", EventDate(_g(seg, 1), start, end))
        if sid == "REF" and _simple_ref(seg):
            return _append(f, "references", _ref(seg))
        if sid == "PWK":
            a = _pwk(seg)
            return a is not None and _append(f, "attachments", a)
        if sid == "AMT" and _g(seg, 1) == "F5" and len(seg) == 3:
            return _once(f, "patient_paid", _dec(seg, 2))
        if sid == "NTE" and len(seg) == 3:
            return _once(f, "note", Note(_g(seg, 1), _g(seg, 2)))
        if sid == "CR1":
            a1 = _cr1(seg)
            return a1 is not None and _once(f, "ambulance", a1)
        if sid == "CRC":
            c = _crc(seg)
            return c is not None and _append(f, "conditions", c)
        if sid == "HI":
            return _hi(ctx, seg, f)
        return False

    _run(ctx, [node], handle, f)
    kids: dict[str, list[LoopNode]] = {}
    for child in node.children:
        kids.setdefault(child.spec.id, []).append(child)
    one = _first
    referring = tuple(_provider(ctx, [n], "DN") for n in kids.get("2310A", ()))
    rendering = one(kids, "2310B")
    facility = one(kids, "2310C")
    supervising = one(kids, "2310D")
    pickup = one(kids, "2310E")
    dropoff = one(kids, "2310F")
    others = tuple(_other_payer(ctx, n) for n in kids.get("2320", ()))
    lines = tuple(_line(ctx, n) for n in kids.get("2400", ()))
    extra = [n for k, ns in kids.items() if k not in _CLAIM_KIDS for n in ns]
    unmapped = list(f["unmapped"])
    for n in extra + kids.get("2310B", [])[1:] + kids.get("2310C", [])[1:]:
        unmapped.extend(ctx.keep(s) for _, s in n.all_segments())
    clm = f.get("clm", {})
    if not clm:
        raw = next((u for u in f["unmapped"] if u.id == "CLM"), None)
        if raw is not None:  # kept as read; the main values still given, leniently
            first = raw.elements[0][0][0] if raw.elements else ""
            clm = {"id": first}
            with contextlib.suppress(IndexError, InvalidOperation):
                clm["charge"] = Decimal(raw.elements[1][0][0])
    if "id" not in clm:
        ctx.log.report("MISSING_CLM", "claim loop without its CLM", ctx.loc("CLM"))
    return Claim(
        clm.get("id", ""),
        clm.get("charge", Decimal(0)),
        clm.get("pos", ""),
        parties["billing"],
        parties["subscriber"],
        parties["payer"],
        tuple(f.get("diagnoses", ())),
        lines,
        parties.get("patient"),
        parties.get("pay_to_address"),
        parties.get("pay_to_plan"),
        clm.get("frequency", ""),
        clm.get("signature", True),
        clm.get("assignment", ""),
        clm.get("benefits", ""),
        clm.get("release", ""),
        clm.get("sig_source"),
        clm.get("causes", ()),
        clm.get("state"),
        clm.get("country"),
        clm.get("special"),
        clm.get("delay"),
        tuple(f.get("dates", ())),
        tuple(f.get("references", ())),
        tuple(f.get("attachments", ())),
        f.get("patient_paid"),
        f.get("note"),
        f.get("ambulance"),
        tuple(f.get("conditions", ())),
        tuple(f.get("anesthesia", ())),
        tuple(f.get("condition_codes", ())),
        referring,
        _provider(ctx, [rendering], "82") if rendering else None,
        _provider(ctx, [facility], "77") if facility else None,
        _provider(ctx, [supervising], "DQ") if supervising else None,
        _place(ctx, pickup) if pickup else None,
        _place(ctx, dropoff) if dropoff else None,
        others,
        tuple(unmapped),
    )


_CLAIM_KIDS = {"2310A", "2310B", "2310C", "2310D", "2310E", "2310F", "2320", "2400"}


def _first(kids: dict[str, list[LoopNode]], key: str) -> LoopNode | None:
    found = kids.get(key)
    return found[0] if found else None


def _clm(ctx: _Ctx, seg: Seg, f: dict[str, Any]) -> bool:
    if len(seg) > 21 or any(_g(seg, i) for i in (3, 4, 13, 14, 15, 16, 17, 18, 19)):
        return False
    c5 = ctx.comps(_g(seg, 5))
    if len(c5) != 3 or c5[1] != "B":
        return False
    if _g(seg, 6) not in ("Y", "N"):
        return False
    out: dict[str, Any] = {
        "id": _g(seg, 1),
        "charge": _dec(seg, 2),
        "pos": c5[0],
        "frequency": c5[2],
        "signature": _g(seg, 6) == "Y",
        "assignment": _g(seg, 7),
        "benefits": _g(seg, 8),
        "release": _g(seg, 9),
        "sig_source": _o(seg, 10),
        "special": _o(seg, 12),
        "delay": _o(seg, 20),
    }
    if _g(seg, 11):
        c11 = ctx.comps(_g(seg, 11))
        if len(c11) > 5 or (len(c11) > 2 and c11[2]):
            return False
        c11 += [""] * (5 - len(c11))
        if not c11[0] and c11[1]:
            return False
        out["causes"] = tuple(c for c in c11[:2] if c)
        out["state"] = c11[3] or None
        out["country"] = c11[4] or None
        if not out["causes"] and not out["state"] and not out["country"]:
            return False
    f["clm"] = out
    return True


def _hi(ctx: _Ctx, seg: Seg, f: dict[str, Any]) -> bool:
    items = [ctx.comps(v) for v in seg[1:]]
    if not items or any(len(c) != 2 or not c[1] for c in items):
        return False
    quals = [c[0] for c in items]
    if quals[0] in ("ABK", "BK"):
        if "diagnoses" in f:
            return False
        icd9 = quals[0] == "BK"
        other = "BF" if icd9 else "ABF"
        if any(q != other for q in quals[1:]):
            return False
        f["diagnoses"] = [Diagnosis(c[1], icd9) for c in items]
        return True
    if quals[0] == "BP":
        if "anesthesia" in f or any(q != "BO" for q in quals[1:]):
            return False
        f["anesthesia"] = [c[1] for c in items]
        return True
    if quals[0] == "BG" and all(q == "BG" for q in quals):
        have = f.setdefault("condition_codes", [])
        if len(have) % 12:  # the previous HI BG was not full: cannot be rebuilt the same
            return False
        have.extend(c[1] for c in items)
        return True
    return False


def _other_payer(ctx: _Ctx, node: LoopNode) -> OtherPayer:
    f: dict[str, Any] = {}

    def handle(seg: Seg, f: dict[str, Any]) -> bool:
        sid = seg[0]
        if sid == "SBR":
            if "sbr" in f or len(seg) > 10 or any(_g(seg, i) for i in (6, 7, 8)):
                return False
            f["sbr"] = seg
            return True
        if sid == "CAS":
            adj = _cas(seg)
            if adj is None:
                return False
            f.setdefault("cas", []).extend(adj)
            return True
        if sid == "AMT" and len(seg) == 3:
            key = {"D": "paid", "A8": "non_covered", "EAF": "remaining"}.get(_g(seg, 1))
            return key is not None and _once(f, key, _dec(seg, 2))
        if sid == "OI":
            if "oi" in f or len(seg) > 7 or any(_g(seg, i) for i in (1, 2, 5)):
                return False
            f["oi"] = seg
            return True
        return False

    _run(ctx, [node], handle, f)
    kids: dict[str, list[LoopNode]] = {}
    for child in node.children:
        kids.setdefault(child.spec.id, []).append(child)
    sbr = f.get("sbr", ["SBR"])
    sf: dict[str, Any] = {}
    sub_node = _first(kids, "2330A")
    _person(ctx, [sub_node] if sub_node else [], sf)
    dmg = sf.get("dmg", (None, None))
    subscriber = Subscriber(
        sf.get("name", ""),
        sf.get("member_id", ""),
        sf.get("first_name"),
        sf.get("middle_name"),
        sf.get("suffix"),
        sf.get("entity_type", "1"),
        sf.get("id_qualifier", "MI"),
        _g(sbr, 1),
        _g(sbr, 2),
        _o(sbr, 3),
        _o(sbr, 4),
        _o(sbr, 5),
        _g(sbr, 9),
        sf["address"],
        dmg[0],
        dmg[1],
        tuple(sf.get("secondary_ids", ())),
        tuple(sf.get("contacts", ())),
        tuple(sf["unmapped"]),
    )
    pf: dict[str, Any] = {}

    def payer_extra(seg: Seg, pf: dict[str, Any]) -> bool:
        if seg[0] == "DTP" and _g(seg, 1) == "573" and _g(seg, 2) == "D8" and len(seg) == 4:
            return _once(pf, "date", _date8(_g(seg, 3), 3))
        if seg[0] == "REF" and _g(seg, 1) in ("G1", "9F", "T4", "F8") and _simple_ref(seg):
            return _append(pf, "refs", _ref(seg))
        return False

    payer = _payer(ctx, _first(kids, "2330B"), payer_extra, pf)
    oi = f.get("oi", ["OI"])
    unmapped = list(f["unmapped"])
    for key in ("2330D", "2330E", "2330F", "2330G"):
        for n in kids.get(key, [])[1:]:
            unmapped.extend(ctx.keep(s) for _, s in n.all_segments())
    provs = {k: _first(kids, k) for k in ("2330D", "2330E", "2330F", "2330G")}
    codes = {"2330D": "82", "2330E": "77", "2330F": "DQ", "2330G": "85"}
    built = {k: (_provider(ctx, [n], codes[k]) if n else None) for k, n in provs.items()}
    return OtherPayer(
        subscriber,
        payer,
        tuple(f.get("cas", ())),
        f.get("paid"),
        f.get("non_covered"),
        f.get("remaining"),
        _g(oi, 3),
        _o(oi, 4),
        _g(oi, 6),
        pf.get("date"),
        tuple(pf.get("refs", ())),
        tuple(_provider(ctx, [n], "DN") for n in kids.get("2330C", ())),
        built["2330D"],
        built["2330E"],
        built["2330F"],
        built["2330G"],
        tuple(unmapped),
    )


def _sv1(ctx: _Ctx, seg: Seg, f: dict[str, Any]) -> bool:
    if "sv1" in f or len(seg) > 16 or any(_g(seg, i) for i in (6, 8, 10, 13, 14)):
        return False
    proc = _procedure(ctx, _g(seg, 1))
    if proc is None:
        return False
    ptrs_raw = ctx.comps(_g(seg, 7)) if _g(seg, 7) else []
    if any(not p.isdigit() or str(int(p)) != p or not 1 <= int(p) <= 12 for p in ptrs_raw):
        return False
    if len(ptrs_raw) > 4:
        return False
    flags = {i: _g(seg, i) for i in (9, 11, 12)}
    if any(v not in ("", "Y") for v in flags.values()) or _g(seg, 15) not in ("", "0"):
        return False
    f["sv1"] = {
        "proc": proc,
        "charge": _dec(seg, 2),
        "unit_type": _g(seg, 3),
        "units": _dec(seg, 4),
        "pos": _o(seg, 5),
        "ptrs": tuple(int(p) for p in ptrs_raw),
        "emergency": flags[9] == "Y",
        "epsdt": flags[11] == "Y",
        "family": flags[12] == "Y",
        "copay": _g(seg, 15) == "0",
    }
    return True


def _line(ctx: _Ctx, node: LoopNode) -> ServiceLine:
    f: dict[str, Any] = {}

    def handle(seg: Seg, f: dict[str, Any]) -> bool:
        sid = seg[0]
        if sid == "LX":
            return len(seg) == 2 and _once(f, "lx", seg[1])
        if sid == "SV1":
            return _sv1(ctx, seg, f)
        if sid == "DTP":
            if len(seg) > 4:
                return False
            start, end = _dtp(seg)
            if _g(seg, 1) == "472" and "date" not in f:
                f["date"] = (start, end)
                return True
            return _append(f, "dates", EventDate(_g(seg, 1), start, end))
        if sid == "REF" and _simple_ref(seg):
            if _g(seg, 1) == "6R" and len(seg) == 3 and "control" not in f:
                f["control"] = seg[2]
                return True
            return _append(f, "references", _ref(seg))
        if sid == "PWK":
            a = _pwk(seg)
            return a is not None and _append(f, "attachments", a)
        if sid == "CR1":
            a1 = _cr1(seg)
            return a1 is not None and _once(f, "ambulance", a1)
        if sid == "CR3":
            if len(seg) != 4 or _g(seg, 2) != "MO":
                return False
            return _once(f, "cr3", DmeCertification(_g(seg, 1), _dec(seg, 3)))
        if sid == "CRC":
            c = _crc(seg)
            return c is not None and _append(f, "conditions", c)
        if sid == "AMT" and len(seg) == 3:
            key = {"T": "tax", "F4": "postage"}.get(_g(seg, 1))
            return key is not None and _once(f, key, _dec(seg, 2))
        if sid == "NTE" and len(seg) == 3:
            if _g(seg, 1) == "TPO":
                return _once(f, "tpo", seg[2])
            return _once(f, "note", Note(seg[1], seg[2]))
        return False

    _run(ctx, [node], handle, f)
    unmapped: list[UnmappedSegment] = f["unmapped"]
    kids: dict[str, list[LoopNode]] = {}
    for child in node.children:
        kids.setdefault(child.spec.id, []).append(child)
    for key in ("2410", "2420A", "2420B", "2420C", "2420D", "2420E", "2420G", "2420H"):
        for n in kids.get(key, [])[1:]:
            unmapped.extend(ctx.keep(s) for _, s in n.all_segments())
    sv1 = f.get("sv1")
    if sv1 is None:
        ctx.log.report("MISSING_SV1", "service line without a usable SV1", ctx.loc("SV1"))
        sv1 = {
            "proc": ("HC", "", (), None),
            "charge": Decimal(0),
            "unit_type": "UN",
            "units": Decimal(0),
            "pos": None,
            "ptrs": (),
            "emergency": False,
            "epsdt": False,
            "family": False,
            "copay": False,
        }
    date, end = f.get("date", (None, None))
    if date is None:
        ctx.log.report("MISSING_SERVICE_DATE", "service line without DTP*472", ctx.loc("DTP"))
    pq, code, mods, desc = sv1["proc"]
    one = _first
    drug_node = one(kids, "2410")
    provs: dict[str, Provider | None] = {}
    for key, code2 in (
        ("2420A", "82"),
        ("2420B", "QB"),
        ("2420C", "77"),
        ("2420D", "DQ"),
        ("2420E", "DK"),
    ):
        pnode = one(kids, key)
        provs[key] = _provider(ctx, [pnode], code2) if pnode else None
    return ServiceLine(
        code,
        sv1["charge"],
        date,
        sv1["units"],
        sv1["unit_type"],
        mods,
        sv1["ptrs"],
        pq,
        desc,
        sv1["pos"],
        sv1["emergency"],
        sv1["epsdt"],
        sv1["family"],
        sv1["copay"],
        end,
        f.get("control"),
        tuple(f.get("dates", ())),
        tuple(f.get("references", ())),
        tuple(f.get("attachments", ())),
        f.get("ambulance"),
        f.get("cr3"),
        tuple(f.get("conditions", ())),
        f.get("tax"),
        f.get("postage"),
        f.get("note"),
        f.get("tpo"),
        _drug(ctx, drug_node) if drug_node else None,
        provs["2420A"],
        provs["2420B"],
        provs["2420C"],
        provs["2420D"],
        provs["2420E"],
        tuple(_provider(ctx, [n], "DN") for n in kids.get("2420F", ())),
        _place(ctx, p1) if (p1 := one(kids, "2420G")) else None,
        _place(ctx, p2) if (p2 := one(kids, "2420H")) else None,
        tuple(_adjudication(ctx, n) for n in kids.get("2430", ())),
        tuple(_form(ctx, n) for n in kids.get("2440", ())),
        tuple(unmapped),
    )


def _drug(ctx: _Ctx, node: LoopNode) -> Drug:
    f: dict[str, Any] = {}

    def handle(seg: Seg, f: dict[str, Any]) -> bool:
        if seg[0] == "LIN":
            return len(seg) == 4 and not seg[1] and _once(f, "lin", (seg[2], seg[3]))
        if seg[0] == "CTP":
            if len(seg) != 6 or any(seg[i] for i in (1, 2, 3)) or ctx.component in seg[5]:
                return False
            return _once(f, "ctp", (_dec(seg, 4), seg[5]))
        if seg[0] == "REF" and _simple_ref(seg):
            return _once(f, "ref", _ref(seg))
        return False

    _run(ctx, [node], handle, f)
    q, ndc = f.get("lin", ("N4", ""))
    qty, unit = f.get("ctp", (Decimal(0), ""))
    return Drug(ndc, qty, unit, q, f.get("ref"), tuple(f["unmapped"]))


def _adjudication(ctx: _Ctx, node: LoopNode) -> LineAdjudication:
    f: dict[str, Any] = {}

    def handle(seg: Seg, f: dict[str, Any]) -> bool:
        sid = seg[0]
        if sid == "SVD":
            if "svd" in f or len(seg) > 7 or _g(seg, 4):
                return False
            proc = _procedure(ctx, _g(seg, 3))
            if proc is None:
                return False
            f["svd"] = (seg[1], _dec(seg, 2), proc, _dec(seg, 5), _o(seg, 6))
            return True
        if sid == "CAS":
            adj = _cas(seg)
            if adj is None:
                return False
            f.setdefault("cas", []).extend(adj)
            return True
        if sid == "DTP" and _g(seg, 1) == "573" and _g(seg, 2) == "D8" and len(seg) == 4:
            return _once(f, "date", _date8(seg[3], 3))
        if sid == "AMT" and _g(seg, 1) == "EAF" and len(seg) == 3:
            return _once(f, "eaf", _dec(seg, 2))
        return False

    _run(ctx, [node], handle, f)
    payer_id, paid, proc, units, bundled = f.get(
        "svd", ("", Decimal(0), ("HC", "", (), None), Decimal(0), None)
    )
    pq, code, mods, desc = proc
    paid_date: _dt.date = f.get("date", _dt.date.min)
    if "date" not in f:
        ctx.log.report("MISSING_PAID_DATE", "line adjudication without DTP*573", ctx.loc("DTP"))
    return LineAdjudication(
        payer_id,
        paid,
        code,
        units,
        paid_date,
        pq,
        mods,
        desc,
        bundled,
        tuple(f.get("cas", ())),
        f.get("eaf"),
        tuple(f["unmapped"]),
    )


def _form(ctx: _Ctx, node: LoopNode) -> Form:
    f: dict[str, Any] = {}

    def handle(seg: Seg, f: dict[str, Any]) -> bool:
        if seg[0] == "LQ":
            return len(seg) == 3 and _once(f, "lq", (seg[1], seg[2]))
        if seg[0] == "FRM" and "lq" in f and len(seg) <= 6 and seg[-1]:
            return _append(f, "frm", tuple(seg[1:]))
        return False

    _run(ctx, [node], handle, f)
    q, form_id = f.get("lq", ("UT", ""))
    return Form(form_id, tuple(f.get("frm", ())), q, tuple(f["unmapped"]))


# --------------------------------------------------------------------------- transaction
def _submission(ctx: _Ctx, root: LoopNode, implementation: str) -> Submission:
    f: dict[str, Any] = {}
    header = root.find("HEADER")
    bht: Seg = ["BHT"]
    if header is not None:

        def handle(seg: Seg, f: dict[str, Any]) -> bool:
            if seg[0] == "BHT" and "bht" not in f and len(seg) == 7:
                if seg[4]:
                    _date8(seg[4], 4)
                f["bht"] = seg
                return True
            return False

        _run(ctx, [header], handle, f)
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
            if "name" in sf or len(seg) != 10 or _g(seg, 6) or _g(seg, 7) or seg[8] != "46":
                return False
            _name(seg, sf)
            sf["id"] = seg[9]
            return True
        if seg[0] == "PER" and _per_ok(seg):
            return _append(sf, "contacts", _contact(seg))
        return False

    _run(ctx, [sub_node] if sub_node else [], sub_handle, sf)
    submitter = Submitter(
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
    _run(ctx, [rec_node] if rec_node else [], rec_handle, rf)
    receiver = Receiver(rf.get("name", ""), rf.get("id", ""), tuple(rf["unmapped"]))
    claims: list[Claim] = []
    for node in root.iter("2000A"):
        claims.extend(_billing_level(ctx, node))
    return Submission(
        submitter,
        receiver,
        tuple(claims),
        _g(bht, 3),
        _date8(bht[4], 4) if _g(bht, 4) else None,
        _o(bht, 5),
        _g(bht, 2),
        _g(bht, 6),
        implementation,
        _g(bht, 1) or "0019",
        tuple(f.get("unmapped", ())),
    )


def _billing_level(ctx: _Ctx, node: LoopNode) -> Iterator[Claim]:
    kids: dict[str, list[LoopNode]] = {}
    for child in node.children:
        kids.setdefault(child.spec.id, []).append(child)
    name_node = _first(kids, "2010AA")
    billing = _provider(ctx, [node] + ([name_node] if name_node else []), "85", tax=True)
    billing = _strip_hl(billing)
    pay_to: Address | None = None
    pay_to_node = _first(kids, "2010AB")
    extra: list[UnmappedSegment] = []
    if pay_to_node is not None:
        pf: dict[str, Any] = {}

        def handle(seg: Seg, pf: dict[str, Any]) -> bool:
            if seg[0] == "NM1":
                return seg[1:] == ["87", "2"] and _once(pf, "nm1", True)
            return _address_part(seg, pf)

        _run(ctx, [pay_to_node], handle, pf)
        pay_to = _address(pf)
        extra.extend(pf["unmapped"])
    plan_node = _first(kids, "2010AC")
    plan = _payer(ctx, plan_node) if plan_node else None
    if extra:
        billing = attrs.evolve(billing, unmapped=billing.unmapped + tuple(extra))
    parties: dict[str, Any] = {"billing": billing, "pay_to_address": pay_to, "pay_to_plan": plan}
    for sub_node in kids.get("2000B", ()):
        yield from _subscriber_level(ctx, sub_node, parties)


def _strip_hl(p: Provider) -> Provider:
    kept = tuple(u for u in p.unmapped if u.id != "HL")
    return p if len(kept) == len(p.unmapped) else attrs.evolve(p, unmapped=kept)


def _subscriber_level(ctx: _Ctx, node: LoopNode, parties: dict[str, Any]) -> Iterator[Claim]:
    kids: dict[str, list[LoopNode]] = {}
    for child in node.children:
        kids.setdefault(child.spec.id, []).append(child)
    has_patient = "2000C" in kids
    subscriber = _subscriber(ctx, node, _first(kids, "2010BA"), has_patient)
    payer = _payer(ctx, _first(kids, "2010BB"))
    p = dict(parties, subscriber=subscriber, payer=payer)
    for claim_node in kids.get("2300", ()):
        yield _claim(ctx, claim_node, p)
    for pat_node in kids.get("2000C", ()):
        pkids: dict[str, list[LoopNode]] = {}
        for child in pat_node.children:
            pkids.setdefault(child.spec.id, []).append(child)
        patient = _patient(ctx, pat_node, _first(pkids, "2010CA"))
        pp = dict(p, patient=patient)
        for claim_node in pkids.get("2300", ()):
            yield _claim(ctx, claim_node, pp)


# --------------------------------------------------------------------------- public API
def iter_submissions(
    source: Source,
    *,
    strict: bool = False,
    log: IssueLog | None = None,
    encoding: str | None = None,
) -> Iterator[Submission]:
    """One :class:`Submission` per 837P transaction set, read one at a time."""
    log = log if log is not None else IssueLog(strict=strict)
    reader = EnvelopeReader(source, log=log, encoding=encoding)
    try:
        for tx in reader.transactions():
            if tx.id != "837":
                log.report("NOT_AN_837", "transaction set is not an 837; skipped", tx.location())
                tx.drain()
                continue
            impl = tx.implementation
            if not impl.startswith("005010X222"):
                log.report(
                    "NOT_837P_5010",
                    "not a 5010 professional 837 (ST03/GS08 is not 005010X222*); skipped",
                    tx.location(),
                )
                tx.drain()
                continue
            segs: list[Seg] = [tx.st]
            segs.extend(tx)
            segs.append(tx.se if tx.se is not None else ["SE"])
            d = tx.delimiters
            enabled = gc.isenabled()
            gc.disable()
            try:
                tree = build_tree(
                    segs, GUIDE, component=d.component, log=log, start_index=tx.start_index
                )
                ctx = _Ctx(d.component, d.repetition or None, log, tx.control_number)
                with _validators_off():
                    sub = _submission(ctx, tree, impl)
            finally:
                if enabled:
                    gc.enable()
            yield sub
    except X12Error:
        raise
    except (ValueError, TypeError, IndexError, KeyError, AttributeError) as exc:
        raise X12Error(f"837 reader could not read the input ({type(exc).__name__})") from None


class _validators_off:
    """attrs validators off while a reader builds models from values it has checked."""

    def __enter__(self) -> None:
        self._was = attrs.validators.get_disabled()
        attrs.validators.set_disabled(True)

    def __exit__(self, *exc: object) -> None:
        attrs.validators.set_disabled(self._was)


def iter_claims(
    source: Source,
    *,
    strict: bool = False,
    log: IssueLog | None = None,
    encoding: str | None = None,
) -> Iterator[Claim]:
    """Claims one at a time from a file (path-less: text, bytes or a file object)."""
    for sub in iter_submissions(source, strict=strict, log=log, encoding=encoding):
        yield from sub.claims


def read(source: Source, *, strict: bool = False, encoding: str | None = None) -> ReadResult:
    """Everything: the submissions (transactions) and every issue found."""
    log = IssueLog(strict=strict)
    subs = list(iter_submissions(source, log=log, encoding=encoding))
    return ReadResult(subs, list(log.issues))


def loads(text: str | bytes, *, strict: bool = False, log: IssueLog | None = None) -> list[Claim]:
    """The claims of an 837P held in memory (``str`` or ``bytes``)."""
    return list(iter_claims(text, strict=strict, log=log))


def load(
    fp: IO[str] | IO[bytes], *, strict: bool = False, log: IssueLog | None = None
) -> list[Claim]:
    """The claims of an 837P file object (text or binary)."""
    return list(iter_claims(fp, strict=strict, log=log))
