"""List the denials of an 835, optionally with licensed CARC/RARC descriptions.

Run: PYTHONPATH=src python examples/list_denials.py [FILE.835] [CARC.csv] [RARC.csv]

The CSV files (``code,description``) hold text you license from X12; none ships with the
library. Without them the codes are listed alone.
"""

from __future__ import annotations

import pathlib
import sys

import edi835
from models.remittance_records import CodeDescriptions, denial_records

args = sys.argv[1:]
path = pathlib.Path(args[0] if args else pathlib.Path(__file__).parent / "sample.835")
descriptions = None
if len(args) > 1:
    descriptions = CodeDescriptions.from_csv(args[1], args[2] if len(args) > 2 else None)

with path.open("rb") as fp:
    remittances = edi835.load(fp)

for d in denial_records(remittances, descriptions):
    where = f"line {d.line_number} ({d.procedure_code})" if d.level == "line" else "whole claim"
    text = f" - {d.reason_description}" if d.reason_description else ""
    print(
        f"payer claim {d.payer_claim_number}, {where}: {d.group}-{d.reason} {d.amount}"
        f" of {d.billed}{text}; remarks {', '.join(d.remarks) or 'none'}"
    )
