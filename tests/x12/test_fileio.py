"""Atomic output: no half-written file on failure, never over an input."""

from __future__ import annotations

import pathlib

import pytest

from x12.errors import X12Error
from x12.fileio import atomic_write_text


def test_writes_and_replaces(tmp_path: pathlib.Path) -> None:
    out = tmp_path / "out.837"
    atomic_write_text(out, "ISA~")
    atomic_write_text(out, "ISA*2~")
    assert out.read_text() == "ISA*2~"
    assert [p.name for p in tmp_path.iterdir()] == ["out.837"]


def test_refuses_to_overwrite_an_input(tmp_path: pathlib.Path) -> None:
    src = tmp_path / "in.837"
    src.write_text("original")
    with pytest.raises(X12Error, match="overwrite the input"):
        atomic_write_text(tmp_path / "." / "in.837", "new", inputs=[src])
    assert src.read_text() == "original"


def test_failure_leaves_nothing_behind(tmp_path: pathlib.Path) -> None:
    out = tmp_path / "out.837"
    out.write_text("previous")

    with pytest.raises(TypeError):
        atomic_write_text(out, 12345)  # type: ignore[arg-type]
    assert out.read_text() == "previous"
    assert [p.name for p in tmp_path.iterdir()] == ["out.837"]


def test_streamed_output_to_a_file_appears_whole_or_not_at_all(tmp_path: pathlib.Path) -> None:
    import io

    from x12.fileio import streamed_output

    target = tmp_path / "out.json"
    with streamed_output(str(target), [], io.StringIO()) as fp:
        fp.write("[1,")
        assert not target.exists()  # written beside it, renamed at the end
        fp.write(" 2]")
    assert target.read_text() == "[1, 2]"
    with pytest.raises(RuntimeError), streamed_output(str(target), [], io.StringIO()) as fp:
        fp.write("[3")
        raise RuntimeError("the read failed")
    assert target.read_text() == "[1, 2]"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]
    refused = streamed_output(str(target), [str(target)], io.StringIO())
    with pytest.raises(X12Error, match="overwrite the input"), refused:
        raise AssertionError("refused before the body runs")


def test_streamed_output_to_standard_output_only_at_the_end() -> None:
    import io

    from x12.fileio import streamed_output

    out = io.StringIO()
    with streamed_output(None, [], out) as fp:
        fp.write("x" * 3_000_000)
        assert out.getvalue() == ""
    assert out.getvalue() == "x" * 3_000_000
    out = io.StringIO()
    with pytest.raises(ValueError), streamed_output("-", [], out) as fp:
        fp.write("partial")
        raise ValueError
    assert out.getvalue() == ""
