"""The ``x12`` command line: ``info``, ``check`` and ``format`` for any X12 file.

``check`` and ``format`` show a progress bar on standard error while a large file is read when
standard output and standard error are terminals (``--progress`` / ``--no-progress`` force it
on or off; :mod:`x12.progress`).

Exit codes: 0 clean, 1 findings (``check``), 2 the file could not be read at all. No traceback
reaches the user: every failure is printed as a located message. Messages show locations and
codes, never element values (patient data), unless ``--show-values`` is given.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TextIO

from x12.encoding import decode_bytes
from x12.envelope import EnvelopeReader, GroupHeader, InterchangeHeader
from x12.errors import IssueLog, Severity, X12Error
from x12.progress import add_progress_options, opened_input, wanted
from x12.tokenizer import Tokenizer

__all__ = ["main"]


def _reader(args: argparse.Namespace, log: IssueLog) -> EnvelopeReader:
    """A streaming reader over the input (never the whole file in memory)."""
    return EnvelopeReader(args.source, log=log, max_segment_length=args.max_segment_length)


def _print_issues(log: IssueLog, out: TextIO) -> None:
    for issue in log:
        print(f"  {issue}", file=out)


def cmd_info(args: argparse.Namespace, out: TextIO) -> int:
    log = IssueLog(strict=False, show_values=args.show_values)
    reader = _reader(args, log)
    last_isa: InterchangeHeader | None = None
    last_gs: GroupHeader | None = None
    printed_delims = False
    for tx in reader.transactions():
        if not printed_delims:
            d = tx.delimiters
            rep = repr(d.repetition) if d.repetition else "none"
            print(
                f"delimiters: element {d.element!r}, component {d.component!r}, "
                f"repetition {rep}, segment {d.segment!r}",
                file=out,
            )
            printed_delims = True
        if tx.interchange is not last_isa:
            last_isa = tx.interchange
            h = tx.interchange
            if h.index:
                print(
                    f"interchange {h.control_number} (segment {h.index}): version {h.version}, "
                    f"sender {h.sender_qualifier}/{h.sender_id}, "
                    f"receiver {h.receiver_qualifier}/{h.receiver_id}, "
                    f"date {h.date} {h.time}, usage {h.usage}",
                    file=out,
                )
            else:
                print("interchange: none (the text has no ISA envelope)", file=out)
        if tx.group is not last_gs:
            last_gs = tx.group
            g = tx.group
            if g.index:
                print(
                    f"  group {g.control_number} (segment {g.index}): {g.functional_id} "
                    f"version {g.version}",
                    file=out,
                )
        for _ in tx:
            pass
        print(
            f"    transaction {tx.id} {tx.control_number} ({tx.implementation or '-'}): "
            f"{tx.segment_count} segments",
            file=out,
        )
    if not printed_delims:
        print("no transaction sets found", file=out)
    if log.issues:
        print(f"issues ({len(log.issues)}):", file=out)
        _print_issues(log, out)
    return 0


def cmd_check(args: argparse.Namespace, out: TextIO) -> int:
    log = IssueLog(strict=not args.lenient, collect=True, show_values=args.show_values)
    reader = _reader(args, log)
    count = 0
    for tx in reader.transactions():
        count += 1
        for _ in tx:
            pass
    if count == 0:
        log.report("NO_TRANSACTIONS", "the file holds no ST/SE transaction set", reader.location())
    errors = [i for i in log if i.severity is Severity.ERROR]
    _print_issues(log, out)
    if errors:
        print(f"{args.file}: {len(errors)} error(s)", file=out)
        return 1
    print(f"{args.file}: ok ({count} transaction sets)", file=out)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="x12", description="Inspect and check X12 files.")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("info", help="delimiters, envelopes and counts")
    p.add_argument("file")
    p = sub.add_parser("check", help="check syntax and envelopes; exit 1 on errors")
    p.add_argument("file")
    p.add_argument("--lenient", action="store_true", help="accept usual deviations as warnings")
    p = sub.add_parser("format", help="print one segment a line")
    p.add_argument("file")
    for name in ("info", "check", "format"):
        sub.choices[name].add_argument(
            "--max-segment-length",
            type=int,
            default=1_000_000,
            metavar="N",
            help="stop with an error at a segment longer than N characters (default 1000000)",
        )
        sub.choices[name].add_argument(
            "--show-values",
            action="store_true",
            help="show the offending element values in messages (they can be patient data; "
            "by default messages show locations and codes only)",
        )
        add_progress_options(sub.choices[name])
    args = parser.parse_args(argv)
    out = sys.stdout
    try:
        # info prints as it reads: a bar would share the terminal's lines with it.
        choice = False if args.command == "info" and args.progress is None else args.progress
        show = wanted(choice, out, sys.stderr)
        with opened_input(args.file, show=show) as args.source:
            if args.command == "info":
                return cmd_info(args, out)
            if args.command == "check":
                return cmd_check(args, out)
            return cmd_format_segments(args, out)
    except X12Error as exc:
        print(f"{args.file}: error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"{args.file}: cannot read: {exc.strerror or exc}", file=sys.stderr)
        return 2


def cmd_format_segments(args: argparse.Namespace, out: TextIO) -> int:
    """Print each segment on its own line, with the delimiters of its interchange."""
    log = IssueLog(strict=False, show_values=args.show_values)
    tok = Tokenizer(log=log, max_segment_length=args.max_segment_length)
    segs = tok.feed(decode_bytes(args.source.read()))
    segs.extend(tok.close())
    detections = list(tok.detections)
    current = detections[0][1] if detections else None
    for i, seg in enumerate(segs, 1):
        for at, found in detections:
            if at == i:
                current = found
        if current is None:
            break
        text = current.element.join(seg) + current.segment
        print(text, file=out)
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
