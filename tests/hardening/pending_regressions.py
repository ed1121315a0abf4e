"""Regression tests for problems found by the hardening work in code owned by others.

Not collected by pytest (the file name does not start with ``test_``): each test asserts
the correct behaviour and fails today. Move a test into the owner's test module once fixed.
Run them with ``PYTHONPATH=src python -m pytest tests/hardening/pending_regressions.py``.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import io
import pathlib
from typing import Any

import pytest
from _fields import dotted, replace, string_fields

from x12.errors import X12WriteError

TS = _dt.datetime(2026, 1, 2, 3, 4)


# -- edi835.cli (owner: 835) ---------------------------------------------------------------
def test_edi835_parse_of_an_empty_file_exits_non_zero(tmp_path: pathlib.Path) -> None:
    """`edi835 parse empty.835` prints an empty table and exits 0 (the reader now records
    EMPTY_INPUT as an error; the CLI prints it but still exits 0). `x12 check` exits 1."""
    from edi835.cli import main

    path = tmp_path / "empty.835"
    path.write_bytes(b"")
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(["parse", str(path)])
    assert code != 0
    assert "offset 0" in err.getvalue()


# -- edi835.writer (owner: 835) ------------------------------------------------------------
def test_835_write_errors_name_the_field_path() -> None:
    """Refusals name 'remittances[0], body segment 35 (LQ02)' instead of the field path
    'remittances[0].groups[0].claims[1].services[0].remarks[0].code' (276 of 282 fields)."""
    from edi835.fake import adjudicate, synthetic_claims
    from edi835.writer import dumps

    rem = adjudicate(synthetic_claims(2, seed=1), seed=1)
    missing = []
    for path in string_fields(rem):
        try:
            dumps([replace(rem, path, "A~NM1*QC*1*FORGED")], timestamp=TS)
        except X12WriteError as exc:
            want = f"remittances[0].{dotted(path)}"
            if not any(p == want for p, _ in exc.problems):
                missing.append((want, [p for p, _ in exc.problems]))
        except (ValueError, TypeError):
            continue
    assert not missing, missing[:5]


# -- edi837.writer (owner: 837P) -----------------------------------------------------------
def _837(claims: list[Any]) -> str:
    import edi837
    from edi837.fake import receiver, submitter

    text: str = edi837.dumps(claims, submitter=submitter(), receiver=receiver(), timestamp=TS)
    return text


def test_837_write_errors_name_the_field_path() -> None:
    """Refusals name 'transaction segment 29 (CLM01)' for claims[0].id, 'transaction
    segment 8 (NM103)' for claims[0].billing_provider.name, or just 'claims[0]'."""
    from edi837.fake import generate

    claim = generate(1, seed=2, every_loop=True)[0]
    missing = []
    for path in string_fields(claim):
        try:
            _837([replace(claim, path, "A~NM1*QC*1*FORGED")])
        except X12WriteError as exc:
            want = f"claims[0].{dotted(path)}"
            if not any(p == want for p, _ in exc.problems):
                missing.append((want, [p for p, _ in exc.problems]))
        except (ValueError, TypeError):
            continue
    assert not missing, missing[:5]


@pytest.mark.parametrize(
    "field",
    ["rendering_provider", "referring_providers", "supervising_provider", "service_facility"],
)
def test_837_writer_does_not_silently_drop_a_set_tax_id_type(field: str) -> None:
    """Setting `tax_id_type` on these providers (even to 'A~NM1*QC*1*FORGED') writes the
    claim without error and without the value: the value is silently dropped (no injection,
    but silent loss). The writer should refuse a value it cannot write."""
    from edi837.fake import generate

    claim = generate(1, seed=2, every_loop=True)[0]
    paths = [p for p in string_fields(claim) if p[0] == field and p[-1] == "tax_id_type"]
    assert paths, f"the fake claim has no {field}"
    with pytest.raises(X12WriteError):
        _837([replace(claim, paths[0], "A~NM1*QC*1*FORGED")])
