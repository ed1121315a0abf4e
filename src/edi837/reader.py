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
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from typing import IO, Any

import attrs

from edi837.engine_read import Ctx as _Ctx
from edi837.engine_read import Pick, Seg, read_transactions, stream_guide_claims, submission
from edi837.engine_read import append as _append
from edi837.engine_read import cas as _cas
from edi837.engine_read import crc as _crc
from edi837.engine_read import date8 as _date8
from edi837.engine_read import dec as _dec
from edi837.engine_read import dtp_dates as _dtp
from edi837.engine_read import filled as _filled
from edi837.engine_read import first as _first
from edi837.engine_read import g as _g
from edi837.engine_read import o as _o
from edi837.engine_read import odec as _odec
from edi837.engine_read import once as _once
from edi837.engine_read import payer as _payer
from edi837.engine_read import person as _person
from edi837.engine_read import place as _place
from edi837.engine_read import procedure as _procedure
from edi837.engine_read import provider as _provider
from edi837.engine_read import pwk as _pwk
from edi837.engine_read import ref as _ref
from edi837.engine_read import run as _run
from edi837.engine_read import simple_ref as _simple_ref
from edi837.guide_x222a1 import GUIDE
from models import unchecked as _u
from models.claim import (
    AmbulanceTransport,
    Claim,
    Drug,
    Form,
    LineAdjudication,
    OtherPayer,
    Provider,
    ServiceLine,
    Submission,
)
from models.common import UnmappedSegment
from x12.envelope import EnvelopeReader, Source
from x12.errors import Issue, IssueLog, Severity, X12Error
from x12.loops import LoopNode

__all__ = [
    "ReadResult",
    "iter_claims",
    "iter_submissions",
    "load",
    "load_any",
    "loads",
    "loads_any",
    "read",
]


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


# --------------------------------------------------------------------------- claim parts
def _cr1(seg: Seg) -> AmbulanceTransport | None:
    if len(seg) > 11 or _filled(seg, (3, 7, 8)) or _g(seg, 5) != "DH":
        return None
    if _g(seg, 1) != ("LB" if _g(seg, 2) else ""):
        return None
    return _u.AmbulanceTransport(_g(seg, 4), _dec(seg, 6), _odec(seg, 2), _o(seg, 9), _o(seg, 10))


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
            return _append(f, "dates", _u.EventDate(_g(seg, 1), start, end))
        if sid == "REF" and _simple_ref(seg):
            return _append(f, "references", _ref(seg))
        if sid == "PWK":
            a = _pwk(seg)
            return a is not None and _append(f, "attachments", a)
        if sid == "AMT" and _g(seg, 1) == "F5" and len(seg) == 3:
            return _once(f, "patient_paid", _dec(seg, 2))
        if sid == "NTE" and len(seg) == 3:
            return _once(f, "note", _u.Note(_g(seg, 1), _g(seg, 2)))
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
    return _u.Claim(
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


def _clm(ctx: _Ctx, seg: Seg, f: dict[str, Any]) -> bool:
    if len(seg) > 21 or _filled(seg, (3, 4, 13, 14, 15, 16, 17, 18, 19)):
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
        f["diagnoses"] = [_u.Diagnosis(c[1], icd9) for c in items]
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
            if "sbr" in f or len(seg) > 10 or _filled(seg, (6, 7, 8)):
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
            if "oi" in f or len(seg) > 7 or _filled(seg, (1, 2, 5)):
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
    subscriber = _u.Subscriber(
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
        built["2330E"],
        built["2330F"],
        built["2330G"],
        tuple(unmapped),
    )


def _sv1(ctx: _Ctx, seg: Seg, f: dict[str, Any]) -> bool:
    if "sv1" in f or len(seg) > 16 or _filled(seg, (6, 8, 10, 13, 14)):
        return False
    proc = _procedure(ctx, _g(seg, 1))
    if proc is None:
        return False
    e7 = _g(seg, 7)
    ptrs: list[int] = []
    if e7:  # SV107: up to four diagnosis pointers, 1-12, written plainly
        raw = ctx.comps(e7)
        if len(raw) > 4:
            return False
        for p in raw:
            if not (p.isascii() and p.isdigit()) or p[0] == "0" or not 1 <= int(p) <= 12:
                return False
            ptrs.append(int(p))
    emergency, epsdt, family = _g(seg, 9), _g(seg, 11), _g(seg, 12)
    if (
        emergency not in ("", "Y")
        or epsdt not in ("", "Y")
        or family not in ("", "Y")
        or _g(seg, 15) not in ("", "0")
    ):
        return False
    f["sv1"] = {
        "proc": proc,
        "charge": _dec(seg, 2),
        "unit_type": _g(seg, 3),
        "units": _dec(seg, 4),
        "pos": _o(seg, 5),
        "ptrs": tuple(ptrs),
        "emergency": emergency == "Y",
        "epsdt": epsdt == "Y",
        "family": family == "Y",
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
            return _append(f, "dates", _u.EventDate(_g(seg, 1), start, end))
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
            return _once(f, "cr3", _u.DmeCertification(_g(seg, 1), _dec(seg, 3)))
        if sid == "CRC":
            c = _crc(seg)
            return c is not None and _append(f, "conditions", c)
        if sid == "AMT" and len(seg) == 3:
            key = {"T": "tax", "F4": "postage"}.get(_g(seg, 1))
            return key is not None and _once(f, key, _dec(seg, 2))
        if sid == "NTE" and len(seg) == 3:
            if _g(seg, 1) == "TPO":
                return _once(f, "tpo", seg[2])
            return _once(f, "note", _u.Note(seg[1], seg[2]))
        return False

    _run(ctx, [node], handle, f)
    unmapped: list[UnmappedSegment] = f["unmapped"]
    sv1 = f.get("sv1")
    if sv1 is None:
        ctx.log.report("MISSING_SV1", "service line without a usable SV1", ctx.loc("SV1"))
        sv1 = _NO_SV1
    date, end = f.get("date", (None, None))
    if date is None:
        ctx.log.report("MISSING_SERVICE_DATE", "service line without DTP*472", ctx.loc("DTP"))
    pq, code, mods, desc = sv1["proc"]
    # most lines have no loop below them (2410-2440): nothing to look up then
    parts = _line_loops(ctx, node, unmapped) if node.children else _NO_LINE_LOOPS
    drug, p_a, p_b, p_c, p_d, p_e, referring, pickup, dropoff, adjudications, forms = parts
    return _u.ServiceLine(
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
        tuple(f["dates"]) if "dates" in f else (),
        tuple(f["references"]) if "references" in f else (),
        tuple(f["attachments"]) if "attachments" in f else (),
        f.get("ambulance"),
        f.get("cr3"),
        tuple(f["conditions"]) if "conditions" in f else (),
        f.get("tax"),
        f.get("postage"),
        f.get("note"),
        f.get("tpo"),
        drug,
        p_a,
        p_b,
        p_c,
        p_d,
        p_e,
        referring,
        pickup,
        dropoff,
        adjudications,
        forms,
        tuple(unmapped),
    )


_NO_SV1: dict[str, Any] = {
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
# drug, providers 2420A-E, referring (2420F), pickup, dropoff, adjudications, forms
_NO_LINE_LOOPS: tuple[Any, ...] = (None, None, None, None, None, None, (), None, None, (), ())


def _line_loops(ctx: _Ctx, node: LoopNode, unmapped: list[UnmappedSegment]) -> tuple[Any, ...]:
    """The loops below a service line (2410 drug .. 2440 forms), in ServiceLine's order."""
    kids: dict[str, list[LoopNode]] = {}
    for child in node.children:
        kids.setdefault(child.spec.id, []).append(child)
    for key in ("2410", "2420A", "2420B", "2420C", "2420D", "2420E", "2420G", "2420H"):
        for n in kids.get(key, [])[1:]:
            unmapped.extend(ctx.keep(s) for _, s in n.all_segments())
    one = _first
    drug_node = one(kids, "2410")
    provs: list[Provider | None] = []
    for key, code2 in (
        ("2420A", "82"),
        ("2420B", "QB"),
        ("2420C", "77"),
        ("2420D", "DQ"),
        ("2420E", "DK"),
    ):
        pnode = one(kids, key)
        provs.append(_provider(ctx, [pnode], code2) if pnode else None)
    drug = _drug(ctx, drug_node) if drug_node else None  # read after the providers, as issues go
    return (
        drug,
        *provs,
        tuple(_provider(ctx, [n], "DN") for n in kids.get("2420F", ())),
        _place(ctx, p1) if (p1 := one(kids, "2420G")) else None,
        _place(ctx, p2) if (p2 := one(kids, "2420H")) else None,
        tuple(_adjudication(ctx, n) for n in kids.get("2430", ())),
        tuple(_form(ctx, n) for n in kids.get("2440", ())),
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
    return _u.Drug(ndc, qty, unit, q, f.get("ref"), tuple(f["unmapped"]))


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
    return _u.LineAdjudication(
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
    return _u.Form(form_id, tuple(f.get("frm", ())), q, tuple(f["unmapped"]))


# --------------------------------------------------------------------------- transaction
def _submission(ctx: _Ctx, root: LoopNode, implementation: str) -> Submission:
    return submission(ctx, root, implementation, _claim, _u.Submission)


_PICK = Pick(
    "005010X222",
    "NOT_837P_5010",
    "not a 5010 professional 837 (ST03/GS08 is not 005010X222*); skipped",
)


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
    return read_transactions(source, GUIDE, _PICK, _submission, log=log, encoding=encoding)


def iter_claims(
    source: Source,
    *,
    strict: bool = False,
    log: IssueLog | None = None,
    encoding: str | None = None,
) -> Iterator[Claim]:
    """Claims one at a time from a file (path-less: text, bytes or a file object). Each
    subscriber level (2000B) is read as it closes, so memory holds a batch of segments and
    the open loops, not the file (:func:`edi837.engine_read.stream_claims`)."""
    log = log if log is not None else IssueLog(strict=strict)
    return stream_guide_claims(source, GUIDE, _PICK, _claim, log=log, encoding=encoding)


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


# --------------------------------------------------------------------------- any 837
def _implementations(text: str | bytes) -> list[str]:
    """ST03 (or GS08) of each 837 transaction, in order (a quick envelope pass)."""
    out: list[str] = []
    scan = EnvelopeReader(text, log=IssueLog(max_issues=None))
    for tx in scan.transactions():
        if tx.id == "837":
            out.append(tx.implementation)
        tx.drain()
    return out


def loads_any(text: str | bytes, *, strict: bool = False, log: IssueLog | None = None) -> list[Any]:
    """The claims of any 837 (professional, institutional, dental), each transaction read by
    the reader of its guide (ST03, else GS08; see :mod:`edi837.registry`), in file order:
    :class:`~models.claim.Claim`, :class:`~models.institutional.InstitutionalClaim`,
    :class:`~models.dental.DentalClaim`... A transaction of no known guide is reported
    (``UNSUPPORTED_837``) and skipped.
    """
    from edi837 import registry

    log = log if log is not None else IssueLog(strict=strict)
    try:
        impls = _implementations(text)
    except X12Error:
        impls = []  # the envelope is broken: the professional reader reports it
    entries = [registry.entry_for_implementation(i) for i in impls]
    kinds = list(dict.fromkeys(e for e in entries if e is not None))
    if len(kinds) <= 1 and all(e is not None for e in entries):
        entry = kinds[0] if kinds else registry.GUIDES["005010X222"]
        return [c for sub in entry.reader()(text, log=log) for c in sub.claims]
    # several guides (or unknown ones) in one interchange: each reader reads its own
    # transactions; the others' "not my guide" reports are dropped
    skip = {e.skip_code for e in registry.GUIDES.values()}
    streams: dict[registry.Entry, Iterator[Any]] = {}
    for entry in kinds:
        own = IssueLog(strict=strict, collect=True, max_issues=log.max_issues)
        subs = list(entry.reader()(text, log=own))
        for issue in own.issues:
            if issue.code not in skip:
                _forward(log, issue)
        streams[entry] = iter(subs)
    claims: list[Any] = []
    for e in entries:
        if e is None:
            log.report("UNSUPPORTED_837", "an 837 of no supported guide; skipped", None)
            continue
        sub = next(streams[e], None)
        if sub is not None:
            claims.extend(sub.claims)
    return claims


def _forward(log: IssueLog, issue: Issue) -> None:
    log.report(
        issue.code,
        issue.message,
        issue.location,
        severity=issue.severity,
        kind=issue.kind,
        value=issue.value,
    )


def load_any(
    fp: IO[str] | IO[bytes], *, strict: bool = False, log: IssueLog | None = None
) -> list[Any]:
    """:func:`loads_any` of a file object (text or binary)."""
    return loads_any(fp.read(), strict=strict, log=log)
