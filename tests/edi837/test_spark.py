"""edi837.frames and edi837.spark: 837P claims and service lines as fixed-schema tables, and a
folder of 837P files as Spark DataFrames.

The tables and the per-file read are tested without Spark; the DataFrames in Spark local mode
(``local[2]``, one session for the module), skipped with the reason when pyspark or a Java
runtime is absent. Row counts and money sums in Spark equal the pure-Python reader's.
"""

from __future__ import annotations

import datetime as _dt
import importlib.util
import os
import pathlib
import shutil
from decimal import Decimal
from typing import Any

import pytest

import edi837
from edi837 import fake, frames
from edi837 import spark as sp
from edi837.reader import iter_submissions
from models.claim import Claim, Submission

ROOT = pathlib.Path(__file__).resolve().parents[2]

HAS_ARROW = importlib.util.find_spec("pyarrow") is not None
HAS_SPARK = importlib.util.find_spec("pyspark") is not None
HAS_JAVA = bool(os.environ.get("JAVA_HOME")) or shutil.which("java") is not None

needs_arrow = pytest.mark.skipif(
    not HAS_ARROW, reason='pyarrow absent: pip install "x12-claims[tables]"'
)
needs_spark = pytest.mark.skipif(
    not (HAS_ARROW and HAS_SPARK and HAS_JAVA),
    reason='Spark tests need pyspark and a Java runtime: pip install "x12-claims[spark]" and a JDK 17+'
    if not (HAS_SPARK and HAS_JAVA)
    else "pyarrow absent",
)

MONEY = {
    "claims": ("charge", "line_charge_total", "patient_paid", "other_payers_paid"),
    "service_lines": ("charge", "units", "drug_quantity", "adjudicated_paid"),
}
WHEN = _dt.datetime(2024, 5, 6, 7, 8)


def _text(seed: int, sizes: tuple[int, ...]) -> str:
    subs = [
        Submission(
            fake.submitter(),
            fake.receiver(),
            tuple(fake.generate(n, seed=seed + i, every_loop=True)),
            reference=f"B{seed}{i}",
        )
        for i, n in enumerate(sizes)
    ]
    return edi837.dumps_submissions(subs, timestamp=WHEN)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    root = tmp_path_factory.mktemp("claims")
    (root / "a.837").write_text(_text(1, (30, 12)), encoding="ascii")
    (root / "b.837").write_text(_text(9, (20,)), encoding="ascii")
    (root / "broken.837").write_text("ISA*00*not an interchange\n", encoding="ascii")
    return root


def _claims(folder: pathlib.Path) -> list[Claim]:
    out: list[Claim] = []
    for name in ("a.837", "b.837"):
        out += edi837.loads((folder / name).read_bytes())
    return out


def _model_sums(claims: list[Claim]) -> dict[str, Any]:
    lines = [ln for c in claims for ln in c.service_lines]
    others = [op.paid for c in claims for op in c.other_payers if op.paid is not None]
    return {
        "claims.rows": len(claims),
        "claims.charge": sum((c.charge for c in claims), Decimal(0)),
        "claims.line_charge_total": sum((ln.charge for ln in lines), Decimal(0)),
        "claims.patient_paid": sum(
            (c.patient_paid for c in claims if c.patient_paid is not None), Decimal(0)
        ),
        "claims.other_payers_paid": sum(others, Decimal(0)),
        "service_lines.rows": len(lines),
        "service_lines.charge": sum((ln.charge for ln in lines), Decimal(0)),
        "service_lines.units": sum((ln.units for ln in lines), Decimal(0)),
        "service_lines.drug_quantity": sum(
            (ln.drug.quantity for ln in lines if ln.drug is not None), Decimal(0)
        ),
        "service_lines.adjudicated_paid": sum(
            (a.paid for ln in lines for a in ln.adjudications), Decimal(0)
        ),
    }


def _row_sums(rows: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    got: dict[str, Any] = {}
    for table, columns in MONEY.items():
        got[f"{table}.rows"] = len(rows[table])
        for col in columns:
            got[f"{table}.{col}"] = sum(
                (r[col] for r in rows[table] if r[col] is not None), Decimal(0)
            )
    return got


# --------------------------------------------------------------------- edi837.frames
def test_rows_have_the_schema_columns() -> None:
    claims = fake.generate(15, seed=3, every_loop=True)
    rows = frames.rows(claims, file="f.837")
    assert set(rows) == set(frames.TABLES) == {"claims", "service_lines"}
    for table, schema in frames.SCHEMAS.items():
        columns = [c for c, _ in schema]
        assert len(set(columns)) == len(columns)
        for row in rows[table]:
            assert set(row) == set(columns), table
    assert [r["claim_id"] for r in rows["claims"]] == [c.id for c in claims]
    assert _row_sums(rows) == _model_sums(claims)


def test_row_values_follow_the_models() -> None:
    claims = fake.generate(40, seed=5, every_loop=True)
    rows = frames.rows(claims)
    for claim, row in zip(claims, rows["claims"], strict=True):
        assert row["charge"] == claim.charge
        assert row["billing_provider_npi"] == claim.billing_provider.npi
        assert row["subscriber_member_id"] == claim.subscriber.member_id
        assert row["principal_diagnosis"] == claim.diagnoses[0].code
        assert row["line_count"] == len(claim.service_lines)
        assert (row["patient_last_name"] is None) is (claim.patient is None)
    lines = [(c, ln) for c in claims for ln in c.service_lines]
    for (claim, line), row in zip(lines, rows["service_lines"], strict=True):
        assert row["procedure_code"] == line.procedure
        assert row["service_date"] == line.service_date
        codes = [d.code for d in claim.diagnoses]
        assert row["diagnosis_codes"] == ":".join(codes[p - 1] for p in line.diagnosis_pointers)
    assert any(r["ndc"] for r in rows["service_lines"])
    assert any(r["adjudicated_paid"] is not None for r in rows["service_lines"])
    assert any(r["other_payer_count"] for r in rows["claims"])


@needs_arrow
def test_arrow_tables_have_the_fixed_schema() -> None:
    tables = frames.to_arrow(fake.generate(10, seed=2, every_loop=True), file="x")
    for name, table in tables.items():
        assert table.schema == frames.arrow_schema(name)
    assert frames.to_arrow([])["claims"].num_rows == 0


# ------------------------------------------------------------------- per-file read
def test_file_rows_carry_control_numbers_and_transactions(folder: pathlib.Path) -> None:
    path = folder / "a.837"
    rows = sp.read_file_rows(path, file="a.837")
    subs = list(iter_submissions(path.read_bytes()))
    want = frames.rows(subs, file="a.837", controls=[(r, t) for r, t in _controls(path)])
    assert {k: rows[k] for k in frames.TABLES} == want
    assert rows["issues"] == []
    assert {r["transaction_index"] for r in rows["claims"]} == {0, 1}
    assert {r["transaction_control_number"] for r in rows["claims"]} == {"0001", "0002"}
    assert {r["submission_reference"] for r in rows["claims"]} == {"B10", "B11"}
    assert all(r["interchange_control_number"] for r in rows["service_lines"])


def _controls(path: pathlib.Path) -> list[tuple[str | None, str | None]]:
    from x12.envelope import read_interchanges

    return [
        (ic.header.control_number if ic.header else None, tx.control_number)
        for ic in read_interchanges(path.read_bytes())
        for tx in ic.transactions
    ]


def test_other_transactions_are_skipped_with_an_issue() -> None:
    text = _text(2, (3,)).replace("ST*837*0001*005010X222A1", "ST*837*0001*005010X223A2")
    text = text.replace("GS*HC*", "GS*HC*", 1)
    rows = sp.read_file_rows(text.encode("ascii"), file="i.837")
    assert rows.get("claims", []) == []
    assert [r["code"] for r in rows["issues"]] == ["NOT_837P_5010"]
    assert rows["issues"][0]["fatal"] is False


@pytest.mark.parametrize(
    "source", [b"junk", b"ISA*00*", "/nonexistent/x.837", _text(4, (2,)).encode()[:-40]]
)
def test_a_bad_file_never_raises(source: Any) -> None:
    rows = sp.read_file_rows(source, file="bad.837")
    assert any(r["severity"] == "error" for r in rows["issues"])
    for issue in rows["issues"]:
        assert set(issue) == {c for c, _ in sp.ISSUE_COLUMNS}


def test_both_transactions_share_one_engine() -> None:
    from edi835 import spark as spark835
    from x12 import spark_tables

    assert sp.read_folder_tables is spark835.read_folder_tables is spark_tables.read_folder_tables


# ---------------------------------------------------------------------------- Spark


@needs_spark
@pytest.mark.parametrize("via", ["content", "path"])
def test_folder_tables_equal_the_python_reader(spark: Any, folder: pathlib.Path, via: str) -> None:
    from pyspark.sql import functions as F

    tables = sp.read_folder(spark, folder, pattern="*.837", via=via, persist=True)
    assert set(tables) == {"claims", "service_lines", "issues"}
    got: dict[str, Any] = {}
    for table, columns in MONEY.items():
        assert tables[table].schema == sp.spark_schema(table)
        aggs = [F.count(F.lit(1)).alias("rows"), *(F.sum(c).alias(c) for c in columns)]
        row = tables[table].agg(*aggs).collect()[0]
        got[f"{table}.rows"] = row["rows"]
        for col in columns:
            got[f"{table}.{col}"] = row[col] if row[col] is not None else Decimal(0)
    assert got == _model_sums(_claims(folder))
    issues = tables["issues"].collect()
    assert [pathlib.Path(r["file"].removeprefix("file:")).name for r in issues] == ["broken.837"]
    assert issues[0]["fatal"] is True
