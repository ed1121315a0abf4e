"""835 data as tables: pandas DataFrames, Arrow tables, CSV and Parquet files.

Six tables with fixed columns (:data:`SCHEMAS` lists each column and its kind):

``payments``
    one row per remittance (835 transaction): BPR/TRN, payer, payee, totals.
``claims``
    one row per claim payment (CLP), with patient and dates.
``service_lines``
    one row per service line (SVC).
``adjustments``
    one row per CAS triplet, claim level (``line_index`` empty) or line level.
``remarks``
    one row per remark code: LQ of a line, MOA/MIA remarks of a claim.
``provider_adjustments``
    one row per PLB reason/amount pair.

Every row is keyed by ``file``, ``interchange_control_number`` (ISA13),
``transaction_control_number`` (ST02) and ``transaction_index`` (0-based position of the 835
in what was read); claim-level rows add ``claim_index`` (0-based within the transaction) and
``patient_control_number`` (CLP01); line-level rows add ``line_index``. The control numbers
are known when the tables are built from a file (:func:`read_tables`); from models alone
pass them in ``controls`` or they are left empty.

Column kinds: ``string``, ``int`` (pandas ``Int64``, nullable), ``decimal`` (exact:
:class:`decimal.Decimal` objects in pandas, ``decimal128(38, 10)`` in Arrow),
``date`` (:class:`datetime.date` in pandas, ``date32`` in Arrow). Amounts are never floats,
so the tables sum to the same totals as the models.

CSV needs nothing beyond the standard library; DataFrames need pandas and Arrow/Parquet
need pyarrow: ``pip install "x12-claims[tables]"``. They are imported on first use.
"""

from __future__ import annotations

import argparse
import pathlib
import sys
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from typing import IO, TYPE_CHECKING, Any, TextIO

from models.common import Adjustment
from models.remittance import ClaimPayment, Remittance, ServicePayment
from x12.errors import IssueLog, X12Error
from x12.gcpause import built_paused, collector_paused
from x12.optional import require
from x12.table_files import FORMATS, TableFiles, arrow_table

if TYPE_CHECKING:
    from edi835.reader import StreamedTransaction

__all__ = [
    "SCHEMAS",
    "TABLES",
    "Controls",
    "add_arguments",
    "arrow_schema",
    "iter_rows",
    "read_tables",
    "rows",
    "run",
    "run_args",
    "to_arrow",
    "to_frames",
    "wants_tables",
    "write_tables",
]

INSTALL_HINT = 'pip install "x12-claims[tables]"'

#: (interchange control number ISA13, transaction set control number ST02) per remittance.
Controls = tuple[str | None, str | None]

_KEYS = (
    ("file", "string"),
    ("interchange_control_number", "string"),
    ("transaction_control_number", "string"),
    ("transaction_index", "int"),
)
_CLAIM_KEYS = (*_KEYS, ("claim_index", "int"), ("patient_control_number", "string"))

#: Column names and kinds of each table, in column order.
SCHEMAS: dict[str, tuple[tuple[str, str], ...]] = {
    "payments": (
        *_KEYS,
        ("handling", "string"),  # BPR01
        ("amount", "decimal"),  # BPR02
        ("credit_debit", "string"),  # BPR03
        ("method", "string"),  # BPR04
        ("payment_format", "string"),  # BPR05
        ("payment_date", "date"),  # BPR16
        ("trace_number", "string"),  # TRN02
        ("trace_originator", "string"),  # TRN03
        ("production_date", "date"),  # DTM*405
        ("payer_name", "string"),  # 1000A N102
        ("payer_id", "string"),  # 1000A N104 / REF*2U
        ("payee_name", "string"),  # 1000B N102
        ("payee_id_qualifier", "string"),  # 1000B N103
        ("payee_id", "string"),  # 1000B N104
        ("claim_count", "int"),
        ("total_charge", "decimal"),  # sum of CLP03
        ("total_paid", "decimal"),  # sum of CLP04
        ("provider_adjustment_total", "decimal"),  # sum of PLB amounts
    ),
    "claims": (
        *_CLAIM_KEYS,
        ("group_number", "string"),  # LX01
        ("status", "string"),  # CLP02
        ("charge", "decimal"),  # CLP03
        ("paid", "decimal"),  # CLP04
        ("patient_responsibility", "decimal"),  # CLP05
        ("filing_indicator", "string"),  # CLP06
        ("payer_claim_number", "string"),  # CLP07
        ("facility_type", "string"),  # CLP08
        ("frequency", "string"),  # CLP09
        ("drg_code", "string"),  # CLP11
        ("patient_last_name", "string"),  # NM1*QC NM103
        ("patient_first_name", "string"),  # NM1*QC NM104
        ("patient_id", "string"),  # NM1*QC NM109
        ("rendering_provider_id", "string"),  # NM1*82 NM109
        ("statement_from", "date"),  # DTM*232
        ("statement_to", "date"),  # DTM*233
        ("received", "date"),  # DTM*050
        ("coverage_amount", "decimal"),  # AMT*AU
        ("interest", "decimal"),  # AMT*I
        ("adjustment_total", "decimal"),  # claim-level CAS
        ("line_count", "int"),
    ),
    "service_lines": (
        *_CLAIM_KEYS,
        ("line_index", "int"),
        ("procedure_qualifier", "string"),  # SVC01-1
        ("procedure_code", "string"),  # SVC01-2
        ("modifiers", "string"),  # SVC01-3..6 joined with ":"
        ("revenue_code", "string"),  # SVC04
        ("charge", "decimal"),  # SVC02
        ("paid", "decimal"),  # SVC03
        ("allowed", "decimal"),  # AMT*B6
        ("units", "decimal"),  # SVC05
        ("submitted_procedure_code", "string"),  # SVC06-2
        ("service_from", "date"),  # DTM*472 or DTM*150
        ("service_to", "date"),  # DTM*151
        ("line_control_number", "string"),  # REF*6R
        ("adjustment_total", "decimal"),  # line-level CAS
    ),
    "adjustments": (
        *_CLAIM_KEYS,
        ("line_index", "int"),  # empty for claim-level CAS
        ("level", "string"),  # "claim" or "line"
        ("group", "string"),  # CAS01 (CO, OA, PI, PR, CR)
        ("reason", "string"),  # CAS02 (CARC)
        ("amount", "decimal"),  # CAS03
        ("quantity", "decimal"),  # CAS04
    ),
    "remarks": (
        *_CLAIM_KEYS,
        ("line_index", "int"),  # empty for claim-level remarks
        ("level", "string"),  # "claim" or "line"
        ("source", "string"),  # LQ, MOA or MIA
        ("qualifier", "string"),  # LQ01 (HE = RARC, RX); HE for MOA/MIA
        ("code", "string"),
    ),
    "provider_adjustments": (
        *_KEYS,
        ("provider_id", "string"),  # PLB01
        ("fiscal_period_end", "date"),  # PLB02
        ("reason", "string"),  # PLB03-1
        ("reference", "string"),  # PLB03-2
        ("amount", "decimal"),  # PLB04
    ),
}

#: The table names, in the order they are written.
TABLES: tuple[str, ...] = tuple(SCHEMAS)

Row = dict[str, Any]


def _party_id(rem: Remittance) -> str | None:
    if rem.payer.id:
        return rem.payer.id
    for r in rem.payer.references:
        if r.qualifier == "2U":
            return r.value
    return None


def _adjustment_rows(
    key: Row, level: str, line_index: int | None, adjustments: Iterable[Adjustment]
) -> list[Row]:
    return [
        {
            **key,
            "line_index": line_index,
            "level": level,
            "group": str(a.group),
            "reason": a.reason,
            "amount": a.amount,
            "quantity": a.quantity,
        }
        for a in adjustments
    ]


def _line_row(key: Row, j: int, s: ServicePayment) -> Row:
    p = s.procedure
    return {
        **key,
        "line_index": j,
        "procedure_qualifier": p.qualifier,
        "procedure_code": p.code,
        "modifiers": ":".join(p.modifiers) or None,
        "revenue_code": s.revenue_code,
        "charge": s.charge,
        "paid": s.paid,
        "allowed": s.allowed,
        "units": s.units,
        "submitted_procedure_code": s.submitted_procedure.code if s.submitted_procedure else None,
        "service_from": s.service_date or s.service_from,
        "service_to": s.service_to,
        "line_control_number": s.line_item_control_number,
        "adjustment_total": s.adjustment_total,
    }


def _claim_rows(
    out: dict[str, list[Row]], base: Row, i: int, lx: str | None, c: ClaimPayment
) -> None:
    key = {**base, "claim_index": i, "patient_control_number": c.patient_control_number}
    pt = c.patient
    out["claims"].append(
        {
            **key,
            "group_number": lx,
            "status": c.status,
            "charge": c.charge,
            "paid": c.paid,
            "patient_responsibility": c.patient_responsibility,
            "filing_indicator": c.filing_indicator,
            "payer_claim_number": c.payer_claim_number,
            "facility_type": c.facility_type,
            "frequency": c.frequency,
            "drg_code": c.drg_code,
            "patient_last_name": pt.name if pt else None,
            "patient_first_name": pt.first_name if pt else None,
            "patient_id": pt.id if pt else None,
            "rendering_provider_id": c.rendering_provider.id if c.rendering_provider else None,
            "statement_from": c.statement_from,
            "statement_to": c.statement_to,
            "received": c.received,
            "coverage_amount": c.amount("AU"),
            "interest": c.amount("I"),
            "adjustment_total": c.adjustment_total,
            "line_count": len(c.services),
        }
    )
    out["adjustments"].extend(_adjustment_rows(key, "claim", None, c.adjustments))
    for source, adj in (("MOA", c.outpatient), ("MIA", c.inpatient)):
        if adj is not None:
            for code in adj.remarks:
                out["remarks"].append(
                    {
                        **key,
                        "line_index": None,
                        "level": "claim",
                        "source": source,
                        "qualifier": "HE",
                        "code": code,
                    }
                )
    for j, s in enumerate(c.services):
        out["service_lines"].append(_line_row(key, j, s))
        out["adjustments"].extend(_adjustment_rows(key, "line", j, s.adjustments))
        for rm in s.remarks:
            out["remarks"].append(
                {
                    **key,
                    "line_index": j,
                    "level": "line",
                    "source": "LQ",
                    "qualifier": rm.qualifier,
                    "code": rm.code,
                }
            )


def rows(
    remittances: Iterable[Remittance],
    *,
    file: str | None = None,
    controls: Sequence[Controls] | None = None,
) -> dict[str, list[dict[str, Any]]]:
    """The six tables as lists of plain rows (``dict`` column -> Python value).

    ``controls[i]`` gives the (ISA13, ST02) of the i-th remittance when known.
    No optional dependency is needed.
    """
    out: dict[str, list[Row]] = {name: [] for name in TABLES}
    # Rows are acyclic and all kept: the cyclic collector would only rescan them (and the
    # models just read) while they are built, which more than doubles the time.
    with collector_paused(keep=True):
        _fill(out, remittances, file, controls)
    return out


def _fill(
    out: dict[str, list[Row]],
    remittances: Iterable[Remittance],
    file: str | None,
    controls: Sequence[Controls] | None,
) -> None:
    for t, rem in enumerate(remittances):
        icn, tcn = controls[t] if controls is not None and t < len(controls) else (None, None)
        base = _base(file, icn, tcn, t)
        claims = rem.claims
        out["payments"].append(
            _payment_row(
                base,
                rem,
                len(claims),
                sum((c.charge for c in claims), Decimal(0)),
                sum((c.paid for c in claims), Decimal(0)),
            )
        )
        i = 0
        for g in rem.groups:
            for c in g.claims:
                _claim_rows(out, base, i, g.number, c)
                i += 1
        _plb_rows(out, base, rem)


def _base(file: str | None, icn: str | None, tcn: str | None, t: int) -> Row:
    """The key columns every row of transaction ``t`` starts with."""
    return {
        "file": file,
        "interchange_control_number": icn,
        "transaction_control_number": tcn,
        "transaction_index": t,
    }


def _payment_row(base: Row, rem: Remittance, count: int, charge: Decimal, paid: Decimal) -> Row:
    """The ``payments`` row of a remittance (BPR, TRN, parties) whose ``count`` claims'
    CLP03 and CLP04 sum to ``charge`` and ``paid``."""
    return {
        **base,
        "handling": rem.handling,
        "amount": rem.amount,
        "credit_debit": rem.credit_debit,
        "method": rem.method,
        "payment_format": rem.payment_format,
        "payment_date": rem.payment_date,
        "trace_number": rem.trace_number,
        "trace_originator": rem.trace_originator,
        "production_date": rem.production_date,
        "payer_name": rem.payer.name,
        "payer_id": _party_id(rem),
        "payee_name": rem.payee.name,
        "payee_id_qualifier": rem.payee.id_qualifier,
        "payee_id": rem.payee.id,
        "claim_count": count,
        "total_charge": charge,
        "total_paid": paid,
        "provider_adjustment_total": rem.provider_adjustment_total,
    }


def _plb_rows(out: dict[str, list[Row]], base: Row, rem: Remittance) -> None:
    for p in rem.provider_adjustments:
        out["provider_adjustments"].append(
            {
                **base,
                "provider_id": p.provider_id,
                "fiscal_period_end": p.fiscal_period_end,
                "reason": p.reason,
                "reference": p.reference,
                "amount": p.amount,
            }
        )


def iter_rows(
    source: str | bytes | pathlib.Path | IO[str] | IO[bytes],
    *,
    file: str | None = None,
    strict: bool = False,
    log: IssueLog | None = None,
    encoding: str | None = None,
) -> Iterator[dict[str, list[Row]]]:
    """The rows of :func:`read_tables` in bounded memory, whatever the size of a
    transaction: ``{table: rows}`` parts, one per batch of segments read (the claims that
    batch closed: their ``claims``, ``service_lines``, ``adjustments`` and ``remarks``
    rows), and at each transaction's end its ``payments`` row and ``provider_adjustments``
    rows (PLB comes after the claims). Every part has the six tables as keys.

    Concatenated table by table, the parts are :func:`read_tables`' rows, in the same order;
    the issues on ``log`` are those of the whole read. ``source`` is a path (``file``
    defaults to its name, as in :func:`read_tables`), text, bytes or a file object.
    """
    from edi835.reader import stream_transactions

    if isinstance(source, pathlib.Path):
        file = file if file is not None else source.name
        with source.open("rb") as fp:
            yield from iter_rows(fp, file=file, strict=strict, log=log, encoding=encoding)
        return
    log = log if log is not None else IssueLog(strict=strict)
    for t, streamed in enumerate(stream_transactions(source, log, encoding)):
        yield from _transaction_rows(streamed, _base(file, *streamed.controls, t))


def _transaction_rows(streamed: StreamedTransaction, base: Row) -> Iterator[dict[str, list[Row]]]:
    """:func:`iter_rows`' parts of one transaction: a part per batch of segments (made with
    the collector paused, the batch let go in the next one's pause: see
    :func:`x12.gcpause.built_paused`), then its payments and PLB rows."""
    count, charge, paid = 0, Decimal(0), Decimal(0)

    def build(batch: list[tuple[str | None, ClaimPayment]]) -> dict[str, list[Row]]:
        nonlocal count, charge, paid
        out: dict[str, list[Row]] = {name: [] for name in TABLES}
        for lx, c in batch:
            _claim_rows(out, base, count, lx, c)
            count += 1
            charge += c.charge
            paid += c.paid
        return out

    yield from built_paused(streamed.claim_batches(), build)
    rem = streamed.remittance()
    end: dict[str, list[Row]] = {name: [] for name in TABLES}
    end["payments"].append(_payment_row(base, rem, count, charge, paid))
    _plb_rows(end, base, rem)
    yield end


# ------------------------------------------------------------------------ reading files
def read_tables(
    source: str | bytes | pathlib.Path, *, file: str | None = None, strict: bool = False
) -> tuple[list[Remittance], dict[str, list[dict[str, Any]]]]:
    """Read an 835 (text, bytes or a path) and build its rows with control numbers filled.

    Returns ``(remittances, rows)``; pass the rows' source on to :func:`to_frames` etc. via
    the remittances, or use the rows directly. ``file`` defaults to the path's name. The
    control numbers come from the same pass that reads the remittances.
    """
    from edi835.reader import iter_remittances_keyed

    if isinstance(source, pathlib.Path):
        file = file if file is not None else source.name
        data: str | bytes = source.read_bytes()
    else:
        data = source
    keyed = list(iter_remittances_keyed(data, strict=strict))
    rems = [rem for _, rem in keyed]
    return rems, rows(rems, file=file, controls=[ctl for ctl, _ in keyed])


# ---------------------------------------------------------------- pandas / arrow / files
def _require(module: str) -> Any:
    return require(module, INSTALL_HINT)


def _table_rows(
    data: Iterable[Remittance] | dict[str, list[Row]],
    file: str | None,
    controls: Sequence[Controls] | None,
) -> dict[str, list[Row]]:
    if isinstance(data, dict):
        return data
    return rows(data, file=file, controls=controls)


def to_frames(
    remittances: Iterable[Remittance] | dict[str, list[dict[str, Any]]],
    *,
    file: str | None = None,
    controls: Sequence[Controls] | None = None,
) -> dict[str, Any]:
    """The six tables as pandas DataFrames (``{name: DataFrame}``), columns as in
    :data:`SCHEMAS` even when a table is empty. Accepts remittances or :func:`rows` output.
    """
    pd = _require("pandas")
    data = _table_rows(remittances, file, controls)
    frames: dict[str, Any] = {}
    for name, schema in SCHEMAS.items():
        table = data[name]
        columns = {col: [r.get(col) for r in table] for col, _ in schema}
        df = pd.DataFrame(columns, columns=[c for c, _ in schema])
        for col, kind in schema:
            if kind == "int":
                df[col] = df[col].astype("Int64")
            else:
                df[col] = df[col].astype(object)
        frames[name] = df
    return frames


def _arrow_type(pa: Any, kind: str) -> Any:
    if kind == "int":
        return pa.int64()
    if kind == "decimal":
        return pa.decimal128(38, 10)
    if kind == "date":
        return pa.date32()
    return pa.string()


def arrow_schema(name: str) -> Any:
    """The pyarrow schema of table ``name``."""
    pa = _require("pyarrow")
    return pa.schema([(col, _arrow_type(pa, kind)) for col, kind in SCHEMAS[name]])


def to_arrow(
    remittances: Iterable[Remittance] | dict[str, list[dict[str, Any]]],
    *,
    file: str | None = None,
    controls: Sequence[Controls] | None = None,
) -> dict[str, Any]:
    """The six tables as ``pyarrow.Table`` (``{name: Table}``) with the fixed schemas."""
    pa = _require("pyarrow")
    data = _table_rows(remittances, file, controls)
    return {name: arrow_table(pa, arrow_schema(name), data[name]) for name in SCHEMAS}


def write_tables(
    remittances: Iterable[Remittance] | dict[str, list[dict[str, Any]]],
    out_dir: str | pathlib.Path,
    *,
    format: str = "csv",
    file: str | None = None,
    controls: Sequence[Controls] | None = None,
) -> list[pathlib.Path]:
    """Write ``<table>.csv`` or ``<table>.parquet`` for each of the six tables into
    ``out_dir`` (created when missing) and return the paths. CSV needs only the standard
    library (ISO dates, exact amounts, empty cells for missing values); Parquet needs pyarrow.
    All six files or none (:class:`x12.table_files.TableFiles`); for a file too large to hold
    its rows, see :func:`run` (rows streamed from :func:`iter_rows`).
    """
    if format not in FORMATS:
        raise ValueError(f"format must be 'csv' or 'parquet', not {format!r}")
    data = _table_rows(remittances, file, controls)
    out = _table_files(out_dir, format)
    try:
        out.add(data)
    except BaseException:
        out.discard()
        raise
    return out.commit()


def _table_files(out_dir: str | pathlib.Path, format: str) -> TableFiles:
    return TableFiles(
        out_dir,
        {name: [c for c, _ in schema] for name, schema in SCHEMAS.items()},
        format=format,
        arrow_schema=arrow_schema,
        require=_require,
    )


# ------------------------------------------------------------------------ command line
def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add ``-o/--output-dir DIR`` to a parser that already has ``--format`` (``edi835 parse``):
    with ``-o``, ``--format csv`` or ``parquet`` writes the six tables into DIR."""
    parser.add_argument(
        "-o",
        "--output-dir",
        dest="output_dir",
        default=None,
        help="write the six tables (payments, claims, service_lines, adjustments, remarks, "
        "provider_adjustments) into this directory as --format csv or parquet files",
    )


def wants_tables(args: argparse.Namespace) -> bool:
    """True when ``edi835 parse`` was asked for table files (``-o DIR`` or ``--format parquet``)."""
    return bool(getattr(args, "output_dir", None)) or getattr(args, "format", None) == "parquet"


def run_args(args: argparse.Namespace, err: TextIO | None = None) -> int:
    """Run the table output of ``edi835 parse`` from its parsed arguments (``file``,
    ``format``, ``output_dir``, ``strict``)."""
    err = err if err is not None else sys.stderr
    fmt = getattr(args, "format", "csv")
    if fmt not in ("csv", "parquet"):
        print("edi835: -o/--output-dir writes tables: use --format csv or parquet", file=err)
        return 2
    if not getattr(args, "output_dir", None):
        print("edi835: --format parquet needs -o/--output-dir DIR", file=err)
        return 2
    files = args.file if isinstance(args.file, list) else [args.file]
    return run(
        files, args.output_dir, format=fmt, strict=bool(getattr(args, "strict", False)), err=err
    )


def run(
    files: Sequence[str],
    out_dir: str,
    *,
    format: str = "csv",
    strict: bool = False,
    err: TextIO | None = None,
) -> int:
    """Read each 835 in ``files`` and write the combined tables into ``out_dir``.

    The rows are streamed (:func:`iter_rows`) into the table files as they are read: memory
    holds a batch of segments, not the files' rows (a 200,000-claim 835: 21 MB peak as CSV).
    Nothing is written unless every file reads (the six files appear together at the end).
    Returns an exit status (0 written, 2 an input could not be read or a dependency is
    missing); messages go to ``err`` and never include patient data.
    """
    err = err if err is not None else sys.stderr
    try:
        out = _table_files(out_dir, format)
    except ImportError as exc:
        print(f"edi835: {exc}", file=err)
        return 2
    except OSError as exc:
        return _cannot_write(out_dir, exc, err)
    try:
        for name in files:
            try:
                for part in iter_rows(pathlib.Path(name), file=name, strict=strict):
                    _add(out, part)
            except OSError as exc:
                print(f"edi835: cannot read {name}: {exc.strerror or exc}", file=err)
                return 2
            except X12Error as exc:
                print(f"edi835: {name}: {exc}", file=err)
                return 2
        try:
            paths = out.commit()
        except OSError as exc:
            raise _WriteFailed(exc) from exc
    except _WriteFailed as failed:
        return _cannot_write(out_dir, failed.cause, err)
    finally:
        out.discard()  # after a commit: nothing left to do
    for p in paths:
        print(f"wrote {p}", file=err)
    return 0


class _WriteFailed(Exception):
    """Writing the tables failed (an OSError that is not the input's)."""

    def __init__(self, cause: OSError) -> None:
        self.cause = cause


def _add(out: TableFiles, part: dict[str, list[Row]]) -> None:
    try:
        out.add(part)
    except OSError as exc:
        raise _WriteFailed(exc) from exc


def _cannot_write(out_dir: str, exc: OSError, err: TextIO) -> int:
    print(f"edi835: cannot write to {out_dir}: {exc.strerror or exc}", file=err)
    return 2
