"""Regression tests for problems found by the hardening work in code owned by others.

Not collected by pytest (the file name does not start with ``test_``): each test asserts
the correct behaviour and fails today. Move a test into the owner's test module once fixed.
Run them with ``PYTHONPATH=src python -m pytest tests/hardening/pending_regressions.py``.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
from typing import Any

import pytest
from _fields import dotted, replace, string_fields

from x12.errors import IssueLog, X12Error, X12WriteError

TS = _dt.datetime(2026, 1, 2, 3, 4)


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


@pytest.mark.parametrize("bad_id", ["NM1*QC", "NTE~NM1", "SE"])
def test_837_writer_refuses_a_kept_segment_id_that_forges_segments(bad_id: str) -> None:
    """An UnmappedSegment's id is written as is (x12.segment.format_segment checks only the
    elements): ``UnmappedSegment("NTE~NM1", ((("QC",),),))`` on a claim writes a forged
    ``NM1*QC`` segment. The writer (or format_segment) should refuse it by field path
    (``claims[0].unmapped[0].id``), as the 835 writer does."""
    import attrs

    from edi837.fake import generate
    from models.common import UnmappedSegment

    claim = generate(1, seed=2)[0]
    claim = attrs.evolve(claim, unmapped=(UnmappedSegment(bad_id, ((("QC",),),)),))
    with pytest.raises(X12WriteError) as info:
        _837([claim])
    assert "claims[0].unmapped[0].id" in [p for p, _ in info.value.problems]


# -- x12.envelope (owner: speed): values for the show_values switch ------------------------
def test_x12_check_show_values_names_a_stray_segment_id(tmp_path: Any) -> None:
    """`x12 check --show-values` shows the offending value only where the reader passed it
    as ``value=`` to the log; x12.envelope does not yet (SEGMENT_OUTSIDE_TRANSACTION should
    pass ``value=sid``; the patch is in the hardening report). Off, nothing shows."""
    import contextlib
    import io

    from edi835.fake import adjudicate, synthetic_claims
    from edi835.writer import dumps
    from x12.cli import main

    text = dumps([adjudicate(synthetic_claims(1, seed=1), seed=1)], timestamp=TS)
    segs = text.split("~")
    segs.insert(2, "ZZPHISENTINEL*1")
    path = tmp_path / "stray.835"
    path.write_text("~".join(segs))
    shown = {}
    for flag in ([], ["--show-values"]):
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            assert main(["check", *flag, str(path)]) == 1
        shown[bool(flag)] = "ZZPHISENTINEL" in out.getvalue()
    assert shown == {False: False, True: True}


# -- x12.ack (owner: acknowledgments) ------------------------------------------------------
def test_read_999_with_a_huge_number_raises_only_x12_errors() -> None:
    """Found by tools/fuzz.py (999 target): x12/ack.py _opt_int calls int() on an element of
    5,000 digits, and Python refuses integer strings over 4,300 digits with a ValueError,
    which escapes read_999 (AK904 here)."""
    from x12 import ack

    data = (
        "ISA*00*          *00*          *ZZ*EMEDNYBAT      *ZZ*ETIN           "
        "*110311*0521*^*00501*052127406*0*P*|~GS*FA*EMEDNYBAT*ABCD*20110311*0521*52127406*X"
        "*005010X231A1~ST*999*4001*005010X231A1~AK1*HC*28*005010X223A2~AK2*837*0028~IK5*A~"
        "AK9*A*1*1*" + "9" * 5000 + "~SE*6*4001~GE*1*52127406~IEA*1*052127406~"
    ).encode()
    log = IssueLog(strict=False)
    with contextlib.suppress(X12Error):
        ack.read_999(data, log=log)
