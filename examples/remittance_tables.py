"""835 data as tables: CSV files (no extra needed), streamed rows, pandas DataFrames and Parquet.

Six tables with fixed columns (payments, claims, service_lines, adjustments, remarks,
provider_adjustments), each row keyed by file, ISA13, ST02 and claim. Amounts stay exact.

Run: PYTHONPATH=src python examples/remittance_tables.py [file.835]
pandas/pyarrow:  pip install "x12-claims[tables]"  (skipped with a message when missing)
"""

from __future__ import annotations

import pathlib
import sys
import tempfile
from decimal import Decimal

from edi835 import frames

path = pathlib.Path(
    sys.argv[1] if len(sys.argv) > 1 else pathlib.Path(__file__).parent / "sample.835"
)
remittances, rows = frames.read_tables(path)  # rows carry file name and control numbers
out = pathlib.Path(tempfile.mkdtemp(prefix="x12-tables-"))

# CSV needs only the standard library.
for p in frames.write_tables(rows, out, format="csv"):
    print(f"wrote {p}")

# A file too large to hold its rows: iter_rows streams the same rows, a batch of claims at a
# time (payments and PLB rows at each transaction's end); memory stays flat.
paid_by_status: dict[str, Decimal] = {}
for part in frames.iter_rows(path):
    for row in part["claims"]:
        paid_by_status[row["status"]] = paid_by_status.get(row["status"], Decimal(0)) + row["paid"]
print("paid by claim status (streamed):", {k: str(v) for k, v in sorted(paid_by_status.items())})

try:
    dfs = frames.to_frames(rows)
except ImportError as exc:
    print(f"skipping the pandas part: {exc}")
    sys.exit(0)

claims = dfs["claims"]
print(claims[["patient_control_number", "status", "charge", "paid"]].to_string(index=False))
# Money columns hold Decimal objects: sums are exact and equal the models'.
print("paid on claims:", claims["paid"].sum())
adj = dfs["adjustments"]
print(adj.groupby(["group", "reason"])["amount"].sum().to_string())

try:
    for p in frames.write_tables(rows, out, format="parquet"):
        print(f"wrote {p}")
except ImportError as exc:
    print(f"skipping Parquet: {exc}")
