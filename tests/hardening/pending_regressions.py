"""Regression tests for problems found by the hardening work in code owned by others.

Not collected by pytest (the file name does not start with ``test_``): each test asserts
the correct behaviour and fails today. Move a test into the owner's test module once fixed.
Run them with ``PYTHONPATH=src python -m pytest tests/hardening/pending_regressions.py``.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
from typing import Any

TS = _dt.datetime(2026, 1, 2, 3, 4)


# -- x12.envelope (owner: speed): values for the show_values switch ------------------------
def test_x12_check_show_values_names_a_stray_segment_id(tmp_path: Any) -> None:
    """`x12 check --show-values` shows the offending value only where the reader passed it
    as ``value=`` to the log; x12.envelope does not yet (SEGMENT_OUTSIDE_TRANSACTION should
    pass ``value=sid``; the patch is in the hardening report). Off, nothing shows."""
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
