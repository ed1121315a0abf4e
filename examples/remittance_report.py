"""Render an 835 as a readable HTML remittance (like a paper EOB) you can open or print.

Run: PYTHONPATH=src python examples/remittance_report.py [file.835]
Same from the command line: edi835 report FILE -o report.html
"""

from __future__ import annotations

import pathlib
import sys
import tempfile

import edi835
from edi835.report import write_report
from models.remittance_records import CodeDescriptions

path = pathlib.Path(
    sys.argv[1] if len(sys.argv) > 1 else pathlib.Path(__file__).parent / "sample.835"
)
remittances = edi835.loads(path.read_bytes())

# CARC/RARC texts are X12's and do not ship; if you license them, load a code,description CSV:
#   descriptions = CodeDescriptions.from_csv("carc.csv", "rarc.csv")
descriptions = CodeDescriptions()

out = pathlib.Path(tempfile.mkdtemp(prefix="x12-report-")) / "remittance.html"
write_report(remittances, out, descriptions=descriptions)
claims = sum(len(r.claims) for r in remittances)
print(f"wrote {out} ({len(remittances)} remittance(s), {claims} claims); open it in a browser")
