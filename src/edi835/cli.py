"""The ``edi835`` command line.

    edi835 parse FILE [--format table|json|csv|parquet] [-o DIR] [--strict]
    edi835 denials FILE [--format table|csv] [--carc-csv F] [--rarc-csv F]
    edi835 balance FILE
    edi835 to-json FILE [-o OUT.json]
    edi835 from-json FILE|- -o OUT.835
    edi835 fake (--from CLAIMS.837 | --count N) [--seed S] [--denied SHARE ...] [-o OUT.835]
    edi835 report FILE -o REPORT.html [--carc F] [--rarc F]
    edi835 validate FILE [--format text|json] [--ack 999|ta1 -o ACK] [--pyx12]
    edi835 reconcile --claims A.837 [...] [--remits X.835 ...] [--acks Z.999 W.277 ...]
        [--format table|json|csv] [--as-of YYYY-MM-DD]

``--progress`` / ``--no-progress`` (before the command): a progress bar on standard error
while the file is read (parse, denials, balance, to-json, report); by default shown only when
standard output and standard error are terminals and the read lasts over half a second
(:mod:`x12.progress`).

``parse -o DIR --format csv|parquet`` writes the six remittance tables
(:mod:`edi835.frames`) into DIR; Parquet needs the ``tables`` extra.

Exit codes: 0 done (``balance``: balanced), 1 ``balance`` found an imbalance or
``validate`` found errors, 2 the input
could not be read or written, or held no remittance at all (an empty file, no ST*835):
a located message; never a traceback. Reader issues are
printed to standard error as warnings; patient data is never printed in them.

``fake --from`` reads the 837 with the x12 layer (:func:`edi835.fake.claims_from_837`), not
with ``edi837``: the transaction packages do not import each other.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from typing import IO, TYPE_CHECKING, TextIO

from x12.errors import IssueLog, NothingRead, X12Error
from x12.fileio import emit_text, read_input, streamed_output
from x12.progress import add_progress_options, opened_input, wanted

if TYPE_CHECKING:
    from models.remittance import Remittance
    from models.remittance_records import CodeDescriptions, DenialRecord, PaymentRecord

__all__ = ["main"]

#: ``edi835 fake`` options: the shares of :class:`edi835.fake.AdjudicationMix`.
MIX_KNOBS = (
    "denied",
    "paid_in_full",
    "partial",
    "denied_lines",
    "reversals",
    "crossover",
    "unanswered",
    "cob",
)


def _json_out(args: argparse.Namespace, output: str | None, out: TextIO, err: TextIO) -> int:
    """The remittances as JSON (:func:`edi835.json_io.to_json`'s text), streamed from the
    input to ``output`` (or ``out``) claim by claim: a 200,000-claim 835 in 22 MB, not 5 GB.
    Nothing is written when the input cannot be read."""
    from edi835.json_io import write_json

    log = IssueLog(strict=args.strict, show_values=args.show_values)
    with streamed_output(output, [args.file], out) as dest:
        with opened_input(args.file, show=args.progress, err=err) as fp:
            count = write_json(fp, dest, log=log)
        log.report_read(args.file, count, "remittance", err)
        dest.write("\n")
    return 0


def _money(d: Decimal | None) -> str:
    return "" if d is None else f"{d:,.2f}"


def _read_records(
    args: argparse.Namespace,
    err: TextIO,
    each: Callable[[Iterator[PaymentRecord]], object],
    denials: list[DenialRecord] | None = None,
) -> list[tuple[Remittance, int]]:
    """Read ``args.file`` claim by claim: each transaction's payment records go to ``each``
    as they are made (and its denial records to ``denials``), so memory holds records, not
    remittances. Returns each remittance (without its claims) with its claim count; the
    issues are printed, and a file that gave nothing refused, as after a whole read
    (:func:`edi835.load`)."""
    from edi835.reader import stream_transactions
    from edi835.records import transaction_records

    log = IssueLog(strict=args.strict, show_values=args.show_values)
    read: list[tuple[Remittance, int]] = []
    claims = 0

    def counted(records: Iterator[PaymentRecord]) -> Iterator[PaymentRecord]:
        nonlocal claims
        for rec in records:
            if rec.level == "claim":
                claims += 1
            yield rec

    with opened_input(args.file, show=args.progress, err=err) as fp:
        for st in stream_transactions(fp, log):
            claims = 0
            each(counted(transaction_records(st, denials)))
            read.append((st.remittance(), claims))
    log.report_read(args.file, len(read), "remittance", err)
    return read


def cmd_parse(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from edi835 import frames

    if frames.wants_tables(args):
        return frames.run_args(args, err)
    if args.format == "json":
        return _json_out(args, None, out, err)
    if args.format == "csv":  # the service lines' records, written as they are read
        with streamed_output(None, [args.file], out) as dest:
            _read_records(args, err, _payments_csv(dest))
        return 0
    head = ("claim", "status", "billed", "allowed", "paid", "patient", "contract", "kind")
    rows: list[tuple[str, ...]] = [head]

    def claim_rows(records: Iterator[PaymentRecord]) -> None:
        for rec in records:
            if rec.level == "claim":
                rows.append(
                    (
                        rec.payer_claim_number or "-",
                        rec.claim_status,
                        _money(rec.billed),
                        _money(rec.allowed),
                        _money(rec.paid),
                        _money(rec.patient_responsibility),
                        _money(rec.contractual),
                        rec.kind,
                    )
                )

    denials: list[DenialRecord] = []
    read = _read_records(args, err, claim_rows, denials)
    for i, (r, claims) in enumerate(read):
        print(
            f"Remittance {i + 1}: {r.payer.name} -> {r.payee.name}"
            f" ({r.payee.id_qualifier or ''} {r.payee.id or ''})".rstrip(),
            file=out,
        )
        print(
            f"  payment {_money(r.amount)} by {r.method} trace {r.trace_number}"
            f" on {r.payment_date or '-'}; {claims} claim(s),"
            f" provider adjustments {_money(r.provider_adjustment_total)}",
            file=out,
        )
    print("", file=out)
    _table(rows, out)
    print(f"\n{len(denials)} denial(s)", file=out)
    if denials:
        _denial_table(denials, out)
    return 0


def _table(rows: Sequence[Sequence[str]], out: TextIO) -> None:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for n, row in enumerate(rows):
        cells = [
            c.ljust(w) if i < 2 else c.rjust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ]
        print("  ".join(cells).rstrip(), file=out)
        if n == 0:
            print("  ".join("-" * w for w in widths), file=out)


def _denial_table(denials: Sequence[DenialRecord], out: TextIO) -> None:
    rows: list[tuple[str, ...]] = [
        ("payer claim", "line", "procedure", "billed", "group", "CARC", "amount", "RARCs")
    ]
    for d in denials:
        rows.append(
            (
                d.payer_claim_number or "-",
                str(d.line_number or ""),
                d.procedure_code or "",
                _money(d.billed),
                d.group,
                d.reason,
                _money(d.amount),
                " ".join(d.remarks),
            )
        )
    _table(rows, out)


_CSV_FIELDS = (
    "trace_number",
    "payment_date",
    "payer_name",
    "payee_id",
    "patient_control_number",
    "payer_claim_number",
    "claim_status",
    "kind",
    "line_number",
    "line_item_control_number",
    "procedure_code",
    "modifiers",
    "revenue_code",
    "service_date",
    "billed",
    "allowed",
    "paid",
    "patient_responsibility",
    "deductible",
    "coinsurance",
    "copay",
    "contractual",
    "other_adjustments",
    "adjustments",
    "remarks",
)


def _payments_csv(out: IO[str]) -> Callable[[Iterator[PaymentRecord]], None]:
    """Write the CSV's header row to ``out``; return the writer of records' rows (the
    service lines': ``level == "line"``)."""
    w = csv.writer(out, lineterminator="\n")
    w.writerow(_CSV_FIELDS)

    def rows(records: Iterator[PaymentRecord]) -> None:
        for r in records:
            if r.level != "line":
                continue
            row = []
            for f in _CSV_FIELDS:
                v = getattr(r, f)
                if f == "adjustments":
                    v = " ".join(f"{a.group}-{a.reason}:{a.amount}" for a in v)
                elif f in ("modifiers", "remarks"):
                    v = " ".join(v)
                row.append("" if v is None else str(v))
            w.writerow(row)

    return rows


def _streamed_denials(
    path: str,
    err: TextIO,
    show_values: bool,
    progress: bool,
    descriptions: CodeDescriptions | None,
) -> list[DenialRecord]:
    """The denial records of ``path``, read claim by claim (a denial needs its claim and
    its remittance's header, nothing else): memory holds the records, not the remittances.
    The records and the issues are the whole read's (:func:`edi835.load`, then
    ``denial_records``)."""
    from edi835.reader import stream_transactions
    from edi835.records import transaction_denials

    log = IssueLog(strict=False, show_values=show_values)
    found: list[DenialRecord] = []
    transactions = 0
    with opened_input(path, show=progress, err=err) as fp:
        for st in stream_transactions(fp, log):
            transactions += 1
            found += transaction_denials(st, descriptions)
            st.remittance()  # what the remittance lacks is reported here, as in a whole read
    log.report_read(path, transactions, "remittance", err)
    return found


def cmd_denials(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from models.remittance_records import CodeDescriptions

    desc = None
    if args.carc_csv or args.rarc_csv:
        desc = CodeDescriptions.from_csv(args.carc_csv, args.rarc_csv)
    denials = _streamed_denials(args.file, err, args.show_values, args.progress, desc)
    if args.format == "csv":
        w = csv.writer(out, lineterminator="\n")
        fields = (
            "level",
            "trace_number",
            "patient_control_number",
            "payer_claim_number",
            "claim_status",
            "line_number",
            "line_item_control_number",
            "procedure_code",
            "billed",
            "group",
            "reason",
            "amount",
            "remarks",
            "reason_description",
        )
        w.writerow(fields)
        for d in denials:
            row = []
            for f in fields:
                v = getattr(d, f)
                row.append(" ".join(v) if f == "remarks" else ("" if v is None else str(v)))
            w.writerow(row)
        return 0
    print(f"{len(denials)} denial(s)", file=out)
    if denials:
        _denial_table(denials, out)
        if desc is not None:
            print("", file=out)
            for d in denials:
                if d.reason_description:
                    print(f"  {d.group}-{d.reason}: {d.reason_description}", file=out)
    return 0


def cmd_balance(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from edi835.balance import balance_source

    log = IssueLog()
    with opened_input(args.file, show=args.progress, err=err) as fp:
        report = balance_source(fp, log=log)
    for f in report.findings:
        print(f"  {f}", file=out)
    print(report.summary(), file=out)
    return 0 if report.balanced else 1


def cmd_to_json(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    return _json_out(args, args.output, out, err)


def cmd_from_json(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from edi835.json_io import from_json
    from edi835.writer import dumps

    rems = from_json(read_input(args.file))
    text = dumps(rems, sender_id=args.sender, receiver_id=args.receiver)
    emit_text(text, args.output, [args.file], out)
    return 0


def cmd_fake(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    import attrs

    from edi835.fake import DEFAULT_MIX, adjudicate, claims_from_837, synthetic_claims
    from edi835.writer import dumps

    shares = {k: v for k in MIX_KNOBS if (v := getattr(args, k)) is not None}
    mix = attrs.evolve(DEFAULT_MIX, **shares)
    if args.from_file:
        claims, parties = claims_from_837(read_input(args.from_file))
        if not claims:
            print(f"edi835: {args.from_file}: no 837 claims found", file=err)
            return 2
        rem = adjudicate(claims, seed=args.seed, parties=parties, mix=mix)
    else:
        made = synthetic_claims(args.count, seed=args.seed, secondary=args.secondary)
        rem = adjudicate(made, seed=args.seed, mix=mix)
    import datetime as _dt

    stamp = _dt.datetime.combine(rem.production_date or _dt.date(2024, 1, 1), _dt.time(9, 0))
    text = dumps([rem], timestamp=stamp)
    inputs = [args.from_file] if args.from_file else []
    emit_text(text, args.output, inputs, out)
    if args.output and args.output != "-":
        print(
            f"{args.output}: {len(rem.claims)} claim payment(s), payment {rem.amount}",
            file=err,
        )
    return 0


def cmd_report(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from edi835.report import run_report

    return run_report(
        args.file, args.output, carc=args.carc, rarc=args.rarc, err=err, progress=args.progress
    )


def _named_command(argv: Sequence[str]) -> str | None:
    """The command word of ``argv``: its first word that is not an option (the top-level
    options take no value), or None when a help option comes first."""
    for word in argv:
        if word in ("-h", "--help"):
            return None
        if not word.startswith("-"):
            return word
    return None


def _parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The command line's parser. Only argument definitions here: the commands import their
    modules when they run. ``reconcile``, ``validate`` and ``report`` are defined in modules
    that cost more to import than the rest of a small command's run (the claim models, the
    guide's tables: ``edi835 parse`` of the sample 835 took 0.120 s with them, 0.084 s
    without): when ``argv`` (the command line to parse) names another command, they are
    left without arguments."""
    from edi835 import frames

    named = _named_command(sys.argv[1:] if argv is None else argv)

    def wanted_command(name: str) -> bool:
        if named is None or named == name:
            return True
        sub.add_parser(name)  # its name is known (it is a choice), its arguments are not
        return False

    p = argparse.ArgumentParser(
        prog="edi835", description="Read, balance and fake X12 835 remittances (005010X221A1)."
    )
    p.add_argument(
        "--show-values",
        action="store_true",
        help="show offending element values in messages (they can be patient data)",
    )
    add_progress_options(p)
    sub = p.add_subparsers(dest="command", required=True)
    s = sub.add_parser("parse", help="summarise payments and denials")
    s.add_argument("file")
    s.add_argument("--format", choices=("table", "json", "csv", "parquet"), default="table")
    s.add_argument("--strict", action="store_true", help="fail on the first error")
    frames.add_arguments(s)
    s.set_defaults(func=cmd_parse)
    s = sub.add_parser("denials", help="list denied claims and lines")
    s.add_argument("file")
    s.add_argument("--format", choices=("table", "csv"), default="table")
    s.add_argument("--carc-csv", help="licensed CARC descriptions (code,description)")
    s.add_argument("--rarc-csv", help="licensed RARC descriptions (code,description)")
    s.set_defaults(func=cmd_denials)
    s = sub.add_parser("balance", help="check line, claim and transaction balancing")
    s.add_argument("file")
    s.set_defaults(func=cmd_balance)
    s = sub.add_parser("to-json", help="remittances as JSON")
    s.add_argument("file")
    s.add_argument("-o", "--output")
    s.add_argument("--strict", action="store_true")
    s.set_defaults(func=cmd_to_json)
    s = sub.add_parser("from-json", help="write JSON remittances as an 835")
    s.add_argument("file", help="a JSON file or - for standard input")
    s.add_argument("-o", "--output")
    s.add_argument("--sender", default="PAYER")
    s.add_argument("--receiver", default="PAYEE")
    s.set_defaults(func=cmd_from_json)
    s = sub.add_parser("fake", help="a balanced test remittance")
    s.add_argument("--from", dest="from_file", metavar="CLAIMS.837")
    s.add_argument("--count", type=int, default=20)
    s.add_argument("--seed", type=int, default=0)
    for knob in MIX_KNOBS:
        s.add_argument(
            f"--{knob.replace('_', '-')}",
            dest=knob,
            type=float,
            default=None,
            metavar="SHARE",
            help="share of claims (0-1); see edi835.fake.AdjudicationMix",
        )
    s.add_argument(
        "--secondary",
        type=float,
        default=0.0,
        metavar="SHARE",
        help="with --count: share of claims billed as secondary",
    )
    s.add_argument("-o", "--output")
    s.set_defaults(func=cmd_fake)
    if wanted_command("report"):
        from edi835.report import add_report_arguments

        s = sub.add_parser("report", help="the remittance as a printable HTML page")
        add_report_arguments(s)
        s.set_defaults(func=cmd_report)
    if wanted_command("reconcile"):
        from edi835.reconcile import add_reconcile_parser

        add_reconcile_parser(sub)
    if wanted_command("validate"):
        from edi835.validation import add_validate_parser

        add_validate_parser(sub)
    return p


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Run the command line; returns the exit code."""
    out = out or sys.stdout
    err = sys.stderr
    args = _parser(argv).parse_args(argv)
    args.progress = wanted(args.progress, out, err)
    try:
        code: int = args.func(args, out, err)
        return code
    except BrokenPipeError:
        from x12.fileio import silence_broken_pipe

        return silence_broken_pipe()
    except X12Error as exc:
        print(f"edi835: {exc}", file=err)
    except NothingRead as exc:
        print(f"edi835: {exc}", file=err)
    except (OSError, ValueError, UnicodeError) as exc:
        print(f"edi835: {type(exc).__name__}: {exc}", file=err)
    return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
