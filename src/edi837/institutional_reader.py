"""The 837I reader: any 5010 institutional 837 -> :class:`models.institutional.InstitutionalClaim`.

Built on the shared engine (:mod:`edi837.engine_read`) with the X223A2 table
(:mod:`edi837.guide_x223a2`); ``005010X223``, ``005010X223A1``/``A2``/``A3`` labels are read with
it and kept on the :class:`~models.institutional.InstitutionalSubmission`. A segment is typed
only when the writer would give it back the same; anything else (a CN1, an HCP, a K3, MIA,
MOA, a segment shaped differently, one out of place) is kept, as
:class:`~models.common.UnmappedSegment`, on the object of its loop, so a file read and written
back loses nothing.

Lenient by default: issues go to an :class:`~x12.errors.IssueLog` with a
:class:`~x12.errors.Location`; with ``strict=True`` the first error raises. Only
:class:`~x12.errors.X12Error` escapes.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from typing import IO, Any

import attrs

from edi837.engine_read import (
    Ctx,
    Pick,
    Seg,
    append,
    cas,
    children,
    date8,
    dec,
    dtp_dates,
    filled,
    first,
    g,
    keep_extra,
    o,
    odec,
    once,
    other_subscriber,
    payer,
    procedure,
    provider,
    pwk,
    read_transactions,
    ref,
    run,
    sbr_ok,
    simple_ref,
    stream_guide_claims,
    submission,
)
from edi837.guide_x223a2 import GUIDE
from models import unchecked as _u
from models.claim import Drug, Provider, Reference
from models.common import UnmappedSegment, is_hhmm
from models.institutional import (
    InstitutionalClaim,
    InstitutionalLineAdjudication,
    InstitutionalOtherPayer,
    InstitutionalServiceLine,
    InstitutionalSubmission,
)
from x12.envelope import Source
from x12.errors import Issue, IssueLog, Severity
from x12.loops import LoopNode

__all__ = [
    "InstitutionalReadResult",
    "iter_institutional_claims",
    "iter_institutional_submissions",
    "load_institutional",
    "loads_institutional",
    "read_institutional",
]

_POA = ("", "Y", "N", "U", "W")


@attrs.frozen
class InstitutionalReadResult:
    """What :func:`read_institutional` returns: the submissions and the issues found."""

    submissions: list[InstitutionalSubmission]
    issues: list[Issue]

    @property
    def claims(self) -> list[InstitutionalClaim]:
        return [c for s in self.submissions for c in s.claims]

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity is Severity.ERROR]


# --------------------------------------------------------------------------- HI
#: HI01-1 qualifier -> (kind, icd9)
_HI_KIND: dict[str, tuple[str, bool | None]] = {
    "ABK": ("principal", False),
    "BK": ("principal", True),
    "ABJ": ("admitting", False),
    "BJ": ("admitting", True),
    "APR": ("reason", False),
    "PR": ("reason", True),
    "ABN": ("external", False),
    "BN": ("external", True),
    "DR": ("drg", None),
    "ABF": ("other", False),
    "BF": ("other", True),
    "BBR": ("principal_procedure", False),
    "BR": ("principal_procedure", True),
    "BBQ": ("other_procedure", False),
    "BQ": ("other_procedure", True),
    "BI": ("span", None),
    "BH": ("occurrence", None),
    "BE": ("value", None),
    "BG": ("condition", None),
    "TC": ("treatment", None),
}
_SINGLE = {"principal": 1, "admitting": 1, "reason": 3, "drg": 1, "principal_procedure": 1}
_LIMIT = {"external": 12, "other": 24, "other_procedure": 24, "span": 24, "occurrence": 24}
_LIMIT.update({"value": 24, "condition": 24, "treatment": 24})


def _hi(ctx: Ctx, seg: Seg, f: dict[str, Any]) -> bool:
    """One HI segment, typed when all its composites are one code set in the writer's shape."""
    items = [ctx.comps(v) for v in seg[1:]]
    if not items or len(items) > 12:
        return False
    kind_icd = _HI_KIND.get(items[0][0])
    if kind_icd is None:
        return False
    kind, icd9 = kind_icd
    if any(c[0] != items[0][0] for c in items):
        return False
    if icd9 is not None and f.get("icd9", icd9) != icd9:
        return False
    values: list[Any] = []
    for c in items:
        v = _composite(kind, c)
        if v is None:
            return False
        values.append(v)
    hi = f.setdefault("hi", {})
    have: list[Any] = hi.get(kind, [])
    most = _SINGLE.get(kind)
    if most is not None:
        if have or len(values) > most:
            return False
    else:
        if len(have) % 12 or len(have) + len(values) > _LIMIT[kind]:
            return False  # the previous HI of this kind was not full: not rebuilt the same
    if icd9 is not None:
        f["icd9"] = icd9
    hi[kind] = have + values
    return True


def _composite(kind: str, c: list[str]) -> Any:
    """The value of one HI composite, or None when the writer would not give it back."""
    if len(c) < 2 or not c[1]:
        return None
    code = c[1]
    if kind in ("principal", "external", "other"):
        if len(c) == 2:
            return _u.InstitutionalDiagnosis(code)
        if len(c) == 9 and not any(c[2:8]) and c[8] in _POA[1:]:
            return _u.InstitutionalDiagnosis(code, c[8])
        return None
    if kind in ("admitting", "reason", "drg", "condition", "treatment"):
        return code if len(c) == 2 else None
    if kind in ("principal_procedure", "other_procedure", "occurrence"):
        if len(c) != 4 or c[2] != "D8":
            return None
        day = date8(c[3], 1)
        return _u.ProcedureCode(code, day) if kind != "occurrence" else _u.Occurrence(code, day)
    if kind == "span":
        if len(c) != 4 or c[2] != "RD8":
            return None
        a, sep, b = c[3].partition("-")
        if not sep:
            return None
        start, end = date8(a, 1), date8(b, 1)
        if end < start:
            return None
        return _u.OccurrenceSpan(code, start, end)
    if kind == "value":
        if len(c) != 5 or c[2] or c[3]:
            return None
        try:
            amount = Decimal(c[4])
        except InvalidOperation:
            return None
        if not amount.is_finite() or _amt_text(amount) != c[4]:
            return None
        return _u.ValueCode(code, amount)
    return None


def _amt_text(d: Decimal) -> str:
    text = format(d, "f")
    if text.startswith("-0") and d == 0:
        text = text[1:]
    return text


# --------------------------------------------------------------------------- claim
def _clm(ctx: Ctx, seg: Seg, f: dict[str, Any]) -> bool:
    if len(seg) > 21 or filled(seg, (3, 4, *range(10, 20))):
        return False
    c5 = ctx.comps(g(seg, 5))
    if len(c5) != 3 or c5[1] != "A" or not c5[0]:
        return False
    if g(seg, 6) not in ("", "Y", "N"):
        return False
    f["clm"] = {
        "id": g(seg, 1),
        "charge": dec(seg, 2),
        "facility": c5[0],
        "frequency": c5[2],
        "signature": None if not g(seg, 6) else g(seg, 6) == "Y",
        "assignment": g(seg, 7),
        "benefits": g(seg, 8),
        "release": g(seg, 9),
        "delay": o(seg, 20),
    }
    return True


def _claim_dtp(seg: Seg, f: dict[str, Any]) -> bool:
    if len(seg) != 4:
        return False
    kind, fmt, text = seg[1], seg[2], seg[3]
    if kind == "096":
        return fmt == "TM" and is_hhmm(text) and once(f, "discharge_hour", text)
    if kind == "434":
        if fmt != "RD8":
            return False
        start, end = dtp_dates(seg)
        assert end is not None
        return once(f, "statement", (start, end))
    if kind == "435":
        if fmt == "D8":
            return once(f, "admission", (date8(text, 3), None))
        if fmt == "DT" and len(text) == 12 and is_hhmm(text[8:]):
            return once(f, "admission", (date8(text[:8], 3), text[8:]))
        return False
    if kind == "050":
        return fmt == "D8" and once(f, "repricer", date8(text, 3))
    return False


def _claim(ctx: Ctx, node: LoopNode, parties: dict[str, Any]) -> InstitutionalClaim:
    f: dict[str, Any] = {}

    def handle(seg: Seg, f: dict[str, Any]) -> bool:
        sid = seg[0]
        if sid == "CLM":
            return "clm" not in f and _clm(ctx, seg, f)
        if sid == "DTP":
            return _claim_dtp(seg, f)
        if sid == "CL1":
            if len(seg) != 4 or not seg[3]:
                return False
            return once(f, "cl1", (o(seg, 1), o(seg, 2), seg[3]))
        if sid == "PWK":
            a = pwk(seg)
            return a is not None and append(f, "attachments", a)
        if sid == "AMT" and g(seg, 1) == "F3" and len(seg) == 3:
            return once(f, "estimated", dec(seg, 2))
        if sid == "REF" and simple_ref(seg):
            return append(f, "references", ref(seg))
        if sid == "NTE" and len(seg) == 3 and seg[1] and seg[2]:
            return append(f, "notes", _u.Note(seg[1], seg[2]))
        if sid == "HI":
            return _hi(ctx, seg, f)
        return False

    run(ctx, [node], handle, f)
    kids = children(node)
    unmapped: list[UnmappedSegment] = list(f["unmapped"])
    provs: dict[str, Provider | None] = {}
    for key, code, prv in (
        ("2310A", "71", "AT"),
        ("2310B", "72", None),
        ("2310C", "ZZ", None),
        ("2310D", "82", None),
        ("2310E", "77", None),
        ("2310F", "DN", None),
    ):
        pnode = first(kids, key)
        provs[key] = provider(ctx, [pnode], code, prv=prv or "PE") if pnode else None
        keep_extra(ctx, kids.get(key, [])[1:], unmapped)
    others = tuple(_other_payer(ctx, n) for n in kids.get("2320", ()))
    lines = tuple(_line(ctx, n) for n in kids.get("2400", ()))
    known = {"2310A", "2310B", "2310C", "2310D", "2310E", "2310F", "2320", "2400"}
    keep_extra(ctx, [n for k, ns in kids.items() if k not in known for n in ns], unmapped)
    clm = f.get("clm", {})
    if not clm:
        raw = next((u for u in f["unmapped"] if u.id == "CLM"), None)
        if raw is not None:  # kept as read; the main values still given, leniently
            clm = {"id": raw.elements[0][0][0] if raw.elements else ""}
            with contextlib.suppress(IndexError, InvalidOperation):
                clm["charge"] = Decimal(raw.elements[1][0][0])
    if "id" not in clm:
        ctx.log.report("MISSING_CLM", "claim loop without its CLM", ctx.loc("CLM"))
    hi: dict[str, list[Any]] = f.get("hi", {})
    principal = hi.get("principal")
    if principal is None:
        ctx.log.report("MISSING_PRINCIPAL_DIAGNOSIS", "claim without HI ABK/BK", ctx.loc("HI"))
    statement = f.get("statement")
    if statement is None:
        ctx.log.report("MISSING_STATEMENT_DATES", "claim without DTP*434", ctx.loc("DTP"))
        statement = (None, None)
    cl1 = f.get("cl1")
    if cl1 is None:
        ctx.log.report("MISSING_CL1", "claim without a usable CL1", ctx.loc("CL1"))
        cl1 = (None, None, "")
    admission = f.get("admission", (None, None))
    pp = hi.get("principal_procedure")
    return _u.InstitutionalClaim(
        clm.get("id", ""),
        clm.get("charge", Decimal(0)),
        clm.get("facility", ""),
        parties["billing"],
        parties["subscriber"],
        parties["payer"],
        principal[0] if principal else None,
        statement[0],
        statement[1],
        cl1[2],
        lines,
        parties.get("patient"),
        parties.get("pay_to_address"),
        parties.get("pay_to_plan"),
        clm.get("frequency", ""),
        clm.get("assignment", ""),
        clm.get("benefits", ""),
        clm.get("release", ""),
        clm.get("signature"),
        clm.get("delay"),
        cl1[0],
        cl1[1],
        admission[0],
        admission[1],
        f.get("discharge_hour"),
        f.get("repricer"),
        tuple(f.get("attachments", ())),
        f.get("estimated"),
        tuple(f.get("references", ())),
        tuple(f.get("notes", ())),
        f.get("icd9", False),
        (hi.get("admitting") or [None])[0],
        tuple(hi.get("reason", ())),
        tuple(hi.get("external", ())),
        (hi.get("drg") or [None])[0],
        tuple(hi.get("other", ())),
        pp[0] if pp else None,
        tuple(hi.get("other_procedure", ())),
        tuple(hi.get("span", ())),
        tuple(hi.get("occurrence", ())),
        tuple(hi.get("value", ())),
        tuple(hi.get("condition", ())),
        tuple(hi.get("treatment", ())),
        provs["2310A"],
        provs["2310B"],
        provs["2310C"],
        provs["2310D"],
        provs["2310E"],
        provs["2310F"],
        others,
        tuple(unmapped),
    )


# --------------------------------------------------------------------------- COB
def _other_payer(ctx: Ctx, node: LoopNode) -> InstitutionalOtherPayer:
    f: dict[str, Any] = {}

    def handle(seg: Seg, f: dict[str, Any]) -> bool:
        sid = seg[0]
        if sid == "SBR":
            return "sbr" not in f and sbr_ok(seg) and once(f, "sbr", seg)
        if sid == "CAS":
            adj = cas(seg)
            if adj is None:
                return False
            f.setdefault("cas", []).extend(adj)
            return True
        if sid == "AMT" and len(seg) == 3:
            key = {"D": "paid", "A8": "non_covered", "EAF": "remaining"}.get(g(seg, 1))
            return key is not None and once(f, key, dec(seg, 2))
        if sid == "OI":
            if len(seg) > 7 or filled(seg, (1, 2, 4, 5)):
                return False
            return once(f, "oi", seg)
        return False

    run(ctx, [node], handle, f)
    kids = children(node)
    unmapped: list[UnmappedSegment] = list(f["unmapped"])
    subscriber = other_subscriber(ctx, f.get("sbr", ["SBR"]), first(kids, "2330A"))
    pf: dict[str, Any] = {}

    def payer_extra(seg: Seg, pf: dict[str, Any]) -> bool:
        if seg[0] == "DTP" and g(seg, 1) == "573" and g(seg, 2) == "D8" and len(seg) == 4:
            return once(pf, "date", date8(g(seg, 3), 3))
        if seg[0] == "REF" and g(seg, 1) in ("G1", "9F", "T4", "F8") and simple_ref(seg):
            return append(pf, "refs", ref(seg))
        return False

    pay = payer(ctx, first(kids, "2330B"), payer_extra, pf)
    provs: dict[str, Provider | None] = {}
    for key in ("2330C", "2330D", "2330E", "2330F", "2330G", "2330H", "2330I"):
        pnode = first(kids, key)
        provs[key] = _id_only_provider(ctx, pnode) if pnode else None
        keep_extra(ctx, kids.get(key, [])[1:], unmapped)
    oi = f.get("oi", ["OI"])
    return _u.InstitutionalOtherPayer(
        subscriber,
        pay,
        tuple(f.get("cas", ())),
        f.get("paid"),
        f.get("non_covered"),
        f.get("remaining"),
        g(oi, 3),
        g(oi, 6),
        pf.get("date"),
        tuple(pf.get("refs", ())),
        provs["2330C"],
        provs["2330D"],
        provs["2330E"],
        provs["2330F"],
        provs["2330G"],
        provs["2330H"],
        provs["2330I"],
        tuple(unmapped),
    )


_DEFAULT_ROLE = {
    "2330C": "71",
    "2330D": "72",
    "2330E": "ZZ",
    "2330F": "77",
    "2330G": "82",
    "2330H": "DN",
    "2330I": "85",
}


def _id_only_provider(ctx: Ctx, node: LoopNode) -> Provider:
    """2330C-I: NM101/NM102 and REF secondary ids only."""
    f: dict[str, Any] = {}
    default = _DEFAULT_ROLE.get(node.spec.id, "")

    def handle(seg: Seg, f: dict[str, Any]) -> bool:
        if seg[0] == "NM1":
            if len(seg) != 3 or not seg[2]:
                return False
            return once(f, "nm1", (None if seg[1] == default else seg[1], seg[2]))
        if seg[0] == "REF" and simple_ref(seg):
            return append(f, "ids", ref(seg))
        return False

    run(ctx, [node], handle, f)
    role, entity = f.get("nm1", (None, "1"))
    return _u.Provider(
        None,
        None,
        entity,
        role=role,
        secondary_ids=tuple(f.get("ids", ())),
        unmapped=tuple(f["unmapped"]),
    )


# --------------------------------------------------------------------------- lines
def _sv2(ctx: Ctx, seg: Seg, f: dict[str, Any]) -> bool:
    if "sv2" in f or len(seg) > 8 or not g(seg, 1) or g(seg, 6):
        return False
    proc = None
    if g(seg, 2):
        proc = procedure(ctx, g(seg, 2))
        if proc is None:
            return False
    f["sv2"] = {
        "revenue": seg[1],
        "proc": proc,
        "charge": dec(seg, 3),
        "unit_type": g(seg, 4),
        "units": dec(seg, 5),
        "non_covered": odec(seg, 7),
    }
    return True


def _line(ctx: Ctx, node: LoopNode) -> InstitutionalServiceLine:
    f: dict[str, Any] = {}

    def handle(seg: Seg, f: dict[str, Any]) -> bool:
        sid = seg[0]
        if sid == "LX":
            return len(seg) == 2 and once(f, "lx", seg[1])
        if sid == "SV2":
            return _sv2(ctx, seg, f)
        if sid == "PWK":
            a = pwk(seg)
            return a is not None and append(f, "attachments", a)
        if sid == "DTP":
            if len(seg) != 4 or seg[1] != "472" or "date" in f:
                return False
            f["date"] = dtp_dates(seg)
            return True
        if sid == "REF" and simple_ref(seg):
            if g(seg, 1) == "6R" and len(seg) == 3 and "control" not in f:
                f["control"] = seg[2]
                return True
            return append(f, "references", ref(seg))
        if sid == "AMT" and len(seg) == 3:
            key = {"GT": "service_tax", "N8": "facility_tax"}.get(g(seg, 1))
            return key is not None and once(f, key, dec(seg, 2))
        if sid == "NTE" and len(seg) == 3 and g(seg, 1) == "TPO" and seg[2]:
            return once(f, "tpo", seg[2])
        return False

    run(ctx, [node], handle, f)
    unmapped: list[UnmappedSegment] = list(f["unmapped"])
    kids = children(node)
    sv2 = f.get("sv2")
    if sv2 is None:
        ctx.log.report("MISSING_SV2", "service line without a usable SV2", ctx.loc("SV2"))
        sv2 = {
            "revenue": "",
            "proc": None,
            "charge": Decimal(0),
            "unit_type": "UN",
            "units": Decimal(0),
            "non_covered": None,
        }
    pq, code, mods, desc = sv2["proc"] or ("HC", None, (), None)
    date, end = f.get("date", (None, None))
    drug_node = first(kids, "2410")
    provs: dict[str, Provider | None] = {}
    for key, role in (("2420A", "72"), ("2420B", "ZZ"), ("2420C", "82"), ("2420D", "DN")):
        pnode = first(kids, key)
        provs[key] = provider(ctx, [pnode], role, prv="PE") if pnode else None
        keep_extra(ctx, kids.get(key, [])[1:], unmapped)
    keep_extra(ctx, kids.get("2410", [])[1:], unmapped)
    known = {"2410", "2420A", "2420B", "2420C", "2420D", "2430"}
    keep_extra(ctx, [n for k, ns in kids.items() if k not in known for n in ns], unmapped)
    return _u.InstitutionalServiceLine(
        sv2["revenue"],
        sv2["charge"],
        sv2["units"],
        sv2["unit_type"],
        code,
        pq,
        mods,
        desc,
        sv2["non_covered"],
        date,
        end,
        tuple(f.get("attachments", ())),
        f.get("control"),
        tuple(f.get("references", ())),
        f.get("service_tax"),
        f.get("facility_tax"),
        f.get("tpo"),
        _drug(ctx, drug_node) if drug_node else None,
        provs["2420A"],
        provs["2420B"],
        provs["2420C"],
        provs["2420D"],
        tuple(_adjudication(ctx, n) for n in kids.get("2430", ())),
        tuple(unmapped),
    )


def _drug(ctx: Ctx, node: LoopNode) -> Drug:
    f: dict[str, Any] = {}

    def handle(seg: Seg, f: dict[str, Any]) -> bool:
        if seg[0] == "LIN":
            return len(seg) == 4 and not seg[1] and once(f, "lin", (seg[2], seg[3]))
        if seg[0] == "CTP":
            if len(seg) != 6 or any(seg[i] for i in (1, 2, 3)) or ctx.component in seg[5]:
                return False
            return once(f, "ctp", (dec(seg, 4), seg[5]))
        if seg[0] == "REF" and simple_ref(seg):
            return once(f, "ref", ref(seg))
        return False

    run(ctx, [node], handle, f)
    q, ndc = f.get("lin", ("N4", ""))
    qty, unit = f.get("ctp", (Decimal(0), ""))
    prescription: Reference | None = f.get("ref")
    return _u.Drug(ndc, qty, unit, q, prescription, tuple(f["unmapped"]))


def _adjudication(ctx: Ctx, node: LoopNode) -> InstitutionalLineAdjudication:
    f: dict[str, Any] = {}

    def handle(seg: Seg, f: dict[str, Any]) -> bool:
        sid = seg[0]
        if sid == "SVD":
            if "svd" in f or len(seg) > 7 or not g(seg, 1):
                return False
            proc = None
            if g(seg, 3):
                proc = procedure(ctx, g(seg, 3))
                if proc is None:
                    return False
            f["svd"] = (seg[1], dec(seg, 2), proc, o(seg, 4), dec(seg, 5), o(seg, 6))
            return True
        if sid == "CAS":
            adj = cas(seg)
            if adj is None:
                return False
            f.setdefault("cas", []).extend(adj)
            return True
        if sid == "DTP" and g(seg, 1) == "573" and g(seg, 2) == "D8" and len(seg) == 4:
            return once(f, "date", date8(seg[3], 3))
        if sid == "AMT" and g(seg, 1) == "EAF" and len(seg) == 3:
            return once(f, "eaf", dec(seg, 2))
        return False

    run(ctx, [node], handle, f)
    payer_id, paid, proc, revenue, units, bundled = f.get(
        "svd", ("", Decimal(0), None, None, Decimal(0), None)
    )
    pq, code, mods, desc = proc or ("HC", None, (), None)
    if "date" not in f:
        ctx.log.report("MISSING_PAID_DATE", "line adjudication without DTP*573", ctx.loc("DTP"))
    return _u.InstitutionalLineAdjudication(
        payer_id,
        paid,
        units,
        f.get("date", _dt.date.min),
        code,
        pq,
        mods,
        desc,
        revenue,
        bundled,
        tuple(f.get("cas", ())),
        f.get("eaf"),
        tuple(f["unmapped"]),
    )


# --------------------------------------------------------------------------- transaction
def _submission(ctx: Ctx, root: LoopNode, implementation: str) -> InstitutionalSubmission:
    return submission(ctx, root, implementation, _claim, _u.InstitutionalSubmission)


_PICK = Pick(
    "005010X223",
    "NOT_837I_5010",
    "not a 5010 institutional 837 (ST03/GS08 is not 005010X223*); skipped",
)


def iter_institutional_submissions(
    source: Source,
    *,
    strict: bool = False,
    log: IssueLog | None = None,
    encoding: str | None = None,
) -> Iterator[InstitutionalSubmission]:
    """One :class:`InstitutionalSubmission` per 837I transaction set, read one at a time."""
    log = log if log is not None else IssueLog(strict=strict)
    return read_transactions(source, GUIDE, _PICK, _submission, log=log, encoding=encoding)


def iter_institutional_claims(
    source: Source,
    *,
    strict: bool = False,
    log: IssueLog | None = None,
    encoding: str | None = None,
) -> Iterator[InstitutionalClaim]:
    """Institutional claims one at a time (text, bytes or a file object). Each subscriber
    level (2000B) is read as it closes, so memory holds a batch of segments and the open
    loops, not the file (:func:`edi837.engine_read.stream_claims`)."""
    log = log if log is not None else IssueLog(strict=strict)
    return stream_guide_claims(source, GUIDE, _PICK, _claim, log=log, encoding=encoding)


def read_institutional(
    source: Source, *, strict: bool = False, encoding: str | None = None
) -> InstitutionalReadResult:
    """Everything: the submissions (transactions) and every issue found."""
    log = IssueLog(strict=strict)
    subs = list(iter_institutional_submissions(source, log=log, encoding=encoding))
    return InstitutionalReadResult(subs, list(log.issues))


def loads_institutional(
    text: str | bytes, *, strict: bool = False, log: IssueLog | None = None
) -> list[InstitutionalClaim]:
    """The claims of an 837I held in memory (``str`` or ``bytes``)."""
    return list(iter_institutional_claims(text, strict=strict, log=log))


def load_institutional(
    fp: IO[str] | IO[bytes], *, strict: bool = False, log: IssueLog | None = None
) -> list[InstitutionalClaim]:
    """The claims of an 837I file object (text or binary)."""
    return list(iter_institutional_claims(fp, strict=strict, log=log))
