"""The 837 Health Care Claim: Professional (005010X222A1): claims (typed models) written to
and read from X12, stdlib-json style.

:func:`dumps` / :func:`dump` write claims as one interchange (grouped into the HL
hierarchy, checked before a byte is written); :func:`loads` / :func:`load` read any 837P
interchange back into :class:`models.claim.Claim` objects; :func:`iter_claims` streams a
file of any size; :func:`read` also returns the submissions (BHT, submitter, receiver) and
the issues found; :func:`validate` checks a file (SNIP 1-5, located findings, a 999).
"""

from x12._guard import require_library_models

require_library_models()

from edi837.reader import (  # noqa: E402
    ReadResult,
    iter_claims,
    load,
    loads,
    read,
)
from edi837.validation import validate  # noqa: E402
from edi837.writer import (  # noqa: E402
    dump,
    dumps,
    dumps_submissions,
    group_claims,
)

__all__ = [
    "ReadResult",
    "dump",
    "dumps",
    "dumps_submissions",
    "group_claims",
    "iter_claims",
    "load",
    "loads",
    "read",
    "validate",
]
