"""edi835.spark: a folder of 835s as Spark DataFrames with the fixed schemas of edi835.frames.

The per-file read and the mapInArrow function are tested without Spark (pyarrow only); the
DataFrames in Spark local mode (``local[2]``, one session for the module), skipped with the
reason when pyspark or a Java runtime is absent. The check that matters: row counts and sums
of every money column equal what the pure-Python reader and frames give for the same files.
"""

from __future__ import annotations

import importlib.util
import os
import pathlib
import shutil
from decimal import Decimal
from typing import Any

import pytest

from edi835 import fake, frames
from edi835 import spark as sp
from edi835.writer import dumps
from x12 import spark_tables as engine

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

#: Money columns of each table, summed in Spark and in Python.
MONEY = {
    "payments": ("amount", "total_charge", "total_paid", "provider_adjustment_total"),
    "claims": ("charge", "paid", "patient_responsibility", "adjustment_total"),
    "service_lines": ("charge", "paid", "allowed", "adjustment_total"),
    "adjustments": ("amount",),
    "remarks": (),
    "provider_adjustments": ("amount",),
}


def _text(seed: int, transactions: int, claims: int) -> str:
    rems = [
        fake.adjudicate(fake.synthetic_claims(claims, seed=seed + t), seed=seed + t)
        for t in range(transactions)
    ]
    return dumps(rems, sender_id="PAYER", receiver_id="PROVIDER")


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    """Two good 835s (three and two transactions), one that is not X12, one other file."""
    root = tmp_path_factory.mktemp("remits")
    (root / "a.835").write_text(_text(1, 3, 40), encoding="ascii")
    (root / "b.835").write_text(_text(7, 2, 25), encoding="ascii")
    (root / "broken.835").write_text("this is not an interchange\n", encoding="ascii")
    (root / "notes.txt").write_text("not matched by the pattern\n", encoding="ascii")
    return root


def _python_tables(folder: pathlib.Path) -> dict[str, list[dict[str, Any]]]:
    """The reference: edi835.frames.read_tables on each good file."""
    out: dict[str, list[dict[str, Any]]] = {name: [] for name in frames.TABLES}
    for name in ("a.835", "b.835"):
        _, rows = frames.read_tables(folder / name)
        for table, items in rows.items():
            out[table].extend(items)
    return out


def _sums(rows: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    got: dict[str, Any] = {}
    for table, columns in MONEY.items():
        got[f"{table}.rows"] = len(rows[table])
        for col in columns:
            got[f"{table}.{col}"] = sum(
                (r[col] for r in rows[table] if r[col] is not None), Decimal(0)
            )
    return got


# ----------------------------------------------------------------- without Spark
def test_file_rows_equal_frames_read_tables(folder: pathlib.Path) -> None:
    path = folder / "a.835"
    got = sp.read_file_rows(path, file="a.835")
    _, want = frames.read_tables(path)
    assert set(got) == {*frames.TABLES, sp.ISSUES}
    for table in frames.TABLES:
        assert got[table] == want[table], table
    assert got["issues"] == []
    assert {r["transaction_index"] for r in got["claims"]} == {0, 1, 2}
    assert all(r["transaction_control_number"] for r in got["payments"])
    assert got["payments"][0]["interchange_control_number"]


def test_bytes_and_path_give_the_same_rows(folder: pathlib.Path) -> None:
    path = folder / "b.835"
    assert sp.read_file_rows(path.read_bytes(), file=str(path)) == sp.read_file_rows(path)


@pytest.mark.parametrize(
    ("source", "code", "fatal"),
    [
        (b"", "EMPTY_INPUT", False),  # nothing to read: an error, but reading did not stop
        (b"this is not an interchange", None, True),
        (b"ISA*00*trunc", None, True),
        ("/nonexistent/folder/x.835", "FILE_UNREADABLE", True),
    ],
)
def test_a_bad_file_gives_an_issue_not_an_exception(
    source: Any, code: str | None, fatal: bool
) -> None:
    rows = sp.read_file_rows(source, file="bad.835")
    assert all(rows.get(t, []) == [] for t in frames.TABLES)
    [issue] = [r for r in rows["issues"] if r["severity"] == "error"]
    assert issue["file"] == "bad.835" and issue["fatal"] is fatal and issue["code"]
    if code is not None:
        assert issue["code"] == code
    assert set(issue) == {c for c, _ in sp.ISSUE_COLUMNS}


def test_rows_read_before_a_fatal_error_are_kept() -> None:
    good = _text(3, 2, 5)
    cut = good.index("ST*835*0002")
    damaged = good[:cut] + "ST*835*0002~BPR*I*" + "9" * 200_000  # no terminator, no trailer
    rows = sp.read_file_rows(damaged.encode("ascii"), file="cut.835")
    assert len(rows["payments"]) >= 1
    assert any(r["severity"] == "error" for r in rows["issues"])


def test_issue_rows_carry_locations_and_no_patient_data() -> None:
    text = _text(4, 1, 6)
    name = text.split("NM1*QC*1*", 1)[1].split("*", 1)[0]  # a patient's last name
    assert len(name) > 2
    damaged = text.replace("CLP*", "CLP*X*", 1)  # an invalid status code (CLP02)
    rows = sp.read_file_rows(damaged.encode("ascii"), file="x.835")
    assert rows["issues"], "the damaged CLP is reported"
    for issue in rows["issues"]:
        assert name not in (issue["message"] or "")
        assert issue["segment_index"] is not None and issue["location"]


@needs_arrow
def test_map_function_yields_the_combined_schema(folder: pathlib.Path) -> None:
    import pyarrow as pa

    names = (*frames.TABLES, sp.ISSUES)
    batch = pa.RecordBatch.from_pylist(
        [{"path": str(folder / n)} for n in ("a.835", "broken.835", "b.835")]
    )
    out = list(
        engine._map_files(
            [batch], read=sp._read_835, schema_of=sp.arrow_schema, names=names, batch_rows=50
        )
    )
    combined = engine._combined_schema(pa, names, sp.arrow_schema)
    assert all(b.schema == combined for b in out)
    assert max(b.num_rows for b in out) <= 50
    got: dict[str, list[dict[str, Any]]] = {n: [] for n in names}
    for b in out:
        for row in b.to_pylist():
            got[row["table"]].append(row[row["table"]])
            assert all(row[n] is None for n in names if n != row["table"])
    assert _sums(got) == _sums(_python_tables(folder))
    assert [r["code"] for r in got["issues"]] == ["NO_ISA"] or all(
        r["fatal"] and r["file"].endswith("broken.835") for r in got["issues"]
    )


@needs_arrow
def test_amounts_arrow_cannot_hold_become_issues() -> None:
    import pyarrow as pa

    schema = sp.arrow_schema("adjustments")
    base = {c: None for c, _ in frames.SCHEMAS["adjustments"]}
    items = [
        {**base, "file": "f", "amount": Decimal("1.5")},
        {**base, "file": "f", "amount": Decimal("1E+40")},
        {**base, "file": "f", "amount": Decimal("0.123456789012345")},
        {**base, "file": "f", "amount": Decimal("NaN")},
    ]
    issues: list[dict[str, Any]] = []
    struct = engine._struct(pa, schema, items, issues)
    amounts = struct.field("amount").to_pylist()
    assert amounts[0] == Decimal("1.5") and amounts[1] is None and amounts[3] is None
    assert amounts[2] == Decimal("0.1234567890")
    assert [i["code"] for i in issues] == ["VALUE_OUT_OF_RANGE"] * 2


@needs_arrow
def test_spark_schema_is_derived_from_the_arrow_schema() -> None:
    for name in frames.TABLES:
        assert sp.arrow_schema(name) == frames.arrow_schema(name)
    assert sp.arrow_schema("issues").names == [c for c, _ in sp.ISSUE_COLUMNS]


def test_unknown_table_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown table"):
        sp.read_folder(object(), "/nowhere", tables=["claims", "nope"])


# ---------------------------------------------------------------------- in Spark


def _spark_sums(tables: dict[str, Any]) -> dict[str, Any]:
    from pyspark.sql import functions as F

    got: dict[str, Any] = {}
    for table, columns in MONEY.items():
        aggs = [F.count(F.lit(1)).alias("rows")]
        aggs += [F.sum(c).alias(c) for c in columns]
        row = tables[table].agg(*aggs).collect()[0]
        got[f"{table}.rows"] = row["rows"]
        for col in columns:
            got[f"{table}.{col}"] = row[col] if row[col] is not None else Decimal(0)
    return got


@needs_spark
@pytest.mark.parametrize("via", ["content", "path"])
def test_folder_tables_equal_the_python_reader(spark: Any, folder: pathlib.Path, via: str) -> None:
    tables = sp.read_folder(spark, str(folder), pattern="*.835", via=via, persist=True)
    assert set(tables) == {*frames.TABLES, "issues"}
    for name, df in tables.items():
        assert df.schema == sp.spark_schema(name), name
    assert _spark_sums(tables) == _sums(_python_tables(folder))
    issues = tables["issues"].collect()
    assert [(pathlib.Path(r["file"].removeprefix("file:")).name, r["fatal"]) for r in issues] == [
        ("broken.835", True)
    ]
    files = {r["file"] for r in tables["payments"].select("file").distinct().collect()}
    assert {pathlib.Path(f.removeprefix("file:")).name for f in files} == {"a.835", "b.835"}
    if via == "path":
        claims = sorted(
            (r.asDict() for r in tables["claims"].collect()),
            key=lambda r: (r["file"], r["transaction_index"], r["claim_index"]),
        )
        want = []
        for name in ("a.835", "b.835"):
            want += sp.read_file_rows(folder / name)["claims"]
        assert claims == want  # every column, every row (decimals compare by value)


@needs_spark
def test_only_the_tables_asked_for(spark: Any, folder: pathlib.Path) -> None:
    tables = sp.read_folder(spark, folder / "a.835", tables=["claims"])
    assert set(tables) == {"claims", "issues"}
    assert tables["claims"].count() == len(frames.read_tables(folder / "a.835")[1]["claims"])
    assert tables["issues"].count() == 0
