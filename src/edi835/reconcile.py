"""Reconcile files: submitted 837P claims against 835 remittances, 999 and 277CA
acknowledgments (the file-level API and the ``edi835 reconcile`` command).

:func:`reconcile_files` reads the files and hands the models to
:func:`models.reconcile.reconcile`; :func:`write_report` prints the result as a table, JSON or
CSV. :func:`add_reconcile_parser` and :func:`run_reconcile` plug the command into the
``edi835`` command line::

    edi835 reconcile --claims A.837 [B.837 ...] --remits X.835 [Y.835 ...]
                     [--acks Z.999 W.277 ...] [--as-of YYYY-MM-DD] [--format table|json|csv]

Layering: ``edi835`` never imports ``edi837`` at module level. Reconciling needs both
transactions, so this command line is the application layer wiring the two packages: the 837
reader (and the 277CA reader, which lives with the 837) are imported inside the function
with :func:`importlib.import_module`.
"""

from __future__ import annotations

import argparse
import csv
import datetime as _dt
import importlib
import io
import os
import sys
from collections.abc import Iterable, Sequence
from typing import Any, TextIO

import attrs

from models.acknowledgment import ClaimAcknowledgment
from models.reconcile import (
    Amounts,
    ReconciliationReport,
    SubmittedClaim,
    TransactionAcceptance,
    reconcile,
)
from models.remittance import Remittance
from x12.envelope import EnvelopeReader
from x12.errors import X12Error
from x12.gcpause import collector_paused

__all__ = [
    "add_reconcile_parser",
    "read_acknowledgments",
    "reconcile_files",
    "run_reconcile",
    "write_report",
]

_PathLike = str | os.PathLike[str]


def _read_bytes(path: _PathLike) -> bytes:
    with open(path, "rb") as fp:
        return fp.read()


def _transaction_claims(data: bytes) -> dict[tuple[str, str], tuple[str, ...]]:
    """(GS06, ST02) -> the CLM01s of each 837 transaction set (x12 layer only)."""
    out: dict[tuple[str, str], tuple[str, ...]] = {}
    reader = EnvelopeReader(data)
    for tx in reader.transactions():
        ids = tuple(seg[1] for seg in tx if seg[0] == "CLM" and len(seg) > 1)
        out[(tx.group.control_number, tx.control_number)] = ids
    return out


def _kind(data: bytes) -> str:
    """The transaction set id (ST01) of the first transaction in ``data``."""
    text = data.lstrip()[:4096].decode("latin-1")
    if len(text) < 4 or not text.startswith("ISA"):
        return ""
    sep = text[3]
    at = text.find(f"ST{sep}")
    while at > 0 and text[at - 1].isalnum():
        at = text.find(f"ST{sep}", at + 1)
    if at < 0:
        return ""
    return text[at + 3 : at + 6]


def read_acknowledgments(
    paths: Iterable[_PathLike],
    transactions: dict[tuple[str, str], tuple[str, ...]],
) -> tuple[list[TransactionAcceptance], list[ClaimAcknowledgment]]:
    """999 verdicts (linked to claims through ``transactions``: (GS06, ST02) -> CLM01s) and
    277CA claim acknowledgments from files of either kind (told apart by ST01)."""
    from x12.ack import AckStatus, read_999

    by_st: dict[str, tuple[str, ...]] = {}
    for (_, st), ids in transactions.items():
        by_st[st] = by_st.get(st, ()) + ids
    acceptances: list[TransactionAcceptance] = []
    claim_acks: list[ClaimAcknowledgment] = []
    for path in paths:
        data = _read_bytes(path)
        kind = _kind(data)
        if kind == "999":
            for ack in read_999(data):
                for t in ack.transactions:
                    found = transactions.get((ack.group_control_number, t.control_number))
                    ids = found if found is not None else by_st.get(t.control_number, ())
                    acceptances.append(
                        TransactionAcceptance(
                            t.control_number,
                            t.status in (AckStatus.ACCEPTED, AckStatus.ACCEPTED_WITH_ERRORS),
                            ids,
                            ack.group_control_number,
                            str(t.status),
                        )
                    )
        elif kind == "277":
            status_277ca = importlib.import_module("edi837.status_277ca")
            for report in status_277ca.loads(data):
                claim_acks.extend(report.claims)
        else:
            raise ValueError(f"{os.fspath(path)}: neither a 999 nor a 277CA")
    return acceptances, claim_acks


def reconcile_files(
    claims: Sequence[_PathLike],
    remits: Sequence[_PathLike] = (),
    acks: Sequence[_PathLike] = (),
    *,
    as_of: _dt.date | None = None,
) -> ReconciliationReport:
    """Reconcile 837P claim files against 835 remittance files and 999 / 277CA files.

    Each 837 transaction set is a batch named ``file:BHT03``; its BHT04 is the submission
    date that ``as_of`` ages unanswered claims from. Only :class:`~x12.errors.X12Error`,
    :class:`OSError` and :class:`ValueError` escape.
    """
    # Reading builds millions of small acyclic objects: pausing the cyclic GC keeps it
    # from rescanning them on every few hundred allocations (cycles are collected after).
    with collector_paused():
        return _reconcile_files(claims, remits, acks, as_of)


def _reconcile_files(
    claims: Sequence[_PathLike],
    remits: Sequence[_PathLike],
    acks: Sequence[_PathLike],
    as_of: _dt.date | None,
) -> ReconciliationReport:
    # The application layer wires both transaction packages (see the module docstring).
    edi837 = importlib.import_module("edi837")
    import edi835

    submitted: list[SubmittedClaim] = []
    transactions: dict[tuple[str, str], tuple[str, ...]] = {}
    for path in claims:
        data = _read_bytes(path)
        name = os.path.basename(os.fspath(path))
        for sub in edi837.read(data).submissions:
            batch = f"{name}:{sub.reference}"
            submitted.extend(SubmittedClaim(c, batch, sub.created) for c in sub.claims)
        if acks:
            transactions.update(_transaction_claims(data))
    remittances: list[Remittance] = []
    for path in remits:
        remittances.extend(edi835.loads(_read_bytes(path)))
    acceptances, claim_acks = read_acknowledgments(acks, transactions)
    return reconcile(
        submitted,
        remittances,
        acceptances=acceptances,
        claim_acks=claim_acks,
        as_of=as_of,
    )


# ------------------------------------------------------------------------------ output
_AMOUNT_FIELDS = tuple(f.name for f in attrs.fields(Amounts))


def _money(values: Amounts) -> list[str]:
    return [str(getattr(values, f)) for f in _AMOUNT_FIELDS]


def _csv(report: ReconciliationReport, out: TextIO) -> None:
    w = csv.writer(out, lineterminator="\n")
    w.writerow(
        [
            "level",
            "claim_id",
            "line",
            "procedure",
            "service_date",
            "payer",
            "batch",
            "status",
            "outcome",
            "acknowledgment",
            "age_days",
            "matched_by",
            "reasons",
            *_AMOUNT_FIELDS,
        ]
    )
    for c in report.claims:
        w.writerow(
            [
                "claim",
                c.claim_id,
                "",
                "",
                "",
                c.payer,
                c.batch,
                c.status,
                c.outcome or "",
                c.acknowledgment or "",
                "" if c.age_days is None else c.age_days,
                "",
                " ".join(c.reasons),
                *_money(c.amounts),
            ]
        )
        for ln in c.lines:
            w.writerow(
                [
                    "line",
                    c.claim_id,
                    ln.index + 1,
                    ln.procedure,
                    ln.service_date.isoformat(),
                    c.payer,
                    c.batch,
                    ln.status,
                    "",
                    "",
                    "",
                    ln.matched_by,
                    " ".join(ln.reasons),
                    *_money(ln.amounts),
                ]
            )
    for u in report.unmatched:
        row: list[Any] = ["unmatched", u.patient_control_number, "", "", "", u.payer, ""]
        row += [f"CLP02={u.status}", "", "", "", "", ""]
        row += [str(u.charge), "", str(u.paid)] + [""] * (len(_AMOUNT_FIELDS) - 3)
        w.writerow(row)


def _table(report: ReconciliationReport, out: TextIO) -> None:
    head = ("claim", "payer", "status", "billed", "allowed", "paid", "contract", "patient", "open")
    fmt = "{:<20} {:<12} {:<10} {:>11} {:>11} {:>11} {:>11} {:>11} {:>11}"
    print(fmt.format(*head), file=out)
    for c in report.claims:
        a = c.amounts
        status = str(c.status)
        if c.age_days is not None:
            status += f" {c.age_days}d"
        print(
            fmt.format(
                c.claim_id[:20],
                c.payer[:12],
                status[:10],
                a.billed,
                a.allowed,
                a.paid,
                a.contractual,
                a.patient_responsibility,
                a.open,
            ),
            file=out,
        )
    for title, rows in (("payer", report.by_payer), ("batch", report.by_batch)):
        print(f"\nby {title}:", file=out)
        for s in rows:
            counts = ", ".join(f"{k} {n}" for k, n in s.counts)
            a = s.amounts
            print(
                f"  {s.key}: {s.claims} claims ({counts}); billed {a.billed}, paid {a.paid}, "
                f"contractual {a.contractual}, patient {a.patient_responsibility}, "
                f"open {a.open}",
                file=out,
            )
    print(f"\nunmatched remittance claims: {len(report.unmatched)}", file=out)
    for u in report.unmatched:
        print(
            f"  {u.patient_control_number} CLP02={u.status} charge {u.charge} paid {u.paid} "
            f"({u.payer}, trace {u.trace_number})",
            file=out,
        )


def write_report(report: ReconciliationReport, out: TextIO, fmt: str = "table") -> None:
    """Print ``report`` as ``table``, ``json`` (the models' JSON) or ``csv`` (a row per
    claim, per line and per unmatched remittance claim)."""
    if fmt == "json":
        from models.json import to_json

        out.write(to_json(report))
        out.write("\n")
    elif fmt == "csv":
        _csv(report, out)
    elif fmt == "table":
        _table(report, out)
    else:
        raise ValueError(f"unknown format {fmt!r}")


# ------------------------------------------------------------------------ command line
def _date(value: str) -> _dt.date:
    try:
        return _dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}") from None


def add_reconcile_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add the ``reconcile`` command to an ``argparse`` subparsers object."""
    s: argparse.ArgumentParser = subparsers.add_parser(
        "reconcile", help="match remittances and acknowledgments to submitted claims"
    )
    s.add_argument("--claims", nargs="+", required=True, metavar="FILE.837")
    s.add_argument("--remits", nargs="*", default=[], metavar="FILE.835")
    s.add_argument("--acks", nargs="*", default=[], metavar="FILE.999|FILE.277")
    s.add_argument("--as-of", type=_date, default=None, metavar="YYYY-MM-DD")
    s.add_argument("--format", choices=("table", "json", "csv"), default="table")
    s.set_defaults(func=run_reconcile)
    return s


def run_reconcile(
    args: argparse.Namespace, out: TextIO | None = None, err: TextIO | None = None
) -> int:
    """Run ``edi835 reconcile``: 0 on success, 2 on an input that cannot be read (the
    message goes to ``err``; no traceback)."""
    out = out or sys.stdout
    err = err or sys.stderr
    try:
        report = reconcile_files(args.claims, args.remits, args.acks, as_of=args.as_of)
    except X12Error as exc:
        print(f"edi835 reconcile: {exc}", file=err)
        return 2
    except (OSError, ValueError, UnicodeError) as exc:
        print(f"edi835 reconcile: {type(exc).__name__}: {exc}", file=err)
        return 2
    buf = io.StringIO()
    write_report(report, buf, args.format)
    out.write(buf.getvalue())
    return 0


def _main(argv: Sequence[str] | None = None) -> int:  # pragma: no cover
    p = argparse.ArgumentParser(prog="edi835")
    add_reconcile_parser(p.add_subparsers(dest="command", required=True))
    args = p.parse_args(argv)
    return run_reconcile(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(_main())
