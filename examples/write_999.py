"""Acknowledge an 837 or 835 with a 999 (and a TA1), then read the 999 back.

Run: PYTHONPATH=src python examples/write_999.py [FILE]
Without FILE a small 837 with one deliberate error (a wrong SE01 count) is used.
"""

from __future__ import annotations

import pathlib
import sys

from x12.ack import acknowledge, build_ta1, read_999, read_ta1
from x12.envelope import (
    GroupSpec,
    InterchangeOptions,
    TransactionSpec,
    read_interchanges,
    write_interchange,
)
from x12.errors import IssueLog
from x12.pyx12_check import validate_with_pyx12


def sample() -> str:
    body = [
        ("BHT", ["0019", "00", "BATCH1", "20240506", "0708", "CH"]),
        ("HL", ["1", "", "20", "1"]),
        ("CLM", ["PCN-001", "100", "", "", ("11", "B", "1"), "Y", "A", "Y", "Y"]),
    ]
    text = write_interchange(
        [GroupSpec("HC", "005010X222A1", [TransactionSpec("837", "005010X222A1", body)])],
        InterchangeOptions(sender_id="SUBMITTER", receiver_id="CLEARINGHOUSE"),
    )
    return text.replace("SE*5*", "SE*6*")  # break the count on purpose


def main() -> None:
    text = pathlib.Path(sys.argv[1]).read_bytes().decode("latin-1") if sys.argv[1:] else sample()
    # Findings: the envelope reader's own (added by acknowledge) plus, here, pyx12's.
    findings = validate_with_pyx12(text).findings
    ack_text = acknowledge(text, findings)
    print(ack_text.replace("~", "~\n"))
    print("pyx12 on the 999:", validate_with_pyx12(ack_text))
    for ack in read_999(ack_text):
        print(f"group {ack.group_control_number}: {ack.status!s}")
        for tx in ack.transactions:
            where = ", ".join(f"{s.segment_id}@{s.position}:{s.code}" for s in tx.segment_errors)
            print(f"  ST02 {tx.control_number}: {tx.status!s} {tx.error_codes} {where}")
    log = IssueLog()
    interchanges = read_interchanges(text, log=log)
    header = interchanges[0].header if interchanges else None
    if header is not None:
        ta1 = build_ta1(log.issues, for_interchange=header)
        print(ta1.replace("~", "~\n"))
        print(read_ta1(ta1))


if __name__ == "__main__":
    main()
