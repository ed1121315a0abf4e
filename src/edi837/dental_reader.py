"""The 837D reader: any 5010 dental 837 (005010X224A2) -> :class:`models.dental.DentalClaim`.

Each transaction set's segments are placed in the guide's loops by the table-driven walker
(:func:`x12.loops.build_tree` with :data:`edi837.guide_x224a2.GUIDE`); each loop occurrence
is then turned into its model. A segment is modelled only when the writer gives it back as
it was read; anything else (a segment the models do not map, one with elements they do not
hold, one the walker found out of place) is kept as :class:`~models.common.UnmappedSegment`
on the object of its loop, so nothing is silently lost and a file read and written back is
the same segment for segment. Version labels seen in the wild (``005010X224``,
``005010X224A1``, ``005010X224A3``) are read with the X224A2 table and kept on the
:class:`~models.dental.DentalSubmission`.

Lenient by default: issues go to an :class:`~x12.errors.IssueLog` with a
:class:`~x12.errors.Location`; values that do not parse leave their segment unmapped.
``strict=True`` raises the first error. Only :class:`~x12.errors.X12Error` escapes.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal, InvalidOperation
from typing import IO, Any

import attrs

from edi837.engine_read import Levels, Pick, read_transactions, stream_claims, tree_claims
from edi837.engine_read import children as _children
from edi837.engine_read import filled as _filled
from edi837.engine_read import g as _g
from edi837.guide_x224a2 import GUIDE
from models import unchecked as _u
from models.claim import (
    Attachment,
    Diagnosis,
    LineAdjudication,
    OtherPayer,
    Patient,
    Payer,
    Provider,
    Reference,
    Subscriber,
)
from models.common import Address, Adjustment, Contact, UnmappedSegment, is_valid_npi
from models.dental import (
    DentalClaim,
    DentalServiceLine,
    DentalSubmission,
)
from x12.envelope import Source
from x12.errors import Issue, IssueLog, Location, Severity
from x12.loops import LoopNode

__all__ = [
    "DentalReadResult",
    "iter_dental_claims",
    "iter_dental_submissions",
    "load_dental",
    "loads_dental",
    "read_dental",
]

Seg = list[str]
Handler = Callable[[Seg, dict[str, Any]], bool]


@attrs.frozen
class DentalReadResult:
    """What :func:`read_dental` returns: the submissions and the issues found."""

    submissions: list[DentalSubmission]
    issues: list[Issue]

    @property
    def claims(self) -> list[DentalClaim]:
        return [c for s in self.submissions for c in s.claims]

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity is Severity.ERROR]


class _Bad(Exception):
    """A value that does not parse: the segment stays unmapped."""

    def __init__(self, element: int) -> None:
        self.element = element


def _o(seg: Seg, i: int) -> str | None:
    return (seg[i] if i < len(seg) else "") or None


def _dec(text: str, i: int) -> Decimal:
    try:
        d = Decimal(text)
    except InvalidOperation:
        raise _Bad(i) from None
    if not d.is_finite() or text.strip() != text or "e" in text.lower() or text.startswith("+"):
        raise _Bad(i)
    return d


def _odec(seg: Seg, i: int) -> Decimal | None:
    v = _g(seg, i)
    return _dec(v, i) if v else None


def _date8(text: str, i: int) -> _dt.date:
    if len(text) != 8 or not text.isdigit():
        raise _Bad(i)
    try:
        return _dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        raise _Bad(i) from None


def _dtp(seg: Seg) -> tuple[_dt.date, _dt.date | None]:
    if len(seg) != 4:
        raise _Bad(len(seg) - 1)
    fmt, text = seg[2], seg[3]
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


def _canon(d: Decimal, text: str) -> bool:
    """Whether the writer writes ``d`` back as ``text`` (no lost zeros or signs)."""
    out = format(d, "f")
    if out.startswith("-0") and d == 0:
        out = out[1:]
    return out == text


class _Ctx:
    """Per-transaction state: separators, the issue log, the place being read."""

    def __init__(self, component: str, repetition: str | None, log: IssueLog, tx: str) -> None:
        self.component = component
        self.repetition = repetition
        self.log = log
        self.tx = tx
        self.index = 0
        self.loop = ""

    def comps(self, value: str) -> list[str]:
        return value.split(self.component)

    def plain(self, value: str) -> bool:
        """A simple element: no component (and no repetition) separator inside."""
        return self.component not in value and (not self.repetition or self.repetition not in value)

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
        )

    def npi(self, seg: Seg) -> str | None:
        ident = _o(seg, 9)
        if ident is None or _g(seg, 8) != "XX":
            return None
        if not is_valid_npi(ident):
            self.log.report(
                "INVALID_NPI",
                f"{seg[0]}09 is not a valid NPI (check digit); kept as read",
                self.loc(seg[0], 9),
                severity=Severity.WARNING,
            )
        return ident


def _run(ctx: _Ctx, nodes: Sequence[LoopNode], handle: Handler, f: dict[str, Any]) -> None:
    """Feed every own segment of ``nodes`` to ``handle``; what it declines is kept unmapped."""
    kept: list[UnmappedSegment] = f.setdefault("unmapped", [])
    for node in nodes:
        ctx.loop = node.spec.id
        for index, seg in node.segments:
            ctx.index = index
            if not all(ctx.plain(v) for v in seg[1:]) and seg[0] not in _COMPOSITES:
                kept.append(ctx.keep(seg))
                continue
            try:
                if handle(seg, f):
                    continue
            except _Bad as exc:
                ctx.bad(seg, exc.element)
            kept.append(ctx.keep(seg))


#: Segments whose handlers split composites themselves.
_COMPOSITES = frozenset({"CLM", "SV3", "TOO", "HI", "SVD"})


def _keep_all(ctx: _Ctx, nodes: Sequence[LoopNode]) -> list[UnmappedSegment]:
    return [ctx.keep(seg) for node in nodes for _, seg in node.all_segments()]


def _once(f: dict[str, Any], key: str, value: Any) -> bool:
    if key in f:
        return False
    f[key] = value
    return True


def _append(f: dict[str, Any], key: str, value: Any) -> bool:
    f.setdefault(key, []).append(value)
    return True


# --------------------------------------------------------------------------- common parts
def _name(seg: Seg, f: dict[str, Any]) -> None:
    f["entity_type"] = _g(seg, 2)
    f["name"] = _g(seg, 3)
    f["first_name"] = _o(seg, 4)
    f["middle_name"] = _o(seg, 5)
    f["suffix"] = _o(seg, 7)


def _address_part(seg: Seg, f: dict[str, Any]) -> bool:
    if seg[0] == "N3":
        if "n3" in f or len(seg) > 3 or not _g(seg, 1) or (len(seg) == 3 and not seg[2]):
            return False
        f["n3"] = (seg[1], _o(seg, 2))
        return True
    if seg[0] == "N4":
        if "n4" in f or "n3" not in f or len(seg) > 8 or _g(seg, 5) or _g(seg, 6):
            return False
        if not _g(seg, 1) or (len(seg) > 1 and not seg[-1]):
            return False
        f["n4"] = (seg[1], _o(seg, 2), _o(seg, 3), _o(seg, 4), _o(seg, 7))
        return True
    return False


def _address(ctx: _Ctx, f: dict[str, Any]) -> Address | None:
    n3, n4 = f.pop("n3", None), f.pop("n4", None)
    if n3 is None:
        return None
    if n4 is None:  # an N3 without its N4: keep it as read
        seg = ["N3", n3[0]] + ([n3[1]] if n3[1] is not None else [])
        f.setdefault("unmapped", []).insert(0, ctx.keep(seg))
        return None
    city, state, postal, country, sub = n4
    return _u.Address(n3[0], city, state, postal, n3[1], country, sub)


def _contact(seg: Seg) -> Contact | None:
    if len(seg) > 9 or not seg[-1] or (len(seg) % 2 == 0 and len(seg) > 2):
        return None
    numbers = []
    for i in (3, 5, 7):
        q, n = _g(seg, i), _g(seg, i + 1)
        if q or n:
            if not q or not n:
                return None
            numbers.append((q, n))
    return _u.Contact(_o(seg, 2), tuple(numbers), _g(seg, 1))


def _ref(seg: Seg) -> Reference | None:
    if len(seg) < 3 or len(seg) > 4 or not seg[1] or not seg[2] or not seg[-1]:
        return None
    return _u.Reference(seg[1], seg[2], _o(seg, 3))


def _nm1_ok(seg: Seg) -> bool:
    """An NM1 the writer's shape reproduces: NM106 empty, NM108 only with NM109, no trailing
    empty element and nothing after NM109."""
    if len(seg) > 10 or _g(seg, 6) or not seg[-1]:
        return False
    return bool(_g(seg, 8)) == bool(_g(seg, 9))


def _pwk(seg: Seg) -> Attachment | None:
    if len(seg) not in (3, 7) or _g(seg, 3) or _g(seg, 4):
        return None
    if len(seg) == 7 and (seg[5] != "AC" or not seg[6]):
        return None
    if not seg[1] or not seg[2]:
        return None
    return _u.Attachment(seg[1], seg[2], _o(seg, 6))


def _cas(seg: Seg) -> list[Adjustment] | None:
    group = _g(seg, 1)
    out: list[Adjustment] = []
    if len(seg) < 4 or not seg[-1]:
        return None
    for i in range(2, len(seg), 3):
        reason, amount, qty = _g(seg, i), _g(seg, i + 1), _g(seg, i + 2)
        if not reason or not amount:
            return None
        a, q = _dec(amount, i + 1), _dec(qty, i + 2) if qty else None
        if not _canon(a, amount) or (q is not None and not _canon(q, qty)):
            return None
        out.append(_u.Adjustment(group, reason, a, q))
    return out


def _amount(seg: Seg, i: int) -> Decimal:
    text = _g(seg, i)
    d = _dec(text, i)
    if not _canon(d, text):
        raise _Bad(i)
    return d


# --------------------------------------------------------------------------- parties
#: PRV01 the writer gives each provider loop's taxonomy (PE elsewhere).
_PRV_CODE = {"2000A": "BI", "2310A": "RF", "2310D": "AS", "2420B": "AS"}


def _provider(
    ctx: _Ctx, nodes: Sequence[LoopNode], default_role: str, tax: bool = False
) -> Provider:
    f: dict[str, Any] = {}

    def handle(seg: Seg, f: dict[str, Any]) -> bool:
        sid = seg[0]
        if sid == "NM1":
            if "entity_type" in f or not _nm1_ok(seg) or _g(seg, 8) not in ("", "XX"):
                return False
            _name(seg, f)
            role = seg[1]
            f["role"] = None if role == default_role else role
            f["npi"] = ctx.npi(seg)
            return True
        if sid == "PRV":
            if len(seg) != 4 or seg[2] != "PXC" or not seg[3] or "taxonomy" in f:
                return False
            if seg[1] != _PRV_CODE.get(ctx.loop, "PE"):
                return False
            f["taxonomy"] = seg[3]
            return True
        if sid == "CUR":
            return (
                _g(seg, 1) == "85"
                and len(seg) == 3
                and bool(seg[2])
                and _once(f, "currency", seg[2])
            )
        if sid in ("N3", "N4"):
            return _address_part(seg, f)
        if sid == "REF":
            r = _ref(seg)
            if r is None:
                return False
            if tax and r.qualifier in ("EI", "SY") and "tax_id" not in f and len(seg) == 3:
                f["tax_id"], f["tax_id_type"] = r.value, r.qualifier
                return True
            return _append(f, "secondary_ids", r)
        if sid == "PER":
            c = _contact(seg)
            return c is not None and _append(f, "contacts", c)
        return False

    _run(ctx, nodes, handle, f)
    address = _address(ctx, f)
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


def _payer(
    ctx: _Ctx, node: LoopNode | None, extra: Handler | None = None, f: dict[str, Any] | None = None
) -> Payer:
    f = {} if f is None else f

    def handle(seg: Seg, f: dict[str, Any]) -> bool:
        sid = seg[0]
        if sid == "NM1":
            if "name" in f or not _nm1_ok(seg) or _filled(seg, (4, 5, 7)):
                return False
            if _g(seg, 2) != "2" or not _g(seg, 3) or not _g(seg, 9):
                return False
            f["name"], f["id_qualifier"], f["id"] = seg[3], seg[8], seg[9]
            return True
        if sid in ("N3", "N4"):
            return _address_part(seg, f)
        if extra is not None and extra(seg, f):
            return True
        if sid == "REF":
            r = _ref(seg)
            return r is not None and _append(f, "secondary_ids", r)
        return False

    if node is None:
        ctx.log.report("MISSING_PAYER", "payer loop missing", ctx.loc())
    else:
        _run(ctx, [node], handle, f)
    f.setdefault("unmapped", [])
    address = _address(ctx, f)
    return _u.Payer(
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
            if "name" in f or not _nm1_ok(seg) or not _g(seg, 3):
                return False
            if not allow_id and _g(seg, 8):
                return False
            _name(seg, f)
            f["id_qualifier"], f["member_id"] = _g(seg, 8), _g(seg, 9)
            return True
        if sid in ("N3", "N4"):
            return _address_part(seg, f)
        if sid == "DMG":
            if "dmg" in f or len(seg) > 4 or not seg[-1] or len(seg) < 3:
                return False
            if bool(_g(seg, 1)) != bool(_g(seg, 2)) or _g(seg, 1) not in ("D8", ""):
                return False
            f["dmg"] = (_date8(seg[2], 2) if seg[2] else None, _o(seg, 3))
            return True
        if sid == "REF":
            r = _ref(seg)
            return r is not None and _append(f, "secondary_ids", r)
        if sid == "PER":
            c = _contact(seg)
            return c is not None and _append(f, "contacts", c)
        return False

    _run(ctx, nodes, handle, f)
    f["address"] = _address(ctx, f)


def _sbr_ok(seg: Seg) -> bool:
    return len(seg) <= 10 and not _filled(seg, (6, 7, 8)) and bool(seg[-1])


def _subscriber_from(f: dict[str, Any], sbr: Seg, rel: str | None) -> Subscriber:
    dmg = f.get("dmg", (None, None))
    return _u.Subscriber(
        f.get("name", ""),
        f.get("member_id", ""),
        f.get("first_name"),
        f.get("middle_name"),
        f.get("suffix"),
        f.get("entity_type", "1"),
        f.get("id_qualifier") or "MI",
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


def _subscriber(
    ctx: _Ctx, head_node: LoopNode, name_node: LoopNode | None, has_patient: bool
) -> Subscriber:
    f: dict[str, Any] = {}

    def head(seg: Seg, f: dict[str, Any]) -> bool:
        if seg[0] == "HL":
            return True
        if seg[0] == "SBR" and "sbr" not in f and _sbr_ok(seg):
            f["sbr"] = seg
            return True
        return False

    _person(ctx, [head_node] + ([name_node] if name_node else []), f, head)
    if "name" not in f:
        ctx.log.report("MISSING_NAME", "subscriber loop without its NM1", ctx.loc("NM1"))
    sbr = f.get("sbr", ["SBR"])
    rel: str | None = _g(sbr, 2)
    if rel == ("" if has_patient else "18"):
        rel = None  # the writer derives it
    return _subscriber_from(f, sbr, rel)


def _patient(ctx: _Ctx, head_node: LoopNode, name_node: LoopNode | None) -> Patient:
    f: dict[str, Any] = {}

    def head(seg: Seg, f: dict[str, Any]) -> bool:
        if seg[0] == "HL":
            return True
        if seg[0] == "PAT" and len(seg) == 2 and seg[1] and "pat" not in f:
            f["pat"] = seg[1]
            return True
        return False

    _person(ctx, [head_node] + ([name_node] if name_node else []), f, head, allow_id=False)
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


# --------------------------------------------------------------------------- claim
def _clm(ctx: _Ctx, seg: Seg, f: dict[str, Any]) -> bool:
    if "clm" in f or len(seg) > 21 or len(seg) < 10 or not seg[-1]:
        return False
    if _filled(seg, (3, 4, 10, 13, 14, 15, 16, 17, 18)):
        return False
    if not all(ctx.plain(_g(seg, i)) for i in range(1, len(seg)) if i not in (5, 11)):
        return False
    pos = ctx.comps(_g(seg, 5))
    if len(pos) != 3 or pos[1] != "B" or not pos[0] or not pos[2]:
        return False
    if _g(seg, 6) not in ("Y", "N") or _g(seg, 19) not in ("", "PB"):
        return False
    causes: tuple[str, ...] = ()
    state = country = None
    if _g(seg, 11):
        rc = ctx.comps(seg[11])
        if len(rc) > 5 or not rc[-1] or _g(rc, 2):
            return False
        causes = tuple(c for c in rc[:2] if c)
        if len(causes) != len([c for c in rc[:2] if c]) or (len(rc) > 1 and rc[1] and not rc[0]):
            return False
        state, country = _o(rc, 3), _o(rc, 4)
    f["clm"] = {
        "id": seg[1],
        "charge": _amount(seg, 2),
        "place_of_service": pos[0],
        "frequency": pos[2],
        "provider_signature": seg[6] == "Y",
        "assignment": _g(seg, 7),
        "benefits_assigned": _g(seg, 8),
        "release_of_information": _g(seg, 9),
        "related_causes": causes,
        "accident_state": state,
        "accident_country": country,
        "special_program": _o(seg, 12),
        "predetermination": _g(seg, 19) == "PB",
        "delay_reason": _o(seg, 20),
    }
    return True


def _hi(ctx: _Ctx, seg: Seg, f: dict[str, Any]) -> bool:
    if "diagnoses" in f or len(seg) < 2 or len(seg) > 5:
        return False
    out: list[Diagnosis] = []
    for i, value in enumerate(seg[1:]):
        comps = ctx.comps(value)
        if len(comps) != 2 or not comps[1]:
            return False
        q = comps[0]
        icd9 = q in ("BK", "BF")
        expected = ("BK" if icd9 else "ABK") if i == 0 else ("BF" if icd9 else "ABF")
        if q != expected or (out and out[0].icd9 != icd9):
            return False
        out.append(_u.Diagnosis(comps[1], icd9))
    f["diagnoses"] = out
    return True


_CLAIM_DATES = ("439", "452", "472", "435", "096", "050")


def _claim(ctx: _Ctx, node: LoopNode, parties: dict[str, Any]) -> DentalClaim:
    f: dict[str, Any] = {}

    def handle(seg: Seg, f: dict[str, Any]) -> bool:
        sid = seg[0]
        if sid == "CLM":
            return _clm(ctx, seg, f)
        if sid == "DTP" and _g(seg, 1) in _CLAIM_DATES:
            start, end = _dtp(seg)
            return _append(f, "dates", _u.EventDate(seg[1], start, end))
        if sid == "DN1":
            if "dn1" in f or len(seg) > 5 or len(seg) < 2 or not seg[-1]:
                return False
            total, remaining = _g(seg, 1), _g(seg, 2)
            t = _dec(total, 1) if total else None
            r = _dec(remaining, 2) if remaining else None
            if (t is not None and not _canon(t, total)) or (
                r is not None and not _canon(r, remaining)
            ):
                return False
            f["dn1"] = _u.Orthodontics(t, r, _o(seg, 3), _o(seg, 4))
            return True
        if sid == "DN2":
            if len(seg) not in (3, 7) or not seg[1] or not seg[2] or any(seg[3:6]):
                return False
            if len(seg) == 7 and not seg[6]:
                return False
            return _append(f, "dn2", _u.ToothStatus(seg[1], seg[2], _o(seg, 6)))
        if sid == "PWK":
            a = _pwk(seg)
            return a is not None and _append(f, "pwk", a)
        if sid == "AMT" and _g(seg, 1) == "F5" and len(seg) == 3:
            return _once(f, "patient_paid", _amount(seg, 2))
        if sid == "REF":
            ref = _ref(seg)
            return ref is not None and _append(f, "refs", ref)
        if sid == "NTE" and len(seg) == 3 and seg[1] and seg[2]:
            return _once(f, "note", _u.Note(seg[1], seg[2]))
        if sid == "HI":
            return _hi(ctx, seg, f)
        return False

    _run(ctx, [node], handle, f)
    kids = _children(node)
    unmapped: list[UnmappedSegment] = f["unmapped"]
    clm = f.get("clm")
    if clm is None:
        ctx.log.report("MISSING_CLM", "claim loop without a usable CLM", ctx.loc("CLM"))
        clm = {"id": "", "charge": Decimal(0), "place_of_service": ""}

    def single(loop_id: str, code: str) -> Provider | None:
        found = kids.get(loop_id, [])
        for extra in found[1:]:
            unmapped.extend(_keep_all(ctx, [extra]))
        return _provider(ctx, [found[0]], code) if found else None

    other = [_other_payer(ctx, n) for n in kids.get("2320", ())]
    return _u.DentalClaim(
        billing_provider=parties["billing"],
        subscriber=parties["subscriber"],
        payer=parties["payer"],
        patient=parties.get("patient"),
        pay_to_address=parties["pay_to_address"],
        pay_to_plan=parties["pay_to_plan"],
        service_lines=tuple(_line(ctx, n) for n in kids.get("2400", ())),
        dates=tuple(f.get("dates", ())),
        orthodontics=f.get("dn1"),
        tooth_status=tuple(f.get("dn2", ())),
        attachments=tuple(f.get("pwk", ())),
        patient_paid=f.get("patient_paid"),
        references=tuple(f.get("refs", ())),
        note=f.get("note"),
        diagnoses=tuple(f.get("diagnoses", ())),
        referring_providers=tuple(_provider(ctx, [n], "DN") for n in kids.get("2310A", ())),
        rendering_provider=single("2310B", "82"),
        service_facility=single("2310C", "77"),
        assistant_surgeon=single("2310D", "DD"),
        supervising_provider=single("2310E", "DQ"),
        other_payers=tuple(other),
        unmapped=tuple(unmapped),
        **clm,
    )


def _other_payer(ctx: _Ctx, node: LoopNode) -> OtherPayer:
    f: dict[str, Any] = {}

    def handle(seg: Seg, f: dict[str, Any]) -> bool:
        sid = seg[0]
        if sid == "SBR":
            return _sbr_ok(seg) and _once(f, "sbr", seg)
        if sid == "CAS":
            adj = _cas(seg)
            if adj is None or (f.get("cas") and f["cas"][-1].group == adj[0].group):
                return False
            f.setdefault("cas", []).extend(adj)
            return True
        if sid == "AMT" and len(seg) == 3:
            key = {"D": "paid", "A8": "non_covered", "EAF": "remaining"}.get(_g(seg, 1))
            return key is not None and _once(f, key, _amount(seg, 2))
        if sid == "OI":
            if "oi" in f or len(seg) != 7 or _filled(seg, (1, 2, 5)):
                return False
            f["oi"] = seg
            return True
        return False

    _run(ctx, [node], handle, f)
    kids = _children(node)
    unmapped: list[UnmappedSegment] = f["unmapped"]
    sf: dict[str, Any] = {}
    sub_nodes = kids.get("2330A", [])
    _person(ctx, sub_nodes[:1], sf)
    sbr = f.get("sbr", ["SBR"])
    subscriber = _subscriber_from(sf, sbr, _g(sbr, 2))
    pf: dict[str, Any] = {}

    def payer_extra(seg: Seg, pf: dict[str, Any]) -> bool:
        if seg[0] == "DTP" and _g(seg, 1) == "573" and len(seg) == 4 and seg[2] == "D8":
            return "refs" not in pf and _once(pf, "date", _date8(seg[3], 3))
        if seg[0] == "REF" and _g(seg, 1) in ("G1", "9F", "T4", "G3", "F8"):
            r = _ref(seg)
            return r is not None and _append(pf, "refs", r)
        return False

    payer_nodes = kids.get("2330B", [])
    payer = _payer(ctx, payer_nodes[0] if payer_nodes else None, payer_extra, pf)
    oi = f.get("oi", ["OI", "", "", "Y", "", "", "Y"])

    def single(loop_id: str, code: str) -> Provider | None:
        found = kids.get(loop_id, [])
        return _provider(ctx, [found[0]], code) if found else None

    built = {
        "2330D": single("2330D", "82"),
        "2330E": single("2330E", "DQ"),
        "2330F": single("2330F", "85"),
        "2330G": single("2330G", "77"),
    }
    extra: list[LoopNode] = []
    for key in ("2330A", "2330B", "2330D", "2330E", "2330F", "2330G"):
        extra.extend(kids.get(key, [])[1:])
    extra.extend(kids.get("2330H", []))
    unmapped.extend(_keep_all(ctx, extra))
    return _u.OtherPayer(
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
        built["2330G"],
        built["2330E"],
        built["2330F"],
        tuple(unmapped),
    )


# --------------------------------------------------------------------------- line
_LINE_DATES = {
    "441": "prior_placement",
    "452": "appliance_placement",
    "446": "replacement",
    "196": "treatment_start",
    "198": "treatment_completion",
}


def _sv3(ctx: _Ctx, seg: Seg, f: dict[str, Any]) -> bool:
    if "sv3" in f or len(seg) > 12 or len(seg) < 3 or not seg[-1]:
        return False
    if _filled(seg, (7, 8, 9, 10)):
        return False
    if not all(ctx.plain(_g(seg, i)) for i in (2, 3, 5, 6)):
        return False
    proc = ctx.comps(seg[1])
    if len(proc) < 2 or len(proc) > 7 or proc[0] != "AD" or not proc[1] or not proc[-1]:
        return False
    mods = proc[2:6]
    while mods and not mods[-1]:
        mods.pop()
    if any(not m for m in mods):
        return False
    cavity = ctx.comps(seg[4]) if _g(seg, 4) else []
    if any(not c for c in cavity):
        return False
    pointers: list[int] = []
    if _g(seg, 11):
        for p in ctx.comps(seg[11]):
            if not (p.isascii() and p.isdigit()) or str(int(p)) != p or not 1 <= int(p) <= 4:
                return False
            pointers.append(int(p))
    qty = _g(seg, 6)
    quantity = _dec(qty, 6) if qty else None
    if quantity is not None and not _canon(quantity, qty):
        return False
    f["sv3"] = {
        "procedure": proc[1],
        "modifiers": tuple(mods),
        "description": _o(proc, 6),
        "charge": _amount(seg, 2),
        "place_of_service": _o(seg, 3),
        "oral_cavity": tuple(cavity),
        "prosthesis": _o(seg, 5),
        "quantity": quantity,
        "diagnosis_pointers": tuple(pointers),
    }
    return True


def _too(ctx: _Ctx, seg: Seg, f: dict[str, Any]) -> bool:
    if len(seg) < 3 or len(seg) > 4 or not seg[1] or not seg[2] or not seg[-1]:
        return False
    if not ctx.plain(seg[1]) or not ctx.plain(seg[2]):
        return False
    surfaces = ctx.comps(seg[3]) if len(seg) == 4 else []
    if any(not s for s in surfaces) or len(surfaces) > 5:
        return False
    return _append(f, "teeth", _u.Tooth(seg[2], tuple(surfaces), seg[1]))


def _line(ctx: _Ctx, node: LoopNode) -> DentalServiceLine:
    f: dict[str, Any] = {}

    def handle(seg: Seg, f: dict[str, Any]) -> bool:
        sid = seg[0]
        if sid == "LX":
            return len(seg) == 2 and _once(f, "lx", seg[1])
        if sid == "SV3":
            return _sv3(ctx, seg, f)
        if sid == "TOO":
            return _too(ctx, seg, f)
        if sid == "DTP":
            q = _g(seg, 1)
            if q == "472":
                start, end = _dtp(seg)
                return _once(f, "service", (start, end))
            key = _LINE_DATES.get(q)
            if key is None or _g(seg, 2) != "D8":
                return False
            return _once(f, key, _dtp(seg)[0])
        if sid == "REF":
            r = _ref(seg)
            if r is None:
                return False
            if r.qualifier == "6R" and len(seg) == 3 and "control" not in f:
                f["control"] = r.value
                return True
            return _append(f, "refs", r)
        if sid == "AMT" and _g(seg, 1) == "T" and len(seg) == 3:
            return _once(f, "sales_tax", _amount(seg, 2))
        if sid == "NTE" and len(seg) == 3 and seg[1] and seg[2]:
            return _once(f, "note", _u.Note(seg[1], seg[2]))
        return False

    _run(ctx, [node], handle, f)
    kids = _children(node)
    unmapped: list[UnmappedSegment] = f["unmapped"]
    sv3: dict[str, Any] | None = f.get("sv3")
    if sv3 is None:
        ctx.log.report("MISSING_SV3", "service line without a usable SV3", ctx.loc("SV3"))
        sv3 = {"procedure": "", "charge": Decimal(0)}
    # LX01 is renumbered by the writer: a number out of sequence is not worth keeping
    service = f.get("service", (None, None))

    def single(loop_id: str, code: str) -> Provider | None:
        found = kids.get(loop_id, [])
        for extra in found[1:]:
            unmapped.extend(_keep_all(ctx, [extra]))
        return _provider(ctx, [found[0]], code) if found else None

    dates: dict[str, Any] = {key: f.get(key) for key in _LINE_DATES.values()}
    return _u.DentalServiceLine(
        service_date=service[0],
        service_date_end=service[1],
        teeth=tuple(f.get("teeth", ())),
        control_number=f.get("control"),
        references=tuple(f.get("refs", ())),
        sales_tax=f.get("sales_tax"),
        note=f.get("note"),
        rendering_provider=single("2420A", "82"),
        assistant_surgeon=single("2420B", "DD"),
        supervising_provider=single("2420C", "DQ"),
        service_facility=single("2420D", "77"),
        adjudications=tuple(_adjudication(ctx, n) for n in kids.get("2430", ())),
        unmapped=tuple(unmapped),
        **dates,
        **sv3,
    )


def _adjudication(ctx: _Ctx, node: LoopNode) -> LineAdjudication:
    f: dict[str, Any] = {}

    def handle(seg: Seg, f: dict[str, Any]) -> bool:
        sid = seg[0]
        if sid == "SVD":
            if "svd" in f or len(seg) > 7 or len(seg) < 6 or _g(seg, 4) or not seg[-1]:
                return False
            proc = ctx.comps(seg[3])
            if len(proc) < 2 or len(proc) > 7 or not proc[0] or not proc[1] or not proc[-1]:
                return False
            mods = proc[2:6]
            while mods and not mods[-1]:
                mods.pop()
            if any(not m for m in mods) or not all(ctx.plain(_g(seg, i)) for i in (1, 2, 5, 6)):
                return False
            f["svd"] = (
                seg[1],
                _amount(seg, 2),
                (proc[0], proc[1], tuple(mods), _o(proc, 6)),
                _amount(seg, 5),
                _o(seg, 6),
            )
            return True
        if sid == "CAS":
            adj = _cas(seg)
            if adj is None or (f.get("cas") and f["cas"][-1].group == adj[0].group):
                return False
            f.setdefault("cas", []).extend(adj)
            return True
        if sid == "DTP" and _g(seg, 1) == "573" and _g(seg, 2) == "D8" and len(seg) == 4:
            return _once(f, "date", _date8(seg[3], 3))
        if sid == "AMT" and _g(seg, 1) == "EAF" and len(seg) == 3:
            return _once(f, "eaf", _amount(seg, 2))
        return False

    _run(ctx, [node], handle, f)
    payer_id, paid, proc, units, bundled = f.get(
        "svd", ("", Decimal(0), ("AD", "", (), None), Decimal(0), None)
    )
    if "svd" not in f:
        ctx.log.report("MISSING_SVD", "line adjudication without a usable SVD", ctx.loc("SVD"))
    if "date" not in f:
        ctx.log.report("MISSING_PAID_DATE", "line adjudication without DTP*573", ctx.loc("DTP"))
    pq, code, mods, desc = proc
    return _u.LineAdjudication(
        payer_id,
        paid,
        code,
        units,
        f.get("date", _dt.date.min),
        pq,
        mods,
        desc,
        bundled,
        tuple(f.get("cas", ())),
        f.get("eaf"),
        tuple(f["unmapped"]),
    )


# --------------------------------------------------------------------------- levels
def _submission(ctx: _Ctx, root: LoopNode, implementation: str) -> DentalSubmission:
    h = _header(ctx, root)
    bht = h["bht"]
    return _u.DentalSubmission(
        h["submitter"],
        h["receiver"],
        tuple(tree_claims(ctx, root, _LEVELS)),
        reference=bht[3],
        created=_date8(bht[4], 4) if bht[4] else None,
        created_time=bht[5] or None,
        purpose=bht[2],
        transaction_type=bht[6],
        implementation=implementation,
        structure=bht[1],
        unmapped=h["unmapped"],
    )


def _header(ctx: _Ctx, root: LoopNode) -> dict[str, Any]:
    """BHT (``bht``, a default when missing), submitter (1000A), receiver (1000B) and what
    the header kept (``unmapped``) of a transaction's tree."""
    f: dict[str, Any] = {}
    header = root.find("HEADER")

    def handle(seg: Seg, f: dict[str, Any]) -> bool:
        if seg[0] == "BHT" and "bht" not in f and len(seg) == 7 and all(seg[1:]):
            _date8(seg[4], 4)
            f["bht"] = seg
            return True
        return False

    if header is not None:
        _run(ctx, [header], handle, f)
    f.setdefault("unmapped", [])
    for index, seg in root.segments:  # nothing but ST/SE in a well-formed file
        if seg[0] not in ("ST", "SE"):
            ctx.index = index
            f["unmapped"].append(ctx.keep(seg))
    bht = f.get("bht", ["BHT", "0019", "00", "0001", "", "", "CH"])
    sf: dict[str, Any] = {}

    def sub_handle(seg: Seg, sf: dict[str, Any]) -> bool:
        if seg[0] == "NM1":
            if "name" in sf or len(seg) != 10 or _g(seg, 6) or _g(seg, 7) or seg[8] != "46":
                return False
            if not seg[3] or not seg[9]:
                return False
            _name(seg, sf)
            sf["id"] = seg[9]
            return True
        if seg[0] == "PER":
            c = _contact(seg)
            return c is not None and _append(sf, "contacts", c)
        return False

    sub_node = root.find("1000A")
    _run(ctx, [sub_node] if sub_node else [], sub_handle, sf)
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
            if seg[2] != "2" or any(seg[i] for i in (4, 5, 6, 7)) or not seg[3] or not seg[9]:
                return False
            rf["name"], rf["id"] = seg[3], seg[9]
            return True
        return False

    rec_node = root.find("1000B")
    _run(ctx, [rec_node] if rec_node else [], rec_handle, rf)
    receiver = _u.Receiver(rf.get("name", ""), rf.get("id", ""), tuple(rf["unmapped"]))
    return {
        "bht": bht,
        "submitter": submitter,
        "receiver": receiver,
        "unmapped": tuple(f["unmapped"]),
    }


def _billing_parties(ctx: _Ctx, node: LoopNode) -> dict[str, Any]:
    """Billing provider (2000A + 2010AA), pay-to address (2010AB), pay-to plan (2010AC)."""
    kids = _children(node)
    name_nodes = kids.get("2010AA", [])
    billing = _provider(ctx, [node, *name_nodes[:1]], "85", tax=True)
    kept = tuple(u for u in billing.unmapped if u.id != "HL")
    billing = _u.evolve(billing, unmapped=kept)
    pay_to: Address | None = None
    extra: list[UnmappedSegment] = []
    pay_nodes = kids.get("2010AB", [])
    if pay_nodes:
        pf: dict[str, Any] = {}

        def handle(seg: Seg, pf: dict[str, Any]) -> bool:
            if seg[0] == "NM1":
                return seg[1:] == ["87", "2"] and _once(pf, "nm1", True)
            return _address_part(seg, pf)

        _run(ctx, pay_nodes[:1], handle, pf)
        pay_to = _address(ctx, pf)
        if pay_to is None or "nm1" not in pf:
            extra.extend(_keep_all(ctx, pay_nodes[:1]))
            pay_to = None
        else:
            extra.extend(pf["unmapped"])
    plan_nodes = kids.get("2010AC", [])
    plan = _payer(ctx, plan_nodes[0]) if plan_nodes else None
    if extra:
        billing = _u.evolve(billing, unmapped=billing.unmapped + tuple(extra))
    return {"billing": billing, "pay_to_address": pay_to, "pay_to_plan": plan}


def _subscriber_parties(
    ctx: _Ctx, node: LoopNode, kids: dict[str, list[LoopNode]], parties: dict[str, Any]
) -> dict[str, Any]:
    """``parties`` with the subscriber (2000B + 2010BA) and payer (2010BB) of a 2000B."""
    names = kids.get("2010BA", [])
    subscriber = _subscriber(ctx, node, names[0] if names else None, "2000C" in kids)
    payers = kids.get("2010BB", [])
    payer = _payer(ctx, payers[0] if payers else None)
    return dict(parties, subscriber=subscriber, payer=payer)


def _subscriber_claims(
    ctx: _Ctx, kids: dict[str, list[LoopNode]], p: dict[str, Any]
) -> Iterator[DentalClaim]:
    """The claims of a 2000B's loops ``kids``: its own 2300s, then each 2000C's."""
    for claim_node in kids.get("2300", ()):
        yield _claim(ctx, claim_node, p)
    for pat_node in kids.get("2000C", ()):
        pkids = _children(pat_node)
        pnames = pkids.get("2010CA", [])
        patient = _patient(ctx, pat_node, pnames[0] if pnames else None)
        pp = dict(p, patient=patient)
        for claim_node in pkids.get("2300", ()):
            yield _claim(ctx, claim_node, pp)


_LEVELS = Levels(_billing_parties, _subscriber_parties, _subscriber_claims)
# Any other transaction (not an 837, or another guide) is reported under one code.
_PICK = Pick(
    "005010X224",
    "NOT_837D_5010",
    "not a 5010 dental 837 (ST03/GS08 is not 005010X224*); skipped",
    not_837=None,
    make_ctx=_Ctx,
    what="837D",
)


# --------------------------------------------------------------------------- public API
def iter_dental_submissions(
    source: Source,
    *,
    strict: bool = False,
    log: IssueLog | None = None,
    encoding: str | None = None,
) -> Iterator[DentalSubmission]:
    """One :class:`DentalSubmission` per 5010 dental 837 transaction set, one at a time."""
    log = log if log is not None else IssueLog(strict=strict)
    return read_transactions(source, GUIDE, _PICK, _submission, log=log, encoding=encoding)


def iter_dental_claims(
    source: Source,
    *,
    strict: bool = False,
    log: IssueLog | None = None,
    encoding: str | None = None,
) -> Iterator[DentalClaim]:
    """Dental claims one at a time (text, bytes or a file object). Each subscriber level
    (2000B) is read as it closes, so memory holds a batch of segments and the open loops,
    not the file (:func:`edi837.engine_read.stream_claims`)."""
    log = log if log is not None else IssueLog(strict=strict)
    return stream_claims(source, GUIDE, _PICK, _LEVELS, _header, log=log, encoding=encoding)


def read_dental(
    source: Source, *, strict: bool = False, encoding: str | None = None
) -> DentalReadResult:
    """Everything: the submissions (transactions) and every issue found."""
    log = IssueLog(strict=strict)
    subs = list(iter_dental_submissions(source, log=log, encoding=encoding))
    return DentalReadResult(subs, list(log.issues))


def loads_dental(
    text: str | bytes, *, strict: bool = False, log: IssueLog | None = None
) -> list[DentalClaim]:
    """The dental claims of an 837D held in memory (``str`` or ``bytes``)."""
    return list(iter_dental_claims(text, strict=strict, log=log))


def load_dental(
    fp: IO[str] | IO[bytes], *, strict: bool = False, log: IssueLog | None = None
) -> list[DentalClaim]:
    """The dental claims of an 837D file object (text or binary)."""
    return list(iter_dental_claims(fp, strict=strict, log=log))
