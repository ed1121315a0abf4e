"""A remittance as a person reads it: one self-contained HTML page, like a paper EOB.

:func:`render_html` lays out each 835 transaction: payer and payee, the payment (amount,
method, check or EFT trace number, date), then each claim with its service lines, the
adjustments grouped by group code (CO contractual, PR patient responsibility, ...) with their
CARC codes, the remark codes (RARC), the provider-level adjustments (PLB) and the totals,
and finally a charge/paid/adjusted summary per payer. Plain HTML and CSS (print friendly),
no scripts, no external assets; every value from the file is escaped.

CARC/RARC texts belong to X12 and do not ship; pass
:class:`models.remittance_records.CodeDescriptions` loaded from your licensed copy to show
them next to the codes.

``run_report(path, out)`` backs ``edi835 report FILE -o report.html``.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import html
import pathlib
import sys
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import TextIO

from models.common import Adjustment
from models.remittance import ClaimPayment, Party, Remittance, RemittanceParty
from models.remittance_records import CodeDescriptions
from x12.errors import X12Error
from x12.fileio import atomic_write_text

__all__ = ["add_report_arguments", "render_html", "run_report", "write_report"]

_GROUPS = {
    "CO": "Contractual obligation",
    "PR": "Patient responsibility",
    "OA": "Other adjustment",
    "PI": "Payer initiated reduction",
    "CR": "Correction and reversal",
}
_METHODS = {
    "CHK": "Check",
    "ACH": "Electronic funds transfer (ACH)",
    "BOP": "Financial institution option",
    "FWT": "Wire transfer",
    "NON": "Non-payment",
}
_STATUS = {
    "1": "Processed as primary",
    "2": "Processed as secondary",
    "3": "Processed as tertiary",
    "4": "Denied",
    "19": "Primary, forwarded",
    "20": "Secondary, forwarded",
    "21": "Tertiary, forwarded",
    "22": "Reversal of previous payment",
    "23": "Not our claim, forwarded",
    "25": "Predetermination pricing only",
}

_CSS = """
body{font-family:Helvetica,Arial,sans-serif;font-size:13px;color:#111;margin:24px}
h1{font-size:20px;margin:0 0 12px}h2{font-size:16px;margin:24px 0 6px;
border-bottom:2px solid #333}h3{font-size:14px;margin:14px 0 4px}
table{border-collapse:collapse;width:100%;margin:4px 0 8px}
th,td{border:1px solid #bbb;padding:3px 6px;text-align:left;vertical-align:top}
th{background:#eee}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
.parties{display:flex;gap:24px}.parties>div{flex:1;border:1px solid #bbb;padding:6px}
.claim{border:1px solid #888;padding:6px 10px;margin:10px 0;page-break-inside:avoid}
.denied{border-color:#b00}.tag{font-weight:bold}.muted{color:#555}
.totals td{font-weight:bold}
@media print{body{margin:0}.claim{break-inside:avoid}}
"""


def _e(value: object) -> str:
    """Escaped text of a value ('' for None)."""
    if value is None:
        return ""
    if isinstance(value, _dt.date):
        return value.isoformat()
    return html.escape(str(value), quote=True)


def _money(value: Decimal | None) -> str:
    if value is None:
        return ""
    return html.escape(f"{value:,.2f}")


def _name(p: Party | None) -> str:
    if p is None:
        return ""
    parts = [p.name, p.first_name, p.middle_name, p.suffix]
    text = ", ".join(x for x in (parts[0], " ".join(y for y in parts[1:] if y)) if x)
    return _e(text)


def _party_block(title: str, p: RemittanceParty) -> str:
    out = [f"<div><div class='tag'>{_e(title)}</div><div>{_e(p.name)}</div>"]
    if p.id:
        out.append(f"<div class='muted'>{_e(p.id_qualifier)} {_e(p.id)}</div>")
    a = p.address
    if a is not None:
        out.append(f"<div>{_e(a.line1)}{(' ' + _e(a.line2)) if a.line2 else ''}</div>")
        out.append(f"<div>{_e(a.city)}, {_e(a.state)} {_e(a.postal_code)}</div>")
    for r in p.references:
        out.append(f"<div class='muted'>REF {_e(r.qualifier)}: {_e(r.value)}</div>")
    out.append("</div>")
    return "".join(out)


def _carc(code: str, desc: CodeDescriptions | None) -> str:
    text = desc.carc.get(code) if desc else None
    return _e(code) + (f" <span class='muted'>{_e(text)}</span>" if text else "")


def _rarc(code: str, desc: CodeDescriptions | None) -> str:
    text = desc.rarc.get(code) if desc else None
    return _e(code) + (f" <span class='muted'>{_e(text)}</span>" if text else "")


def _adjustments(adjs: Sequence[Adjustment], desc: CodeDescriptions | None) -> str:
    """Adjustments grouped by group code: 'CO (Contractual obligation): 45 12.00; ...'."""
    if not adjs:
        return ""
    groups: dict[str, list[Adjustment]] = {}
    for a in adjs:
        groups.setdefault(str(a.group), []).append(a)
    parts = []
    for g, items in groups.items():
        label = _GROUPS.get(g, "")
        reasons = "; ".join(
            f"CARC {_carc(a.reason, desc)}: {_money(a.amount)}"
            + (f" (qty {_e(a.quantity)})" if a.quantity is not None else "")
            for a in items
        )
        parts.append(
            f"<div><span class='tag'>{_e(g)}</span>"
            f"{' <span class=muted>' + _e(label) + '</span>' if label else ''}: {reasons}</div>"
        )
    return "".join(parts)


def _claim(c: ClaimPayment, desc: CodeDescriptions | None) -> str:
    cls = "claim denied" if c.is_denied else "claim"
    status = _STATUS.get(c.status, "")
    out = [f"<div class='{cls}'>"]
    out.append(
        f"<h3>Claim {_e(c.patient_control_number)}"
        f" <span class='muted'>payer claim {_e(c.payer_claim_number)}</span></h3>"
    )
    out.append(
        "<div>"
        f"Patient: {_name(c.patient)}"
        + (f" &middot; Member id {_e(c.patient.id)}" if c.patient and c.patient.id else "")
        + f" &middot; Status {_e(c.status)} {_e(status)}"
        + (
            f" &middot; Service {_e(c.statement_from)} to {_e(c.statement_to)}"
            if c.statement_from
            else ""
        )
        + (f" &middot; Rendering {_name(c.rendering_provider)}" if c.rendering_provider else "")
        + "</div>"
    )
    out.append(
        "<table><tr><th>Service</th><th>Date</th><th>Code</th><th class=n>Units</th>"
        "<th class=n>Billed</th><th class=n>Allowed</th><th class=n>Paid</th>"
        "<th>Adjustments</th><th>Remarks</th></tr>"
    )
    for j, s in enumerate(c.services, 1):
        p = s.procedure
        code = ":".join((p.code, *p.modifiers))
        remarks = ", ".join(_rarc(r.code, desc) for r in s.remarks)
        out.append(
            f"<tr><td>{j}</td><td>{_e(s.service_date or s.service_from)}</td>"
            f"<td>{_e(p.qualifier)} {_e(code)}</td><td class=n>{_e(s.units)}</td>"
            f"<td class=n>{_money(s.charge)}</td><td class=n>{_money(s.allowed)}</td>"
            f"<td class=n>{_money(s.paid)}</td><td>{_adjustments(s.adjustments, desc)}</td>"
            f"<td>{remarks}</td></tr>"
        )
    out.append(
        f"<tr class=totals><td colspan=4>Claim total</td><td class=n>{_money(c.charge)}</td>"
        f"<td></td><td class=n>{_money(c.paid)}</td><td colspan=2>Patient responsibility "
        f"{_money(c.patient_responsibility)}</td></tr></table>"
    )
    if c.adjustments:
        out.append(f"<div>Claim adjustments: {_adjustments(c.adjustments, desc)}</div>")
    claim_remarks = [
        *(c.outpatient.remarks if c.outpatient else ()),
        *(c.inpatient.remarks if c.inpatient else ()),
    ]
    if claim_remarks:
        out.append(f"<div>Claim remarks: {', '.join(_rarc(r, desc) for r in claim_remarks)}</div>")
    interest = c.amount("I")
    if interest:
        out.append(f"<div>Interest: {_money(interest)}</div>")
    out.append("</div>")
    return "".join(out)


def _remittance(n: int, r: Remittance, desc: CodeDescriptions | None) -> str:
    out = [f"<section><h2>Remittance {n}: {_e(r.payer.name)}</h2>"]
    out.append(
        "<div class='parties'>"
        + _party_block("Payer", r.payer)
        + _party_block("Payee", r.payee)
        + "</div>"
    )
    method = _METHODS.get(r.method, "")
    out.append(
        "<table><tr><th>Payment</th><th>Method</th><th>Check / EFT trace number</th>"
        "<th>Date</th><th>Credit/debit</th></tr>"
        f"<tr><td class=n>{_money(r.amount)}</td><td>{_e(r.method)} {_e(method)}</td>"
        f"<td>{_e(r.trace_number)}</td><td>{_e(r.payment_date)}</td>"
        f"<td>{_e(r.credit_debit)}</td></tr></table>"
    )
    for c in r.claims:
        out.append(_claim(c, desc))
    if r.provider_adjustments:
        out.append(
            "<h3>Provider adjustments (PLB)</h3><table><tr><th>Provider</th>"
            "<th>Fiscal period end</th><th>Reason</th><th>Reference</th>"
            "<th class=n>Amount</th></tr>"
        )
        for p in r.provider_adjustments:
            out.append(
                f"<tr><td>{_e(p.provider_id)}</td><td>{_e(p.fiscal_period_end)}</td>"
                f"<td>{_e(p.reason)}</td><td>{_e(p.reference)}</td>"
                f"<td class=n>{_money(p.amount)}</td></tr>"
            )
        out.append("</table>")
    charge = sum((c.charge for c in r.claims), Decimal(0))
    paid = sum((c.paid for c in r.claims), Decimal(0))
    out.append(
        "<h3>Totals</h3><table><tr><th class=n>Claims</th><th class=n>Billed</th>"
        "<th class=n>Paid on claims</th><th class=n>Provider adjustments</th>"
        "<th class=n>Payment</th></tr>"
        f"<tr class=totals><td class=n>{len(r.claims)}</td><td class=n>{_money(charge)}</td>"
        f"<td class=n>{_money(paid)}</td><td class=n>{_money(r.provider_adjustment_total)}</td>"
        f"<td class=n>{_money(r.amount)}</td></tr></table></section>"
    )
    return "".join(out)


def _summary(rems: Sequence[Remittance]) -> str:
    per: dict[str, list[Decimal]] = {}
    for r in rems:
        row = per.setdefault(r.payer.name, [Decimal(0)] * 5)
        for c in r.claims:
            row[0] += 1
            row[1] += c.charge
            row[2] += c.paid
            row[3] += c.adjustment_total + sum((s.adjustment_total for s in c.services), Decimal(0))
            row[4] += c.patient_responsibility or 0
    out = [
        "<section><h2>Summary by payer</h2><table><tr><th>Payer</th><th class=n>Claims</th>"
        "<th class=n>Charged</th><th class=n>Paid</th><th class=n>Adjusted</th>"
        "<th class=n>Patient responsibility</th></tr>"
    ]
    for name, (n, charge, paid, adjusted, pr) in per.items():
        out.append(
            f"<tr><td>{_e(name)}</td><td class=n>{n}</td><td class=n>{_money(charge)}</td>"
            f"<td class=n>{_money(paid)}</td><td class=n>{_money(adjusted)}</td>"
            f"<td class=n>{_money(pr)}</td></tr>"
        )
    out.append("</table></section>")
    return "".join(out)


def render_html(
    remittances: Iterable[Remittance],
    *,
    title: str = "Remittance advice",
    descriptions: CodeDescriptions | None = None,
) -> str:
    """The remittances as one self-contained HTML document (no scripts, no external assets)."""
    rems = list(remittances)
    body = [_remittance(i, r, descriptions) for i, r in enumerate(rems, 1)]
    return (
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
        f"<title>{_e(title)}</title><style>{_CSS}</style></head><body>"
        f"<h1>{_e(title)}</h1>"
        + "".join(body)
        + (_summary(rems) if rems else "<p>No remittances.</p>")
        + "</body></html>\n"
    )


def write_report(
    remittances: Iterable[Remittance],
    out: str | pathlib.Path,
    *,
    descriptions: CodeDescriptions | None = None,
    inputs: Sequence[str | pathlib.Path] = (),
) -> pathlib.Path:
    """Write :func:`render_html` to ``out`` (UTF-8, atomically; never over one of
    ``inputs``) and return the path."""
    path = pathlib.Path(out)
    atomic_write_text(path, render_html(remittances, descriptions=descriptions), inputs=inputs)
    return path


def add_report_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``edi835 report``: FILE, ``-o OUT`` and optional ``--carc``/``--rarc``
    CSV files (``code,description``) of licensed code texts."""
    parser.add_argument("file", help="the 835 to render")
    parser.add_argument("-o", "--output", required=True, help="the HTML file to write")
    parser.add_argument("--carc", default=None, help="CSV of licensed CARC descriptions")
    parser.add_argument("--rarc", default=None, help="CSV of licensed RARC descriptions")


def run_report(
    path: str,
    out: str,
    *,
    carc: str | None = None,
    rarc: str | None = None,
    err: TextIO | None = None,
    progress: bool = False,
) -> int:
    """``edi835 report FILE -o report.html``: 0 when written, 2 on an unreadable input.

    ``carc``/``rarc`` are optional ``code,description`` CSV files of licensed texts.
    Messages never include patient data.
    """
    import edi835
    from x12.progress import opened_input

    err = err if err is not None else sys.stderr
    try:
        desc = CodeDescriptions.from_csv(carc, rarc) if (carc or rarc) else None
        with opened_input(path, show=progress, err=err) as fp:
            rems = edi835.load(fp)
        write_report(rems, out, descriptions=desc, inputs=[path])
    except OSError as exc:
        print(f"edi835: {exc.filename or path}: {exc.strerror or exc}", file=err)
        return 2
    except X12Error as exc:
        print(f"edi835: {path}: {exc}", file=err)
        return 2
    print(f"wrote {out}", file=err)
    return 0
