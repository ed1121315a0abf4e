"""X12 syntax: delimiters, tokenizer, segment writer, envelopes, locations and errors.

This package knows no transaction; the 837 and 835 packages build on it.
"""

from x12.delimiters import DEFAULT, Delimiters, detect_delimiters
from x12.errors import (
    Issue,
    IssueLog,
    Location,
    Severity,
    X12EncodingError,
    X12Error,
    X12LimitError,
    X12StructureError,
    X12SyntaxError,
    X12ValueError,
    X12WriteError,
)
from x12.tokenizer import Segment, Tokenizer, iter_segment_batches, tokenize

__all__ = [
    "DEFAULT",
    "Delimiters",
    "Issue",
    "IssueLog",
    "Location",
    "Segment",
    "Severity",
    "Tokenizer",
    "X12EncodingError",
    "X12Error",
    "X12LimitError",
    "X12StructureError",
    "X12SyntaxError",
    "X12ValueError",
    "X12WriteError",
    "detect_delimiters",
    "iter_segment_batches",
    "tokenize",
]
