"""Validate 837 claim files (837P X222A1, 837I X223A2, 837D X224A2 when its table is
present): SNIP types 1-5 with located findings, a 999 from them, and ``edi837 validate``.

``validate(text)`` runs :func:`x12.validate.validate` (envelopes, loops, segments and
elements from the guide tables) and adds the claim's own rules, each finding with a stable
code, its SNIP type and the location of the segment and element at fault:

* SNIP 3, balancing: ``CLAIM_TOTAL_MISMATCH`` (CLM02 = the sum of SV102 / SV203 / SV302),
  ``COB_LINE_UNBALANCED`` (for each prior payer's line adjudication, 2430: SVD02 plus its
  CAS amounts = the line charge), ``COB_CLAIM_UNBALANCED`` (a prior payer's paid amount,
  2320 AMT*D = its lines' SVD02 less its 2320 CAS; CLM02 less them without 2430);
* SNIP 4, situational rules the guides state in prose: ``ACCIDENT_DATE_MISSING`` (DTP*439
  when CLM11 says auto or other accident), ``PATIENT_IS_SUBSCRIBER_CONFLICT`` (a patient loop
  2000C only when the patient is not the subscriber: SBR02 = 18 exactly when there is none),
  ``PAY_TO_SAME_AS_BILLING`` (warning: 2010AB only when the address differs),
  ``ORIGINAL_REFERENCE_MISSING`` (a replacement or void, CLM05-3 = 7 or 8, carries the
  payer's claim number in REF*F8), ``DIAGNOSIS_POINTER_INVALID`` (SV107 points at a HI code
  of the claim);
* SNIP 5, code sets checked offline (:mod:`models.codesets`): ``INVALID_NPI``,
  ``INVALID_EIN``, ``INVALID_ICD10_CM``, ``INVALID_ICD10_PCS``, ``INVALID_PROCEDURE_CODE``,
  ``INVALID_PLACE_OF_SERVICE``, ``INVALID_TAXONOMY``, ``INVALID_STATE``, ``INVALID_ZIP``,
  ``DATE_IN_FUTURE`` (birth and service dates).

Messages name elements, never values: reports can be logged without patient data.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import importlib
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from typing import Any

import attrs

from models import codesets
from x12.errors import Issue, Severity
from x12.guide import Guide
from x12.loops import LoopNode
from x12.validate import (
    Input,
    TransactionCheck,
    UnitChecks,
    ValidationReport,
    add_validate_command,
    run_validate,
)
from x12.validate import validate as _validate

__all__ = ["add_validate_parser", "guide_for", "run_validate", "validate"]

#: Implementation -> module holding its guide table (imported when first needed).
GUIDE_MODULES: dict[str, str] = {
    "005010X222A1": "edi837.guide_x222a1",
    "005010X223A2": "edi837.guide_x223a2",
    "005010X224A2": "edi837.guide_x224a2",
}
_GUIDES: dict[str, Guide | None] = {}


def guide_for(implementation: str) -> Guide | None:
    """The guide table for an 837 implementation (ST03/GS08): exact, or the table of the same
    guide's version we have (``005010X222A2`` files are checked against X222A1's table)."""
    if implementation in _GUIDES:
        return _GUIDES[implementation]
    module = GUIDE_MODULES.get(implementation)
    if module is None:
        module = next(
            (m for impl, m in GUIDE_MODULES.items() if implementation[:10] == impl[:10]), None
        )
    guide: Guide | None = None
    if module is not None:
        try:
            guide = importlib.import_module(module).GUIDE
        except ImportError:  # the 837D table is not installed in this version
            guide = None
    _GUIDES[implementation] = guide
    return guide


# ------------------------------------------------------------------------------ tree helpers
Seg = list[str]


def _segs(node: LoopNode, seg_id: str, qualifier: str | None = None) -> Iterator[tuple[int, Seg]]:
    for index, seg in node.segments:
        if seg[0] == seg_id and (qualifier is None or (len(seg) > 1 and seg[1] == qualifier)):
            yield index, seg


def _first(node: LoopNode, seg_id: str, qualifier: str | None = None) -> tuple[int, Seg] | None:
    return next(_segs(node, seg_id, qualifier), None)


def _el(seg: Seg, i: int) -> str:
    return seg[i] if i < len(seg) else ""


def _dec(value: str) -> Decimal | None:
    try:
        return Decimal(value) if value else None
    except InvalidOperation:
        return None


def _kids(node: LoopNode, loop_id: str) -> list[LoopNode]:
    return [c for c in node.children if c.spec.id == loop_id]


_LINE_CHARGE = {"SV1": 2, "SV2": 3, "SV3": 2}  # SV102, SV203, SV302


def _line_charge(ctx: TransactionCheck, line: LoopNode) -> tuple[int, Seg, int, Decimal] | None:
    for index, seg in line.segments:
        pos = _LINE_CHARGE.get(seg[0])
        if pos is not None:
            amount = _dec(_el(seg, pos))
            return (index, seg, pos, amount) if amount is not None else None
    return None


# ------------------------------------------------------------------------------ SNIP 3
def _balancing(ctx: TransactionCheck, claim: LoopNode) -> None:
    clm = _first(claim, "CLM")
    if clm is None:
        return
    index, seg = clm
    total = _dec(_el(seg, 2))
    lines = _kids(claim, "2400")
    charges = [_line_charge(ctx, ln) for ln in lines]
    if total is not None and lines and all(c is not None for c in charges):
        line_sum = sum((c[3] for c in charges if c is not None), Decimal(0))
        if line_sum != total:
            ctx.report(
                "CLAIM_TOTAL_MISMATCH",
                "CLM02 (total claim charge) is not the sum of the service line charges",
                index,
                seg,
                "2300",
                snip=3,
                element=2,
            )
    _cob_claim(ctx, claim, total, lines)
    for line, charge in zip(lines, charges, strict=True):
        if charge is None:
            continue
        for adj in _kids(line, "2430"):
            svd = _first(adj, "SVD")
            if svd is None:
                continue
            paid = _dec(_el(svd[1], 2))
            if paid is None:
                continue
            adjusted = Decimal(0)
            for _, cas in _segs(adj, "CAS"):
                for k in range(3, len(cas), 3):  # CAS03, CAS06, ... amounts
                    adjusted += _dec(cas[k]) or Decimal(0)
            if paid + adjusted != charge[3]:
                ctx.report(
                    "COB_LINE_UNBALANCED",
                    "the prior payer's line paid amount (SVD02) plus its adjustments (CAS) is"
                    " not the line charge",
                    svd[0],
                    svd[1],
                    "2430",
                    snip=3,
                    element=2,
                )


def _cas_total(node: LoopNode) -> Decimal:
    """The sum of the CAS amounts (CAS03, CAS06, ...) of a loop."""
    total = Decimal(0)
    for _, cas in _segs(node, "CAS"):
        for k in range(3, len(cas), 3):
            total += _dec(cas[k]) or Decimal(0)
    return total


def _cob_claim(
    ctx: TransactionCheck, claim: LoopNode, total: Decimal | None, lines: list[LoopNode]
) -> None:
    """COB at the claim (the guides' coordination of benefits balancing): for each prior
    payer (2320) that reports its paid amount (AMT*D), that amount is the payer's line paid
    amounts (2430 SVD02 whose SVD01 names the payer of its 2330B) less its claim-level
    adjustments (2320 CAS); with no line adjudication, the claim charge (CLM02) less them."""
    others = _kids(claim, "2320")
    for other in others:
        amt = _first(other, "AMT", "D")
        paid = _dec(_el(amt[1], 2)) if amt is not None else None
        if amt is None or paid is None:
            continue
        payer = next(iter(_kids(other, "2330B")), None)
        nm1 = _first(payer, "NM1") if payer is not None else None
        payer_id = _el(nm1[1], 9) if nm1 is not None else ""
        line_paid = Decimal(0)
        adjudicated = False
        for line in lines:
            for adj in _kids(line, "2430"):
                svd = _first(adj, "SVD")
                if svd is None or (payer_id and _el(svd[1], 1) != payer_id):
                    continue
                if not payer_id and len(others) > 1:
                    continue  # which payer's line this is cannot be told
                amount = _dec(_el(svd[1], 2))
                if amount is None:
                    return  # the element check reported it
                line_paid += amount
                adjudicated = True
        claim_adjusted = _cas_total(other)
        if adjudicated:
            expected = line_paid - claim_adjusted
            what = "the line paid amounts (2430 SVD02) less"
        elif _first(other, "CAS") is not None and total is not None:
            expected = total - claim_adjusted
            what = "the claim charge (CLM02) less"
        else:
            continue
        if expected != paid:
            ctx.report(
                "COB_CLAIM_UNBALANCED",
                f"the prior payer's paid amount (2320 AMT*D) is not {what} its claim-level"
                " adjustments (2320 CAS)",
                amt[0],
                amt[1],
                "2320",
                snip=3,
                element=2,
            )


# ------------------------------------------------------------------------------ SNIP 4
def _address(node: LoopNode | None) -> tuple[tuple[str, ...], ...] | None:
    if node is None:
        return None
    n3 = _first(node, "N3")
    n4 = _first(node, "N4")
    if n3 is None or n4 is None:
        return None
    return (tuple(n3[1][1:]), tuple(n4[1][1:4]))


def _situational(ctx: TransactionCheck, claim: LoopNode) -> None:
    clm = _first(claim, "CLM")
    if clm is None:
        return
    index, seg = clm
    causes = ctx.components(_el(seg, 11))[:3]
    if {"AA", "OA"} & set(causes) and _first(claim, "DTP", "439") is None:
        ctx.report(
            "ACCIDENT_DATE_MISSING",
            "an accident-related claim (CLM11 AA or OA) needs the accident date (DTP*439)",
            index,
            seg,
            "2300",
            snip=4,
            element=11,
        )
    parts = ctx.components(_el(seg, 5))
    frequency = parts[2] if len(parts) > 2 else ""
    if frequency in ("7", "8") and _first(claim, "REF", "F8") is None:
        ctx.report(
            "ORIGINAL_REFERENCE_MISSING",
            "a replacement or void (CLM05-3 = 7 or 8) needs the payer claim control number"
            " of the original claim (REF*F8)",
            index,
            seg,
            "2300",
            snip=4,
            element=5,
            component=3,
        )
    codes = 0
    for _, hi in _segs(claim, "HI"):
        if ctx.components(_el(hi, 1))[0] in ("ABK", "BK"):
            codes = sum(1 for v in hi[1:] if v)
            break
    for line in _kids(claim, "2400"):
        sv1 = _first(line, "SV1")
        if sv1 is None or not codes:
            continue
        for p in ctx.components(_el(sv1[1], 7)):
            if p and (not (p.isascii() and p.isdigit()) or not 1 <= int(p) <= codes):
                ctx.report(
                    "DIAGNOSIS_POINTER_INVALID",
                    "a diagnosis pointer (SV107) does not point at a diagnosis of the claim",
                    sv1[0],
                    sv1[1],
                    "2400",
                    snip=4,
                    element=7,
                )
                break


def _hierarchy(ctx: TransactionCheck, nodes: list[LoopNode]) -> None:
    for billing in nodes:
        if billing.spec.id != "2000A":
            continue
        pay_to = next(iter(_kids(billing, "2010AB")), None)
        billing_name = next(iter(_kids(billing, "2010AA")), None)
        if pay_to is not None and _address(pay_to) == _address(billing_name) is not None:
            n1 = pay_to.segments[0]
            ctx.report(
                "PAY_TO_SAME_AS_BILLING",
                "the pay-to address (2010AB) is the billing provider's: leave 2010AB out",
                n1[0],
                n1[1],
                "2010AB",
                snip=4,
                severity=Severity.WARNING,
            )
    for sub in nodes:
        if sub.spec.id != "2000B":
            continue
        patients = _kids(sub, "2000C")
        claims = _kids(sub, "2300")
        seen: _Subscriber | None = sub.state
        if seen is None:  # the level's first (in a whole-tree check, only) visit
            sbr = _first(sub, "SBR")
            seen = sub.state = _Subscriber(
                sbr[0] if sbr is not None else None, _el(sbr[1], 2) if sbr is not None else ""
            )
        if seen.sbr is None:
            continue
        # A streamed check sees a level again when a later HL returns to it (HL02 names it):
        # what it says is decided on everything the level holds by then.
        seen.patients = seen.patients or bool(patients)
        seen.claims = seen.claims or bool(claims)
        _subscriber_verdict(ctx, seen)
        for claim in claims:
            _situational(ctx, claim)
        for pat in patients:
            for claim in _kids(pat, "2300"):
                _situational(ctx, claim)


@attrs.define(slots=True, eq=False)
class _Subscriber:
    """What the hierarchy check knows of a subscriber level (2000B), kept on its node."""

    sbr: int | None  # its SBR's segment index
    relationship: str  # SBR02
    patients: bool = False  # a patient level (2000C) under it
    claims: bool = False  # a claim (2300) right under it
    said: Issue | None = None  # the finding reported on it, if any

    def verdict(self) -> str | None:
        """The PATIENT_IS_SUBSCRIBER_CONFLICT message, if SBR02 contradicts the levels."""
        if self.patients and self.relationship:
            return "SBR02 says the subscriber is the patient, yet a patient loop (2000C) follows"
        if not self.patients and not self.relationship and self.claims:
            return "claims under the subscriber (no 2000C) need SBR02 = 18 (self)"
        return None


def _subscriber_verdict(ctx: TransactionCheck, seen: _Subscriber) -> None:
    """Report the level's SBR02 conflict, replacing what an earlier visit reported."""
    message = seen.verdict()
    if seen.said is not None:
        if seen.said.message == message:
            return
        issues = ctx.log.issues
        for k in range(len(issues) - 1, -1, -1):
            if issues[k] is seen.said:
                del issues[k]
                break
        seen.said = None
    if message is None or seen.sbr is None:
        return
    count = len(ctx.log.issues)
    ctx.report(
        "PATIENT_IS_SUBSCRIBER_CONFLICT", message, seen.sbr, ["SBR"], "2000B", snip=4, element=2
    )
    if len(ctx.log.issues) > count:
        seen.said = ctx.log.issues[-1]


# ------------------------------------------------------------------------------ SNIP 5
_ICD_CM = frozenset({"ABK", "ABF", "ABJ", "ABN", "APR", "ABP", "ABR", "ABT"})
_ICD_PCS = frozenset({"BBR", "BBQ"})


def _date(value: str) -> _dt.date | None:
    if len(value) != 8 or not (value.isascii() and value.isdigit()):
        return None
    try:
        return _dt.date(int(value[:4]), int(value[4:6]), int(value[6:]))
    except ValueError:
        return None


def _code_sets(ctx: TransactionCheck, nodes: list[LoopNode]) -> None:
    professional = ctx.guide.id.startswith("005010X222")
    for node in nodes:
        loop = node.spec.id
        for index, seg in node.segments:
            sid = seg[0]
            if sid == "NM1" and _el(seg, 8) == "XX" and _el(seg, 9):
                if not codesets.is_npi(seg[9]):
                    ctx.report(
                        "INVALID_NPI",
                        "NM109 is not a valid NPI (10 digits, Luhn check digit with 80840)",
                        index,
                        seg,
                        loop,
                        snip=5,
                        element=9,
                    )
            elif sid == "REF" and _el(seg, 1) == "EI" and not codesets.is_ein(_el(seg, 2)):
                ctx.report(
                    "INVALID_EIN", "REF02 is not a 9-digit EIN", index, seg, loop, snip=5, element=2
                )
            elif sid == "PRV" and _el(seg, 3) and not codesets.is_taxonomy(seg[3]):
                ctx.report(
                    "INVALID_TAXONOMY",
                    "PRV03 is not a provider taxonomy code",
                    index,
                    seg,
                    loop,
                    snip=5,
                    element=3,
                )
            elif sid == "N4":
                _n4(ctx, index, seg, loop)
            elif sid == "HI":
                _hi(ctx, index, seg, loop)
            elif sid in ("SV1", "SV2", "SV3"):
                pos = 2 if sid == "SV2" else 1
                parts = ctx.components(_el(seg, pos))
                if len(parts) > 1 and parts[1]:
                    ok = codesets.is_procedure_code(parts[0], parts[1])
                    if ok is False:
                        ctx.report(
                            "INVALID_PROCEDURE_CODE",
                            f"{sid}0{pos}-2 is not a procedure code of the kind its qualifier"
                            f" ({sid}0{pos}-1) names",
                            index,
                            seg,
                            loop,
                            snip=5,
                            element=pos,
                            component=2,
                        )
                if sid == "SV1" and _el(seg, 5) and not codesets.is_place_of_service(seg[5]):
                    ctx.report(
                        "INVALID_PLACE_OF_SERVICE",
                        "SV105 is not a CMS place-of-service code",
                        index,
                        seg,
                        loop,
                        snip=5,
                        element=5,
                    )
            elif sid == "CLM" and professional:
                pos_code = ctx.components(_el(seg, 5))[0]
                if pos_code and not codesets.is_place_of_service(pos_code):
                    ctx.report(
                        "INVALID_PLACE_OF_SERVICE",
                        "CLM05-1 is not a CMS place-of-service code",
                        index,
                        seg,
                        loop,
                        snip=5,
                        element=5,
                        component=1,
                    )
            elif sid == "DMG" and _el(seg, 1) == "D8":
                _not_future(ctx, index, seg, loop, 2, "DMG02 (birth date) is in the future")
            elif sid == "DTP" and _el(seg, 1) == "472" and _el(seg, 2) in ("D8", "RD8"):
                _not_future(ctx, index, seg, loop, 3, "DTP03 (service date) is in the future")


def _not_future(
    ctx: TransactionCheck, index: int, seg: Seg, loop: str, pos: int, message: str
) -> None:
    value = _el(seg, pos)
    day = _date(value[:8])
    if day is not None and day > ctx.today:
        ctx.report("DATE_IN_FUTURE", message, index, seg, loop, snip=5, element=pos)


def _n4(ctx: TransactionCheck, index: int, seg: Seg, loop: str) -> None:
    if _el(seg, 4) not in ("", "US"):
        return
    if _el(seg, 2) and not codesets.is_us_state(seg[2]):
        ctx.report(
            "INVALID_STATE", "N402 is not a US state code", index, seg, loop, snip=5, element=2
        )
    if _el(seg, 3) and not codesets.is_zip(seg[3]):
        ctx.report(
            "INVALID_ZIP",
            "N403 is not a 5- or 9-digit ZIP code",
            index,
            seg,
            loop,
            snip=5,
            element=3,
        )


def _hi(ctx: TransactionCheck, index: int, seg: Seg, loop: str) -> None:
    for pos in range(1, len(seg)):
        parts = ctx.components(seg[pos])
        if len(parts) < 2 or not parts[1]:
            continue
        qualifier, code = parts[0], parts[1]
        if qualifier in _ICD_CM and not codesets.is_icd10_cm(code):
            ctx.report(
                "INVALID_ICD10_CM",
                f"HI{pos:02d}-2 is not an ICD-10-CM code (no dot, 3-7 characters)",
                index,
                seg,
                loop,
                snip=5,
                element=pos,
                component=2,
            )
        elif qualifier in _ICD_PCS and not codesets.is_icd10_pcs(code):
            ctx.report(
                "INVALID_ICD10_PCS",
                f"HI{pos:02d}-2 is not an ICD-10-PCS code (7 characters)",
                index,
                seg,
                loop,
                snip=5,
                element=pos,
                component=2,
            )


def _rules(ctx: TransactionCheck, top: LoopNode) -> None:
    """The 837's SNIP 3-5 checks of the loop ``top`` and those nested in it."""
    nodes = list(top.iter())
    for claim in nodes:
        if claim.spec.id == "2300":
            _balancing(ctx, claim)
    _hierarchy(ctx, nodes)
    _code_sets(ctx, nodes)


def _claim_rules(ctx: TransactionCheck) -> None:
    """:func:`_rules` as a hook on the whole tree (what :data:`UNITS` checks as it reads)."""
    _rules(ctx, ctx.tree)


#: The checks of :func:`validate`, made as the transaction is read: each billing (2000A) and
#: subscriber level (2000B) with what it holds as it closes, then the rest at SE.
UNITS = UnitChecks(frozenset({"2000A", "2000B"}), _rules)


# ------------------------------------------------------------------------------ public API
def validate(
    source: Input, *, pyx12: bool = False, today: _dt.date | None = None
) -> ValidationReport:
    """Validate an 837 (SNIP 1-5): X12 text or bytes, or a file's path (read as checked,
    never held whole: memory holds the loops still open). ``pyx12=True`` adds pyx12's
    findings (slow). Never raises on its input: see :class:`x12.validate.ValidationReport`."""
    return _validate(
        source,
        guides=guide_for,
        units=UNITS,
        transaction_ids=("837",),
        today=today,
        pyx12=pyx12,
    )


def add_validate_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add ``validate FILE [--format text|json] [--ack 999|ta1 -o ACK] [--pyx12]``."""
    return add_validate_command(subparsers, validate, prog="edi837")
