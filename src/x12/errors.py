"""The error model shared by every reader and writer of the library.

One small hierarchy (:class:`X12Error` -> syntax, structure, value errors), a :class:`Location`
that every reader error carries, and :class:`Issue` / :class:`IssueLog` for lenient reading:
a strict log raises the first error, a lenient log collects it and lets the reader go on.

Messages never contain element values (patient names, member ids, dates of birth, diagnoses).
A reader that finds a bad value records it *beside* the message (``Issue.value``,
``X12Error.value``); ``str()``, ``repr()`` and log records leave it out unless the caller asks
for values: ``IssueLog(show_values=True)`` (which every reader taking ``log=`` honours; the
command lines' ``--show-values``), or ``issue.text(show_values=True)`` for one issue.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Iterator
from typing import TextIO

import attrs

__all__ = [
    "DEFAULT_MAX_ISSUES",
    "Issue",
    "IssueLog",
    "Location",
    "NothingRead",
    "Severity",
    "X12EncodingError",
    "X12Error",
    "X12LimitError",
    "X12StructureError",
    "X12SyntaxError",
    "X12ValueError",
    "X12WriteError",
    "describe_value",
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


#: Longest value shown by :func:`describe_value` (a hostile element can be megabytes long).
MAX_SHOWN_VALUE = 80


def describe_value(value: str) -> str:
    """``value`` as an error message shows it when values are asked for: quoted with
    :func:`repr` (control characters escaped) and cut to :data:`MAX_SHOWN_VALUE` characters."""
    if len(value) > MAX_SHOWN_VALUE:
        return f"{value[:MAX_SHOWN_VALUE]!r}... ({len(value)} characters)"
    return repr(value)


def _hidden(value: object) -> str:
    """How ``repr()`` shows a recorded value: never the value itself."""
    return "None" if value is None else "<hidden>"


def _with_value(message: str, value: str | None, show_values: bool) -> str:
    if show_values and value is not None:
        return f"{message} (value {describe_value(value)})"
    return message


class X12Error(Exception):
    """Base of every error the library raises on purpose.

    ``value`` is the offending value when the raiser knows it (an element as read); it is in
    ``str(error)`` only when ``show_values`` is true (the reader's log was made with
    ``IssueLog(show_values=True)``), so that a message printed or logged by default never
    carries patient data; ``repr()`` never shows it.
    """

    def __init__(
        self,
        message: str,
        location: Location | None = None,
        code: str = "",
        value: str | None = None,
        show_values: bool = False,
    ) -> None:
        self.message = message
        self.location = location
        self.code = code or type(self).__name__
        self.value = value
        self.show_values = show_values
        super().__init__(self.__str__())

    def __str__(self) -> str:
        message = _with_value(self.message, self.value, self.show_values)
        if self.location is None:
            return message
        return f"{self.location}: {message}"

    def __repr__(self) -> str:
        where = f", {str(self.location)!r}" if self.location is not None else ""
        return f"{type(self).__name__}({self.message!r}{where}, code={self.code!r})"

    def __reduce__(self) -> tuple[object, ...]:
        return (
            type(self),
            (self.message, self.location, self.code, self.value, self.show_values),
        )


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

    def __repr__(self) -> str:
        return f"X12WriteError({self.problems!r})"

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.problems,))


class NothingRead(Exception):
    """A read gave nothing (no transaction) and recorded errors: what a command reports with
    exit code 2 (:meth:`IssueLog.report_read`)."""


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
    """One finding of a reader or validator: severity, stable code, message and location.

    ``value`` is the offending value when the reader recorded it (an element as read, a
    damaged segment id); ``message`` never contains it. ``str()`` shows it only when
    ``show_values`` is true (set by ``IssueLog(show_values=True)``); ``repr()`` never does.
    """

    severity: Severity
    code: str
    message: str
    location: Location | None = None
    kind: str = "structure"
    value: str | None = attrs.field(default=None, repr=_hidden)
    show_values: bool = attrs.field(default=False, repr=False, eq=False)

    def text(self, show_values: bool | None = None) -> str:
        """The issue as one line; ``show_values`` (default: the issue's own setting) adds
        the recorded value."""
        show = self.show_values if show_values is None else show_values
        where = f"{self.location}: " if self.location is not None else ""
        message = _with_value(self.message, self.value, show)
        return f"{self.severity.value}: {where}{message} [{self.code}]"

    def __str__(self) -> str:
        return self.text()

    def to_error(self) -> X12Error:
        """The exception a strict reader raises for this issue."""
        cls = _ERROR_CLASSES.get(self.kind, X12Error)
        return cls(self.message, self.location, self.code, self.value, self.show_values)


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

    ``show_values=True`` makes the issues recorded (and the errors raised) show in their text
    the offending value a reader passed as ``value=``; by default they show locations and
    codes only (the value is still kept on :attr:`Issue.value` for code that asks for it).
    """

    strict: bool = False
    collect: bool = False
    issues: list[Issue] = attrs.field(factory=list)
    max_issues: int | None = DEFAULT_MAX_ISSUES
    show_values: bool = False

    def report(
        self,
        code: str,
        message: str,
        location: Location | None = None,
        *,
        severity: Severity = Severity.ERROR,
        kind: str = "structure",
        value: str | None = None,
    ) -> None:
        """Record one issue (raise it when strict and an error). ``message`` must not hold
        data values: pass the offending value as ``value``, shown only when asked for."""
        issue = Issue(severity, code, message, location, kind, value, self.show_values)
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
        self,
        code: str,
        message: str,
        location: Location | None = None,
        kind: str = "structure",
        *,
        value: str | None = None,
    ) -> None:
        """A common deviation: an error when strict, else a warning."""
        severity = Severity.ERROR if self.strict else Severity.WARNING
        self.report(code, message, location, severity=severity, kind=kind, value=value)

    def warn(
        self, code: str, message: str, location: Location | None = None, *, value: str | None = None
    ) -> None:
        self.report(code, message, location, severity=Severity.WARNING, value=value)

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity is Severity.ERROR]

    def report_read(self, path: str, count: int, what: str, err: TextIO) -> None:
        """What a command does after reading ``path``: print :meth:`summary` to ``err``, and
        raise :class:`NothingRead` (``"PATH: no WHAT could be read"``) when the read gave
        nothing (``count`` is 0) and recorded errors."""
        for line in self.summary(path):
            print(line, file=err)
        if not count and self.errors:
            raise NothingRead(f"{path}: no {what} could be read")

    def summary(self, path: str, shown: int = 20) -> list[str]:
        """The lines a command prints after reading ``path``: the count, the first ``shown``
        issues (indented), and how many more there are; none when there are no issues."""
        if not self.issues:
            return []
        lines = [f"{len(self.issues)} issue(s) while reading {path}:"]
        lines += [f"  {issue}" for issue in self.issues[:shown]]
        if len(self.issues) > shown:
            lines.append(f"  ... and {len(self.issues) - shown} more")
        return lines

    def __iter__(self) -> Iterator[Issue]:
        return iter(self.issues)

    def __len__(self) -> int:
        return len(self.issues)
