"""The ``edi837`` command line.

    edi837 parse FILE [--format table|json] [--strict]
    edi837 to-json FILE [-o OUT.json] [--strict]
    edi837 from-json FILE|- -o OUT.837 [--usage T|P] [--sender ID] [--receiver ID]
    edi837 fake [--type professional|institutional|dental] [--count N] [--seed S]
                [--every-loop] [-o OUT.837]
    edi837 validate FILE [--format text|json] [--ack 999|ta1 -o ACK] [--pyx12]

``to-json`` writes the transactions as a JSON list of submissions (submitter, receiver, BHT
and claims: :class:`models.claim.Submission`), so ``from-json`` gives the same 837 back;
``from-json`` also takes a list of claims (or one claim) and then uses the generated files'
submitter and receiver unless ``--submitter-id``/``--receiver-id`` name others.

``--progress`` / ``--no-progress`` (before the command): a progress bar on standard error
while ``parse`` and ``to-json`` read the file; by default shown only when standard output and
standard error are terminals and the read lasts over half a second (:mod:`x12.progress`).
The file is streamed: its 837 type is sniffed from its first 8 KiB.

Exit codes: 0 done, 1 the claims were refused by the writer (each problem printed with its
field path) or ``validate`` found errors, 2 the input could not be read or written (a
located message; never a
traceback). Output files are written atomically and never over an input. Messages never
print patient data.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import importlib
import sys
from collections.abc import Sequence
from typing import Any, TextIO

from edi837.registry import GUIDES, Entry, entry_for_implementation
from x12.errors import IssueLog, NothingRead, X12Error, X12WriteError
from x12.fileio import emit_text, read_input, streamed_output
from x12.progress import add_progress_options, opened_input, peek, wanted

__all__ = ["main"]


#: ``fake --type`` values: the kinds of :data:`edi837.registry.GUIDES` (professional,
#: institutional, dental).
FAKE_TYPES = ("professional", "institutional", "dental")


def _entry(kind: str) -> Entry:
    return next(e for e in GUIDES.values() if e.kind == kind)


def _kind_of(data: bytes) -> Entry:
    """The 837 type of a file, from the first implementation reference (GS08/ST03) in it."""
    head = data[:8192]
    for entry in GUIDES.values():
        if entry.prefix.encode() in head:
            return entry
    return _entry("professional")


def _submissions(
    path: str, strict: bool, err: TextIO, show_values: bool = False, progress: bool = False
) -> list[Any]:
    log = IssueLog(strict=strict, show_values=show_values)
    with opened_input(path, show=progress, err=err) as fp:
        head, stream = peek(fp, 8192)
        iter_submissions = _kind_of(head).reader()
        subs = list(iter_submissions(stream, strict=strict, log=log))
    log.report_read(path, len(subs), "837 transaction", err)
    return subs


def _json_out(args: argparse.Namespace, output: str | None, out: TextIO, err: TextIO) -> int:
    """The transactions as JSON (``models.json.to_json`` of the submissions: the same text),
    written a transaction at a time and its claims one at a time, to ``output`` (or ``out``);
    memory holds one transaction. Nothing is written when the input cannot be read."""
    from models.json import write_json_array

    log = IssueLog(strict=args.strict, show_values=args.show_values)
    with streamed_output(output, [args.file], out) as dest:
        with opened_input(args.file, show=args.progress, err=err) as fp:
            head, stream = peek(fp, 8192)
            iter_submissions = _kind_of(head).reader()
            subs = iter_submissions(stream, strict=args.strict, log=log)
            count = write_json_array(subs, dest, stream="claims")
        log.report_read(args.file, count, "837 transaction", err)
        dest.write("\n")
    return 0


def cmd_parse(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    if args.format == "json":
        return _json_out(args, None, out, err)
    subs = _submissions(args.file, args.strict, err, args.show_values, args.progress)
    rows: list[tuple[str, ...]] = [
        ("transaction", "claim", "billing NPI", "payer", "charge", "lines", "dx", "freq")
    ]
    total = 0
    for n, sub in enumerate(subs, 1):
        print(
            f"Transaction {n} ({sub.implementation}, BHT03 {sub.reference}):"
            f" {sub.submitter.id} -> {sub.receiver.id}, {len(sub.claims)} claim(s)",
            file=out,
        )
        for c in sub.claims:
            total += 1
            rows.append(
                (
                    str(n),
                    c.id,
                    c.billing_provider.npi or "-",
                    c.payer.id,
                    f"{c.charge:,.2f}",
                    str(len(c.service_lines)),
                    str(_diagnosis_count(c)),
                    str(c.frequency),
                )
            )
    print("", file=out)
    _table(rows, out)
    print(f"\n{total} claim(s)", file=out)
    return 0


def _diagnosis_count(claim: Any) -> int:
    """Diagnoses of any 837 claim: a list (837P/837D) or principal + others (837I)."""
    if hasattr(claim, "diagnoses"):
        return len(claim.diagnoses)
    principal = 1 if getattr(claim, "principal_diagnosis", None) is not None else 0
    return principal + len(getattr(claim, "other_diagnoses", ()))


def _table(rows: Sequence[Sequence[str]], out: TextIO) -> None:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for n, row in enumerate(rows):
        cells = [
            c.ljust(w) if i < 4 else c.rjust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ]
        print("  ".join(cells).rstrip(), file=out)
        if n == 0:
            print("  ".join("-" * w for w in widths), file=out)


def cmd_to_json(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    return _json_out(args, args.output, out, err)


def _json_kind(data: Any, args: argparse.Namespace) -> Entry:
    """``--type``, else the implementation a submission names, else professional."""
    if args.type:
        return _entry(args.type)
    first = data[0] if isinstance(data, list) and data else data
    impl = first.get("implementation", "") if isinstance(first, dict) else ""
    found = entry_for_implementation(impl) if isinstance(impl, str) else None
    return found or _entry("professional")


def _from_plain(data: Any, args: argparse.Namespace, kind: Entry) -> list[Any]:
    """Submissions from JSON data: a list of submissions, one submission, a list of claims or
    one claim (claims get the submitter and receiver named on the command line)."""
    import attrs

    from models.claim import Receiver, Submitter
    from models.json import from_json

    fake = importlib.import_module(kind.fake)
    Submission = kind.load("submission_class")
    Claim = kind.claim_type()

    def is_submission(item: Any) -> bool:
        return isinstance(item, dict) and "submitter" in item and "claims" in item

    import json

    text = json.dumps(data)
    if isinstance(data, list) and data and all(is_submission(d) for d in data):
        subs: list[Any] = from_json(text, list.__class_getitem__(Submission))
        return subs
    if is_submission(data):
        return [from_json(text, Submission)]
    if isinstance(data, list):
        claims: list[Any] = from_json(text, list.__class_getitem__(Claim))
    else:
        claims = [from_json(text, Claim)]
    sm: Submitter = fake.submitter()
    if args.submitter_id or args.submitter_name:
        sm = attrs.evolve(sm, id=args.submitter_id or sm.id, name=args.submitter_name or sm.name)
    rc: Receiver = fake.receiver()
    if args.receiver_id or args.receiver_name:
        rc = Receiver(args.receiver_name or rc.name, args.receiver_id or rc.id)
    return [Submission(sm, rc, tuple(claims))]


def cmd_from_json(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    import json

    try:
        data = json.loads(read_input(args.file))
    except ValueError as exc:
        raise ValueError(f"{args.file}: not JSON ({exc.__class__.__name__})") from None
    kind = _json_kind(data, args)
    subs = _from_plain(data, args, kind)
    text = kind.load("dumps_submissions")(
        subs,
        usage=args.usage,
        timestamp=_timestamp(args.timestamp),
        sender_id=args.sender,
        receiver_id=args.receiver,
    )
    emit_text(text, args.output, [args.file], out)
    if args.output and args.output != "-":
        n = sum(len(s.claims) for s in subs)
        print(f"{args.output}: {n} claim(s) in {len(subs)} transaction(s)", file=err)
    return 0


def _timestamp(value: str | None) -> _dt.datetime | None:
    if value is None:
        return None
    try:
        return _dt.datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"--timestamp: not an ISO date-time: {value!r}") from None


def cmd_fake(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    if args.count < 0:
        raise ValueError("--count: must not be negative")
    from edi837.fake import timestamp_for

    kind = _entry(args.type)
    fake = importlib.import_module(kind.fake)
    options: dict[str, Any] = {"every_loop": args.every_loop}
    if args.providers is not None:
        options["providers"] = args.providers
    shares = {k: v for k in ("secondary", "dependents", "rendering") if (v := getattr(args, k))}
    if shares:
        if kind.kind != "professional":
            raise ValueError("--secondary/--dependents/--rendering: professional claims only")
        import attrs

        options["mix"] = attrs.evolve(fake.DEFAULT_MIX, **shares)
    claims = fake.generate(args.count, args.seed, **options)
    stamp = _timestamp(args.timestamp) or timestamp_for(args.seed)
    submission = kind.load("submission_class")(fake.submitter(), fake.receiver(), tuple(claims))
    text = kind.load("dumps_submissions")([submission], timestamp=stamp, usage=args.usage)
    emit_text(text, args.output, [], out)
    if args.output and args.output != "-":
        print(f"{args.output}: {len(claims)} {args.type} claim(s)", file=err)
    return 0


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="edi837",
        description="Read, write, generate and validate X12 837 claims (837P 005010X222A1,"
        " 837I 005010X223A2, 837D 005010X224A2).",
    )
    p.add_argument(
        "--show-values",
        action="store_true",
        help="show offending element values in messages (they can be patient data)",
    )
    add_progress_options(p)
    sub = p.add_subparsers(dest="command", required=True)

    s = sub.add_parser("parse", help="summarise the claims of an 837")
    s.add_argument("file", help="an 837 file or - for standard input")
    s.add_argument("--format", choices=("table", "json"), default="table")
    s.add_argument("--strict", action="store_true", help="fail on the first error")
    s.set_defaults(func=cmd_parse)

    s = sub.add_parser("to-json", help="the 837's transactions as JSON")
    s.add_argument("file", help="an 837 file or - for standard input")
    s.add_argument("-o", "--output", help="the JSON file to write (default: standard output)")
    s.add_argument("--strict", action="store_true")
    s.set_defaults(func=cmd_to_json)

    s = sub.add_parser("from-json", help="write JSON claims or submissions as an 837")
    s.add_argument("file", help="a JSON file (to-json output, or claims) or - for stdin")
    s.add_argument("-o", "--output", help="the 837 file to write (default: standard output)")
    s.add_argument("--usage", choices=("T", "P"), default="T", help="ISA15 test/production")
    s.add_argument("--timestamp", help="ISA/GS date and time (ISO 8601; default now)")
    s.add_argument("--type", choices=FAKE_TYPES, help="837 type (default: from the JSON)")
    s.add_argument("--sender", help="ISA06/GS02 (default: the submitter's id)")
    s.add_argument("--receiver", help="ISA08/GS03 (default: the receiver's id)")
    s.add_argument("--submitter-id", help="1000A NM109 when the JSON holds only claims")
    s.add_argument("--submitter-name", help="1000A NM103 when the JSON holds only claims")
    s.add_argument("--receiver-id", help="1000B NM109 when the JSON holds only claims")
    s.add_argument("--receiver-name", help="1000B NM103 when the JSON holds only claims")
    s.set_defaults(func=cmd_from_json)

    s = sub.add_parser("fake", help="a synthetic 837 for tests (same seed, same bytes)")
    s.add_argument("--type", choices=FAKE_TYPES, default="professional")
    s.add_argument("--count", type=int, default=20)
    s.add_argument("--seed", type=int, default=0)
    s.add_argument("--providers", type=int, default=None, help="distinct billing providers")
    s.add_argument("--every-loop", action="store_true", help="rotate every optional loop")
    for knob in ("secondary", "dependents", "rendering"):
        s.add_argument(
            f"--{knob}",
            type=float,
            default=None,
            metavar="SHARE",
            help="share of claims (0-1); see edi837.fake.ClaimMix",
        )
    s.add_argument("--usage", choices=("T", "P"), default="T")
    s.add_argument("--timestamp", help="ISA/GS date and time (ISO 8601; default from seed)")
    s.add_argument("-o", "--output", help="the 837 file to write (default: standard output)")
    s.set_defaults(func=cmd_fake)

    from edi837.validation import add_validate_parser

    add_validate_parser(sub)
    return p


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Run the command line; returns the exit code."""
    out = out or sys.stdout
    err = sys.stderr
    args = _parser().parse_args(argv)
    args.progress = wanted(args.progress, out, err)
    try:
        code: int = args.func(args, out, err)
        return code
    except X12WriteError as exc:
        print(f"edi837: the claims were refused ({len(exc.problems)} problem(s)):", file=err)
        for path, message in exc.problems[:50]:
            print(f"  {path}: {message}", file=err)
        if len(exc.problems) > 50:
            print(f"  ... and {len(exc.problems) - 50} more", file=err)
        return 1
    except BrokenPipeError:
        from x12.fileio import silence_broken_pipe

        return silence_broken_pipe()
    except X12Error as exc:
        print(f"edi837: {exc}", file=err)
    except NothingRead as exc:
        print(f"edi837: {exc}", file=err)
    except (OSError, ValueError, UnicodeError) as exc:
        print(f"edi837: {type(exc).__name__}: {exc}", file=err)
    return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
