"""The error model shared by every reader and writer of the library.

One small hierarchy (:class:`X12Error` -> syntax, structure, value errors), a :class:`Location`
that every reader error carries, and :class:`Issue` / :class:`IssueLog` for lenient reading:
a strict log raises the first error, a lenient log collects it and lets the reader go on.

Messages never contain element values (patient names, member ids, dates of birth, diagnoses)
unless the caller asks for them with ``show_values=True`` where an API offers it.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Iterator

import attrs

__all__ = [
    "DEFAULT_MAX_ISSUES",
    "Issue",
    "IssueLog",
    "Location",
    "Severity",
    "X12EncodingError",
    "X12Error",
    "X12LimitError",
    "X12StructureError",
    "X12SyntaxError",
    "X12ValueError",
    "X12WriteError",
]


_SEGMENT_ID = re.compile(r"[A-Za-z0-9]{1,3}")


def _safe_segment_id(value: str | None) -> str | None:
    if value is None or _SEGMENT_ID.fullmatch(value):
        return value
    return "?"


@attrs.frozen(slots=True)
class Location:
    """Where in an interchange something was found.

    ``segment_index`` counts segments from 1 at the ISA of the text being read (the way 999
    IK301/IK302 positions are counted within a transaction are derived from it by readers that
    need them); ``offset`` is the character offset of the segment's first character in the
    decoded text. ``element`` and ``component`` are 1-based like the guide's reference
    designators (CLP02 is element 2).
    """

    segment_index: int | None = None
    #: A segment id as read; anything that is not 1-3 letters or digits (a damaged file
    #: can put any data, a patient's name included, where an id belongs) is kept as
    #: ``"?"`` so that locations never carry data values.
    segment_id: str | None = attrs.field(default=None, converter=_safe_segment_id)
    loop: str | None = None
    element: int | None = None
    component: int | None = None
    offset: int | None = None
    transaction: str | None = None

    def __str__(self) -> str:
        parts: list[str] = []
        if self.segment_index is not None:
            seg = f"segment {self.segment_index}"
            if self.segment_id:
                seg += f" ({self.segment_id})"
            parts.append(seg)
        elif self.segment_id:
            parts.append(f"segment {self.segment_id}")
        if self.loop:
            parts.append(f"loop {self.loop}")
        if self.element is not None:
            parts.append(f"element {self.element:02d}")
        if self.component is not None:
            parts.append(f"component {self.component}")
        if self.offset is not None:
            parts.append(f"offset {self.offset}")
        if self.transaction:
            parts.insert(0, f"transaction {self.transaction}")
        return ", ".join(parts) if parts else "unknown location"

    def with_element(self, element: int | None, component: int | None = None) -> Location:
        """The same place, narrowed to one element (and component)."""
        return attrs.evolve(self, element=element, component=component)


class X12Error(Exception):
    """Base of every error the library raises on purpose."""

    def __init__(self, message: str, location: Location | None = None, code: str = "") -> None:
        self.message = message
        self.location = location
        self.code = code or type(self).__name__
        super().__init__(self.__str__())

    def __str__(self) -> str:
        if self.location is None:
            return self.message
        return f"{self.location}: {self.message}"

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.message, self.location, self.code))


class X12SyntaxError(X12Error):
    """The text is not well-formed X12 (no ISA, bad delimiters, unterminated segment...)."""


class X12EncodingError(X12SyntaxError):
    """The bytes cannot be decoded in the encoding given or detected."""


class X12LimitError(X12SyntaxError):
    """A configured limit (segment length, element count...) was exceeded."""


class X12StructureError(X12Error):
    """Segments are well-formed but in the wrong order, count or envelope."""


class X12ValueError(X12Error):
    """An element holds a value the guide does not allow (bad code, date, amount...)."""


class X12WriteError(X12ValueError):
    """A writer refused to write a model it cannot write faithfully.

    ``problems`` lists every ``(field_path, message)`` found, e.g.
    ``("claims[3].service_lines[0].charge", "must not be negative")``; nothing was written.
    """

    def __init__(self, problems: Iterable[tuple[str, str]]) -> None:
        self.problems: list[tuple[str, str]] = list(problems)
        lines = [f"{path}: {msg}" for path, msg in self.problems]
        count = len(self.problems)
        head = f"refused to write: {count} problem{'s' if count != 1 else ''}"
        super().__init__(head + ("\n  " + "\n  ".join(lines) if lines else ""))

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.problems,))


class Severity(enum.StrEnum):
    """How bad an :class:`Issue` is."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


_ERROR_CLASSES: dict[str, type[X12Error]] = {
    "syntax": X12SyntaxError,
    "structure": X12StructureError,
    "value": X12ValueError,
}


@attrs.frozen(slots=True)
class Issue:
    """One finding of a reader or validator: severity, stable code, message and location."""

    severity: Severity
    code: str
    message: str
    location: Location | None = None
    kind: str = "structure"

    def __str__(self) -> str:
        where = f"{self.location}: " if self.location is not None else ""
        return f"{self.severity.value}: {where}{self.message} [{self.code}]"

    def to_error(self) -> X12Error:
        """The exception a strict reader raises for this issue."""
        cls = _ERROR_CLASSES.get(self.kind, X12Error)
        return cls(self.message, self.location, self.code)


#: Default :attr:`IssueLog.max_issues`: far above what any real file produces.
DEFAULT_MAX_ISSUES = 1_000_000


@attrs.define(slots=True)
class IssueLog:
    """Collects issues; in strict mode the first error is raised instead.

    Warnings are always collected, never raised. A *deviation* (:meth:`deviation`) is what
    payers' files commonly get wrong without harm to the data (a wrong SE01 count, an unpadded
    ISA): an error when ``strict``, a warning otherwise. ``collect=True`` keeps strict
    severities but collects errors instead of raising (what a checker wants).

    ``max_issues`` bounds the memory a hostile input can make a lenient reader spend on
    findings: recording one more than that raises :class:`X12LimitError` (code
    ``TOO_MANY_ISSUES``) located at the issue that crossed the limit. ``None``: no limit.
    """

    strict: bool = False
    collect: bool = False
    issues: list[Issue] = attrs.field(factory=list)
    max_issues: int | None = DEFAULT_MAX_ISSUES

    def report(
        self,
        code: str,
        message: str,
        location: Location | None = None,
        *,
        severity: Severity = Severity.ERROR,
        kind: str = "structure",
    ) -> None:
        issue = Issue(severity, code, message, location, kind)
        if self.strict and not self.collect and severity is Severity.ERROR:
            raise issue.to_error()
        if self.max_issues is not None and len(self.issues) >= self.max_issues:
            raise X12LimitError(
                f"more than max_issues={self.max_issues} issues were found "
                f"(the last one: {code}); the input is too damaged to read",
                location,
                "TOO_MANY_ISSUES",
            )
        self.issues.append(issue)

    def deviation(
        self, code: str, message: str, location: Location | None = None, kind: str = "structure"
    ) -> None:
        """A common deviation: an error when strict, else a warning."""
        severity = Severity.ERROR if self.strict else Severity.WARNING
        self.report(code, message, location, severity=severity, kind=kind)

    def warn(self, code: str, message: str, location: Location | None = None) -> None:
        self.report(code, message, location, severity=Severity.WARNING)

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity is Severity.ERROR]

    def __iter__(self) -> Iterator[Issue]:
        return iter(self.issues)

    def __len__(self) -> int:
        return len(self.issues)
