"""x12.table_files: tables written a part at a time, all files or none."""

from __future__ import annotations

import csv
import datetime as dt
import pathlib
from decimal import Decimal
from typing import Any

import pytest

from x12.optional import require
from x12.table_files import TableFiles, arrow_table, csv_value

COLUMNS = {"a": ["id", "amount", "day"], "b": ["id", "note"]}
ROWS_A = [
    {"id": f"A{i}", "amount": Decimal(i) / 4, "day": dt.date(2024, 1, 1 + i % 28)}
    for i in range(50)
]
ROWS_B = [{"id": "B1", "note": None}, {"id": "B2", "note": 'say "hi", twice'}]


def _schema(name: str) -> Any:
    pa = pytest.importorskip("pyarrow")
    fields = {
        "id": pa.string(),
        "amount": pa.decimal128(38, 10),
        "day": pa.date32(),
        "note": pa.string(),
    }
    return pa.schema([(c, fields[c]) for c in COLUMNS[name]])


def _parts() -> list[dict[str, list[dict[str, Any]]]]:
    return [{"a": ROWS_A[:20]}, {"a": ROWS_A[20:], "b": ROWS_B[:1]}, {"b": ROWS_B[1:], "c": []}]


def test_csv_parts_make_the_whole_tables(tmp_path: pathlib.Path) -> None:
    out = TableFiles(tmp_path / "o", COLUMNS)
    for part in _parts():
        out.add(part)
    assert not (tmp_path / "o" / "a.csv").exists()  # nothing in place before the commit
    paths = out.commit()
    assert paths == [tmp_path / "o" / "a.csv", tmp_path / "o" / "b.csv"]
    assert sorted(p.name for p in (tmp_path / "o").iterdir()) == ["a.csv", "b.csv"]
    with paths[0].open(newline="", encoding="utf-8") as fp:
        got = list(csv.reader(fp))
    assert got[0] == COLUMNS["a"]
    assert got[1:] == [[csv_value(r[c]) for c in COLUMNS["a"]] for r in ROWS_A]
    assert got[3] == ["A2", "0.5", "2024-01-03"]
    with paths[1].open(newline="", encoding="utf-8") as fp:
        assert list(csv.reader(fp))[1:] == [["B1", ""], ["B2", 'say "hi", twice']]


def test_discard_leaves_the_destination_as_it_was(tmp_path: pathlib.Path) -> None:
    dest = tmp_path / "o"
    dest.mkdir()
    (dest / "a.csv").write_text("older\n")
    out = TableFiles(dest, COLUMNS)
    out.add(_parts()[0])
    out.discard()
    assert [p.name for p in dest.iterdir()] == ["a.csv"]
    assert (dest / "a.csv").read_text() == "older\n"
    fresh = tmp_path / "new" / "deeper"
    out = TableFiles(fresh, COLUMNS)
    out.discard()
    assert not fresh.exists()  # made by it, removed by it


def test_parquet_row_groups_hold_the_same_rows(tmp_path: pathlib.Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    pa = pytest.importorskip("pyarrow")

    def req(module: str) -> Any:
        return require(module, "pip install pyarrow")

    out = TableFiles(
        tmp_path, COLUMNS, format="parquet", arrow_schema=_schema, row_group_rows=16, require=req
    )
    for part in _parts():
        out.add(part)
    out.add({"b": []})
    a, b = out.commit()
    meta = pq.ParquetFile(a).metadata
    assert meta.num_rows == 50 and meta.num_row_groups > 1
    assert pq.read_table(a).equals(arrow_table(pa, _schema("a"), ROWS_A))
    assert pq.read_table(b).to_pylist() == ROWS_B

    empty = TableFiles(
        tmp_path / "e", COLUMNS, format="parquet", arrow_schema=_schema, require=req
    ).commit()
    assert pq.read_table(empty[0]).schema.equals(_schema("a"))  # no rows, the columns still
    assert pq.read_table(empty[0]).num_rows == 0


def test_refusals(tmp_path: pathlib.Path) -> None:
    with pytest.raises(ValueError, match="format"):
        TableFiles(tmp_path, COLUMNS, format="xlsx")
    with pytest.raises(ValueError, match="schema"):
        TableFiles(tmp_path, COLUMNS, format="parquet")
    pytest.importorskip("pyarrow")
    with pytest.raises(ValueError, match="does not list its columns"):
        TableFiles(
            tmp_path / "x",
            {"a": ["amount", "id", "day"]},
            format="parquet",
            arrow_schema=_schema,
            require=lambda m: require(m, ""),
        )
    assert not (tmp_path / "x").exists()


def test_csv_cells_are_csv_value_whatever_the_rows_hold(tmp_path: pathlib.Path) -> None:
    """The fast path (values handed to the csv module) writes what csv_value gives: a
    datetime (whose str is not ISO 8601) and a row lacking a column take the careful path."""
    rows = [
        {"id": "A", "amount": Decimal("1.50"), "day": dt.datetime(2024, 5, 1, 10, 30)},
        {"id": "B", "amount": None, "day": dt.date(2024, 5, 2)},
        {"id": "C", "day": dt.date(2024, 5, 3)},  # no amount
    ]
    out = TableFiles(tmp_path, {"a": COLUMNS["a"]})
    for row in rows:
        out.add({"a": [row]})
    out.add({"a": rows[:2]})
    (path,) = out.commit()
    with path.open(newline="", encoding="utf-8") as fp:
        got = list(csv.reader(fp))[1:]
    want = [[csv_value(r.get(c)) for c in COLUMNS["a"]] for r in [*rows, *rows[:2]]]
    assert got == want
    assert got[0] == ["A", "1.50", "2024-05-01T10:30:00"]


def test_a_failed_commit_leaves_the_previous_files(
    tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second new file cannot be moved into place: the first, already moved, is taken
    out again and the previous files come back, as they were; nothing else is left."""
    dest = tmp_path / "o"
    dest.mkdir()
    (dest / "a.csv").write_text("older a\n")
    (dest / "b.csv").write_text("older b\n")
    (dest / "notes.txt").write_text("not ours\n")
    out = TableFiles(dest, COLUMNS)
    for part in _parts():
        out.add(part)
    real = pathlib.Path.replace

    def failing(self: pathlib.Path, target: Any) -> pathlib.Path:
        if self.name == "b.csv" and self.parent != dest:  # the new b.csv, into place
            raise OSError(28, "No space left on device")
        return real(self, target)

    monkeypatch.setattr(pathlib.Path, "replace", failing)
    with pytest.raises(OSError, match="No space"):
        out.commit()
    monkeypatch.undo()
    assert sorted(p.name for p in dest.iterdir()) == ["a.csv", "b.csv", "notes.txt"]
    assert (dest / "a.csv").read_text() == "older a\n"
    assert (dest / "b.csv").read_text() == "older b\n"
    # and a commit that succeeds replaces both
    out = TableFiles(dest, COLUMNS)
    for part in _parts():
        out.add(part)
    out.commit()
    assert (dest / "a.csv").read_text().startswith("id,amount,day")
    assert sorted(p.name for p in dest.iterdir()) == ["a.csv", "b.csv", "notes.txt"]
