"""Which 837 guide is read and written by which functions: the dispatch table behind
:func:`edi837.institutional_reader.loads_any` / :func:`edi837.institutional_writer.dumps_any`
and the package-level API.

An :class:`Entry` names its functions as ``"module:attribute"`` strings, imported on first
use, so registering a guide costs nothing until it is used (and no import cycle can form).
To add a guide, add one entry to :data:`GUIDES` (or call :func:`register` at import time of a
module that is imported anyway)::

    GUIDES["005010X224"] = Entry(
        kind="dental",
        prefix="005010X224",
        claim_class="models.dental:DentalClaim",
        iter_submissions="edi837.dental_reader:iter_dental_submissions",
        dumps="edi837.dental_writer:dumps_dental",
        skip_code="NOT_837D_5010",
    )

``iter_submissions(source, *, strict, log)`` yields one submission (with ``.claims``) per
transaction of its guide and reports the others with ``skip_code``; ``dumps(claims, **kw)``
writes one interchange of its guide.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

import attrs

__all__ = ["GUIDES", "Entry", "entry_for_claim", "entry_for_implementation", "register"]


@attrs.frozen
class Entry:
    """One 837 guide: its kind, ST03/GS08 prefix and the functions that read and write it."""

    kind: str  # "professional", "institutional", "dental"
    prefix: str  # ST03/GS08 prefix read by this entry ("005010X222" reads X222, X222A1...)
    claim_class: str  # "module:Class" of the claims this guide holds
    iter_submissions: str  # "module:function" (source, *, strict, log) -> Iterator[submission]
    dumps: str  # "module:function" (claims, **kw) -> str
    skip_code: str  # the issue code the reader reports for another guide's transactions
    #: "module:Class" of the transaction's model (submitter, receiver, BHT, claims)
    submission_class: str = attrs.field(default="", kw_only=True)
    #: "module:function" (submissions, *, usage, timestamp, sender_id, receiver_id) -> str
    dumps_submissions: str = attrs.field(default="", kw_only=True)
    #: module of the synthetic-data generator: generate(count, seed, every_loop=), submitter(),
    #: receiver() (the command line's ``fake --type``)
    fake: str = attrs.field(default="", kw_only=True)

    def load(self, attribute: str) -> Any:
        """The object named by one of this entry's ``module:attribute`` fields."""
        module, _, name = str(getattr(self, attribute)).partition(":")
        return getattr(importlib.import_module(module), name)

    def reader(self) -> Callable[..., Any]:
        fn: Callable[..., Any] = self.load("iter_submissions")
        return fn

    def writer(self) -> Callable[..., str]:
        fn: Callable[..., str] = self.load("dumps")
        return fn

    def claim_type(self) -> type:
        cls: type = self.load("claim_class")
        return cls


#: ST03/GS08 prefix -> entry (the longest matching prefix wins)
GUIDES: dict[str, Entry] = {
    "005010X222": Entry(
        "professional",
        "005010X222",
        "models.claim:Claim",
        "edi837.reader:iter_submissions",
        "edi837.writer:dumps",
        "NOT_837P_5010",
        submission_class="models.claim:Submission",
        dumps_submissions="edi837.writer:dumps_submissions",
        fake="edi837.fake",
    ),
    "005010X223": Entry(
        "institutional",
        "005010X223",
        "models.institutional:InstitutionalClaim",
        "edi837.institutional_reader:iter_institutional_submissions",
        "edi837.institutional_writer:dumps_institutional",
        "NOT_837I_5010",
        submission_class="models.institutional:InstitutionalSubmission",
        dumps_submissions="edi837.institutional_writer:dumps_institutional_submissions",
        fake="edi837.fake_institutional",
    ),
    "005010X224": Entry(
        "dental",
        "005010X224",
        "models.dental:DentalClaim",
        "edi837.dental_reader:iter_dental_submissions",
        "edi837.dental_writer:dumps_dental",
        "NOT_837D_5010",
        submission_class="models.dental:DentalSubmission",
        dumps_submissions="edi837.dental_writer:dumps_dental_submissions",
        fake="edi837.fake_dental",
    ),
}


def register(entry: Entry) -> None:
    """Add (or replace) the entry for ``entry.prefix``."""
    GUIDES[entry.prefix] = entry


def entry_for_implementation(implementation: str) -> Entry | None:
    """The entry reading ``implementation`` (ST03/GS08), or None."""
    best: Entry | None = None
    for prefix, entry in GUIDES.items():
        if implementation.startswith(prefix) and (best is None or len(prefix) > len(best.prefix)):
            best = entry
    return best


def entry_for_claim(claim: object) -> Entry | None:
    """The entry whose claim class ``claim`` is an instance of, or None."""
    for entry in GUIDES.values():
        try:
            cls = entry.claim_type()
        except (ImportError, AttributeError):
            continue
        if isinstance(claim, cls):
            return entry
    return None
