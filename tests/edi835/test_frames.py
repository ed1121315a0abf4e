"""edi835.frames: fixed-schema tables of 835 data (rows, pandas, Arrow, CSV, Parquet)."""

from __future__ import annotations

import csv
import io
import pathlib
import sys
from decimal import Decimal

import pytest

from edi835 import fake, frames
from edi835.writer import dumps
from models.remittance import Remittance
from x12.errors import X12Error

CORPUS = pathlib.Path("/work/shared/corpus/835")


def _remittances() -> list[Remittance]:
    a = fake.adjudicate(fake.synthetic_claims(25, seed=5), seed=5)
    b = fake.adjudicate(fake.synthetic_claims(10, seed=6), seed=6)
    return [a, b]


def _totals(rems: list[Remittance]) -> dict[str, Decimal]:
    claims = [c for r in rems for c in r.claims]
    lines = [s for c in claims for s in c.services]
    cas = [a.amount for c in claims for a in c.adjustments] + [
        a.amount for s in lines for a in s.adjustments
    ]
    return {
        "payment": sum((r.amount for r in rems), Decimal(0)),
        "claim_paid": sum((c.paid for c in claims), Decimal(0)),
        "claim_charge": sum((c.charge for c in claims), Decimal(0)),
        "line_paid": sum((s.paid for s in lines), Decimal(0)),
        "cas": sum(cas, Decimal(0)),
        "plb": sum((r.provider_adjustment_total for r in rems), Decimal(0)),
    }


def _row_totals(t: dict[str, list[dict[str, object]]]) -> dict[str, Decimal]:
    def s(table: str, col: str) -> Decimal:
        return sum((r[col] for r in t[table] if r[col] is not None), Decimal(0))  # type: ignore[misc]

    return {
        "payment": s("payments", "amount"),
        "claim_paid": s("claims", "paid"),
        "claim_charge": s("claims", "charge"),
        "line_paid": s("service_lines", "paid"),
        "cas": s("adjustments", "amount"),
        "plb": s("provider_adjustments", "amount"),
    }


def test_rows_have_the_schema_columns_and_keys() -> None:
    rems = _remittances()
    t = frames.rows(rems, file="x.835", controls=[("000000001", "0001"), ("000000001", "0002")])
    assert set(t) == set(frames.TABLES)
    for name, table in t.items():
        cols = [c for c, _ in frames.SCHEMAS[name]]
        for r in table:
            assert list(r) == cols, name
            assert r["file"] == "x.835"
            assert r["interchange_control_number"] == "000000001"
    assert len(t["payments"]) == 2
    assert len(t["claims"]) == sum(len(r.claims) for r in rems)
    assert {r["transaction_control_number"] for r in t["claims"]} == {"0001", "0002"}
    assert _row_totals(t) == _totals(rems)


def test_read_tables_fills_control_numbers() -> None:
    text = dumps(_remittances(), sender_id="PAYER", receiver_id="PROVIDER")
    rems, t = frames.read_tables(text, file="in.835")
    assert len(rems) == 2
    keys = {
        (r["interchange_control_number"], r["transaction_control_number"]) for r in t["payments"]
    }
    assert len(keys) == 2 and all(k[0] and k[1] for k in keys)
    assert _row_totals(t) == _totals(rems)


def test_csv_needs_no_optional_dependency(tmp_path: pathlib.Path) -> None:
    rems = _remittances()
    paths = frames.write_tables(rems, tmp_path / "out", format="csv", file="f.835")
    assert [p.name for p in paths] == [f"{n}.csv" for n in frames.TABLES]
    with (tmp_path / "out" / "claims.csv").open(newline="") as fp:
        got = list(csv.DictReader(fp))
    assert sum(Decimal(r["paid"]) for r in got) == _totals(rems)["claim_paid"]
    assert list(got[0]) == [c for c, _ in frames.SCHEMAS["claims"]]


def test_bad_format() -> None:
    with pytest.raises(ValueError, match="format"):
        frames.write_tables([], "/nonexistent", format="xlsx")


def test_missing_pandas_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ImportError, match=r"x12-claims\[tables\]"):
        frames.to_frames(_remittances())


def test_run_writes_csv_and_reports_bad_input(tmp_path: pathlib.Path) -> None:
    src = tmp_path / "a.835"
    src.write_text(dumps(_remittances(), sender_id="PAYER", receiver_id="PROVIDER"))
    err = io.StringIO()
    assert frames.run([str(src)], str(tmp_path / "o"), format="csv", err=err) == 0
    assert (tmp_path / "o" / "payments.csv").exists()
    bad = tmp_path / "bad.835"
    bad.write_text("hello")
    err = io.StringIO()
    assert frames.run([str(bad)], str(tmp_path / "o2"), err=err) == 2
    assert "bad.835" in err.getvalue()
    assert frames.run([str(tmp_path / "missing.835")], str(tmp_path / "o3"), err=err) == 2


def test_cli_helpers(tmp_path: pathlib.Path) -> None:
    import argparse

    p = argparse.ArgumentParser()
    p.add_argument("file")
    p.add_argument("--format", choices=("table", "json", "csv", "parquet"), default="table")
    p.add_argument("--strict", action="store_true")
    frames.add_arguments(p)
    src = tmp_path / "a.835"
    src.write_text(dumps(_remittances(), sender_id="PAYER", receiver_id="PROVIDER"))
    assert not frames.wants_tables(p.parse_args([str(src), "--format", "csv"]))
    ns = p.parse_args([str(src), "--format", "csv", "-o", str(tmp_path / "t")])
    assert frames.wants_tables(ns)
    assert frames.run_args(ns, err=io.StringIO()) == 0
    assert (tmp_path / "t" / "claims.csv").exists()
    err = io.StringIO()
    assert frames.run_args(p.parse_args([str(src), "--format", "parquet"]), err=err) == 2
    assert "-o" in err.getvalue()
    ns = p.parse_args([str(src), "--format", "json", "-o", str(tmp_path / "u")])
    assert frames.run_args(ns, err=io.StringIO()) == 2


# ------------------------------------------------------------------ pandas / pyarrow
def _need(module: str) -> None:
    pytest.importorskip(module, reason=f'{module} not installed (pip install "x12-claims[tables]")')


def test_frames_dtypes_and_totals() -> None:
    _need("pandas")
    rems = _remittances()
    dfs = frames.to_frames(rems)
    for name, df in dfs.items():
        assert list(df.columns) == [c for c, _ in frames.SCHEMAS[name]]
    assert str(dfs["claims"]["claim_index"].dtype) == "Int64"
    assert dfs["claims"]["paid"].sum() == _totals(rems)["claim_paid"]
    assert dfs["adjustments"]["amount"].sum() == _totals(rems)["cas"]
    empty = frames.to_frames([])
    assert list(empty["remarks"].columns) == [c for c, _ in frames.SCHEMAS["remarks"]]


def test_arrow_and_parquet_round_trip(tmp_path: pathlib.Path) -> None:
    _need("pyarrow")
    import pyarrow.parquet as pq

    rems = _remittances()
    tables = frames.to_arrow(rems, file="f.835")
    for name, table in tables.items():
        assert table.schema.equals(frames.arrow_schema(name))
    frames.write_tables(rems, tmp_path, format="parquet", file="f.835")
    back = pq.read_table(tmp_path / "service_lines.parquet")
    assert sum(back.column("paid").to_pylist(), Decimal(0)) == _totals(rems)["line_paid"]


def test_corpus_tables_sum_to_the_models() -> None:
    if not CORPUS.is_dir():
        pytest.skip(f"corpus not present at {CORPUS}")
    arrow = "pyarrow" in sys.modules or _importable("pyarrow")
    checked = 0
    for path in sorted(CORPUS.iterdir()):
        try:
            rems, t = frames.read_tables(path)
        except X12Error:
            continue
        assert _row_totals(t) == _totals(rems), path.name
        assert len(t["claims"]) == sum(len(r.claims) for r in rems)
        if arrow:
            frames.to_arrow(t)  # every file's rows fit the fixed Arrow schema
        checked += 1
    assert checked > 10


def _importable(module: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(module) is not None


def test_run_writes_nothing_when_a_later_file_fails(tmp_path: pathlib.Path) -> None:
    """The tables are streamed into place only when every input has been read: a bad second
    file leaves the destination as it was (its older tables untouched)."""
    good = tmp_path / "a.835"
    good.write_text(dumps(_remittances(), sender_id="PAYER", receiver_id="PROVIDER"))
    bad = tmp_path / "b.835"
    bad.write_text("hello")
    dest = tmp_path / "o"
    assert frames.run([str(good)], str(dest), format="csv", err=io.StringIO()) == 0
    before = {p.name: p.read_bytes() for p in dest.iterdir()}
    err = io.StringIO()
    assert frames.run([str(good), str(bad)], str(dest), format="csv", err=err) == 2
    assert "b.835" in err.getvalue()
    assert {p.name: p.read_bytes() for p in dest.iterdir()} == before
    assert frames.run([str(good), str(bad)], str(tmp_path / "o4"), err=io.StringIO()) == 2
    assert not (tmp_path / "o4").exists()


def test_run_tables_equal_write_tables_of_the_whole_read(tmp_path: pathlib.Path) -> None:
    """Streamed (run) and whole (read_tables, then write_tables): the same CSV bytes, and
    the same Parquet tables."""
    one = tmp_path / "a.835"
    one.write_text(dumps(_remittances(), sender_id="PAYER", receiver_id="PROVIDER"))
    two = tmp_path / "b.835"
    two.write_text(dumps(_remittances()[1:], sender_id="PAYER", receiver_id="PROVIDER"))
    whole: dict[str, list[dict[str, object]]] = {name: [] for name in frames.TABLES}
    for path in (one, two):
        for name, rows in frames.read_tables(path, file=str(path))[1].items():
            whole[name].extend(rows)
    formats = ["csv"]
    try:
        import pyarrow.parquet as pq

        formats.append("parquet")
    except ImportError:
        pq = None
    for fmt in formats:
        err = io.StringIO()
        assert frames.run([str(one), str(two)], str(tmp_path / fmt), format=fmt, err=err) == 0
        ref = frames.write_tables(whole, tmp_path / f"{fmt}-ref", format=fmt)
        for path in ref:
            streamed = tmp_path / fmt / path.name
            if fmt == "csv":
                assert streamed.read_bytes() == path.read_bytes()
            else:
                assert pq is not None
                assert pq.read_table(streamed).equals(pq.read_table(path))
