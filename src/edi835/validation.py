"""Validate 835 remittance files (005010X221A1): SNIP types 1-5 with located findings,
a 999 from them, and ``edi835 validate``.

``validate(text)`` runs :func:`x12.validate.validate` (envelopes, loops, segments and
elements from the guide table) and adds the remittance's own rules:

* SNIP 3, balancing (:mod:`edi835.balance`, the guide's section 1.10.2): ``LINE_UNBALANCED``
  (SVC02 - SVC03 = the line's CAS), ``CLAIM_UNBALANCED`` (CLP03 - CLP04 = the claim's and its
  lines' CAS), ``TRANSACTION_UNBALANCED`` (BPR02 = sum of CLP04 - PLB);
* SNIP 4: ``DENIED_CLAIM_PAID`` (CLP02 = 4, denied, with a CLP04 payment),
  ``PAYMENT_WITHOUT_METHOD`` (BPR02 above zero with BPR04 = NON);
* SNIP 5, offline code sets: ``INVALID_NPI`` (NM1/N1 ids with qualifier XX),
  ``INVALID_PROCEDURE_CODE`` (SVC01 by its qualifier), ``INVALID_REMARK_CODE`` (LQ02 of a
  RARC, LQ01 = HE), ``INVALID_CARC`` (CAS reason code shape), ``DATE_IN_FUTURE`` (service
  dates, DTM*472/150/151 later than today).

Messages name elements, never values.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import re
from typing import Any

import attrs

from edi835.guide_x221a1 import GUIDE
from models import codesets
from x12.errors import Issue, IssueLog, Location, Severity, X12Error
from x12.guide import Guide
from x12.loops import LoopNode
from x12.validate import (
    Input,
    TransactionCheck,
    UnitChecks,
    ValidationReport,
    add_validate_command,
    opened,
)
from x12.validate import validate as _validate

__all__ = ["add_validate_parser", "validate"]

_CARC = re.compile(r"[A-Z]?[0-9]{1,3}|[A-Z][0-9A-Z]{1,2}")
_RARC = re.compile(r"(M|N|MA)[0-9]{1,3}")
_SERVICE_DATES = frozenset({"472", "150", "151"})


def _guide(implementation: str) -> Guide | None:
    return GUIDE if implementation[:10] == GUIDE.id[:10] else None


def _el(seg: list[str], i: int) -> str:
    return seg[i] if i < len(seg) else ""


def _rules(ctx: TransactionCheck, top: LoopNode) -> None:
    """The 835's SNIP 4-5 checks of each segment of the loop ``top`` and those nested in it
    (balancing, SNIP 3, is :func:`_balancing`'s)."""
    for node in top.iter():
        loop = node.spec.id
        for index, seg in node.segments:
            sid = seg[0]
            if sid == "CLP" and _el(seg, 2) == "4":
                try:
                    paid = float(_el(seg, 4) or 0)
                except ValueError:
                    continue
                if paid:
                    ctx.report(
                        "DENIED_CLAIM_PAID",
                        "a denied claim (CLP02 = 4) pays nothing: CLP04 must be 0",
                        index,
                        seg,
                        loop,
                        snip=4,
                        element=4,
                    )
            elif sid == "BPR" and _el(seg, 4) == "NON":
                try:
                    amount = float(_el(seg, 2) or 0)
                except ValueError:
                    continue
                if amount > 0:
                    ctx.report(
                        "PAYMENT_WITHOUT_METHOD",
                        "a payment above zero (BPR02) needs a payment method other than NON"
                        " (BPR04)",
                        index,
                        seg,
                        loop,
                        snip=4,
                        element=4,
                    )
            elif sid in ("NM1", "N1"):
                pos = 8 if sid == "NM1" else 3
                if _el(seg, pos) == "XX" and not codesets.is_npi(_el(seg, pos + 1)):
                    ctx.report(
                        "INVALID_NPI",
                        f"{sid}{pos + 1:02d} is not a valid NPI (Luhn check digit with 80840)",
                        index,
                        seg,
                        loop,
                        snip=5,
                        element=pos + 1,
                    )
            elif sid == "SVC":
                parts = ctx.components(_el(seg, 1))
                if len(parts) > 1 and codesets.is_procedure_code(parts[0], parts[1]) is False:
                    ctx.report(
                        "INVALID_PROCEDURE_CODE",
                        "SVC01-2 is not a procedure code of the kind SVC01-1 names",
                        index,
                        seg,
                        loop,
                        snip=5,
                        element=1,
                        component=2,
                    )
            elif sid == "LQ" and _el(seg, 1) == "HE" and not _RARC.fullmatch(_el(seg, 2)):
                ctx.report(
                    "INVALID_REMARK_CODE",
                    "LQ02 is not shaped like a remittance advice remark code (RARC)",
                    index,
                    seg,
                    loop,
                    snip=5,
                    element=2,
                )
            elif sid == "CAS":
                for k in range(2, len(seg), 3):  # CAS02, CAS05, ... reason codes
                    if seg[k] and not _CARC.fullmatch(seg[k]):
                        ctx.report(
                            "INVALID_CARC",
                            f"CAS{k:02d} is not shaped like a claim adjustment reason code",
                            index,
                            seg,
                            loop,
                            snip=5,
                            element=k,
                        )
            elif sid == "DTM" and _el(seg, 1) in _SERVICE_DATES:
                value = _el(seg, 2)
                try:
                    day = _dt.date(int(value[:4]), int(value[4:6]), int(value[6:8]))
                except ValueError:
                    continue  # the element check reported it
                if day > ctx.today:
                    ctx.report(
                        "DATE_IN_FUTURE",
                        "DTM02 (a service date) is in the future",
                        index,
                        seg,
                        loop,
                        snip=5,
                        element=2,
                    )


def _whole_tree_rules(ctx: TransactionCheck) -> None:
    """:func:`_rules` as a hook on the whole tree (what :data:`UNITS` checks as it reads)."""
    _rules(ctx, ctx.tree)


#: The checks of :func:`validate`, made as the transaction is read: each claim (2100, with
#: its service lines) and each LX group (2000) as it closes, then the rest at SE.
UNITS = UnitChecks(frozenset({"2000", "2100"}), _rules)


#: The paid amount each balancing rule ends in, where its finding points: SVC03 (line),
#: CLP04 (claim), BPR02 (transaction).
_PAID_ELEMENT = {"SVC": 3, "CLP": 4, "BPR": 2}

_BALANCE_CODES = {
    "line": "LINE_UNBALANCED",
    "claim": "CLAIM_UNBALANCED",
    "transaction": "TRANSACTION_UNBALANCED",
}


def _balancing(source: Input) -> list[Issue]:
    from edi835.balance import balance_source

    try:
        with opened(source) as data:
            report = balance_source(data, log=IssueLog())
    except X12Error:
        return []  # unreadable: the engine reports it
    out = []
    for f in report.findings:
        loc = f.location or Location()
        paid = _PAID_ELEMENT.get(loc.segment_id or "")
        if paid is not None and loc.element is None:  # the 999's IK4 names the element
            loc = attrs.evolve(loc, element=paid)
        out.append(
            Issue(
                Severity.ERROR,
                _BALANCE_CODES.get(f.level, "UNBALANCED"),
                f.message,
                loc,
                "snip3",
            )
        )
    return out


def validate(
    source: Input, *, pyx12: bool = False, today: _dt.date | None = None
) -> ValidationReport:
    """Validate an 835 (SNIP 1-5): X12 text or bytes, or a file's path (read as checked,
    never held whole). ``pyx12=True`` adds pyx12's findings (slow). Never raises on its
    input: see :class:`x12.validate.ValidationReport`."""
    report = _validate(
        source,
        guides=_guide,
        units=UNITS,
        transaction_ids=("835",),
        today=today,
        pyx12=pyx12,
    )
    if not report.readable:
        return report
    extra = _balancing(source)
    if not extra:
        return report
    return report.with_findings(extra)


def add_validate_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add ``validate FILE [--format text|json] [--ack 999|ta1 -o ACK] [--pyx12]``."""
    return add_validate_command(subparsers, validate, prog="edi835")
