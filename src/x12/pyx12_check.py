"""pyx12 as an external judge: run its implementation-guide validation, collect every error.

pyx12 4.0.0's ``x12n_document`` returns only a bool. Its errors live in an error tree
(interchange -> group -> transaction -> segment -> element) that only its visitors see, and the
visitors it ships drop element errors on the envelope segments (ISA, GS, ST, SE, GE, IEA: the
tree files those on the ISA/GS/ST nodes' ``elements``, which no ``accept`` walks), give a line
number but not which segment an IEA error is about, and print element values into messages.

:func:`validate_with_pyx12` runs pyx12's own ``x12n_document`` in process on a text, with one
change: the error handler it builds is :class:`_RecordingHandler`, a subclass of pyx12's
``err_handler`` that files every error in pyx12's tree exactly as before (so pyx12's verdict is
its own) and also records it, when it is raised, with the segment being read (pyx12's segment
counter counts segments from 1 at the ISA, like :class:`x12.errors.Location`). The substitution
is made in a private copy of the function (its globals see a ``pyx12`` whose ``error_handler``
and ``x12file`` are overlaid), so nothing global is patched and calls may run in threads.

A visitor of our own (:class:`_TreeAudit`) then walks the finished tree, envelope elements
included, and reports anything in it the handler did not see (nothing, with pyx12 4.0.0).

Messages keep pyx12's wording with the element values it quotes replaced by ``<value>``
(files carry patient data). pyx12's loggers are switched off during a call, nothing is
printed and no file is written. Codes are ``pyx12:<pyx12's error code>`` ("pyx12:7": a bad
code value, "pyx12:4" at an SE: a wrong SE01 count...), and the judge's own:

- ``pyx12:no-map``: a version pyx12 has no map for (837D 005010X224A2, 837P X222A2, ...);
  pyx12 stops at that GS.
- ``pyx12:not-x12``: pyx12's reader refused the text (no ISA at the start, short ISA, ISA12
  other than 00401/00501).
- ``pyx12:crash``: an exception inside pyx12 (its type, and where in pyx12).
- ``pyx12:unread``: pyx12 stopped before the end of the text (it ends at an empty segment and
  ignores what follows the last terminator) without saying so.
- ``pyx12:rejected``: pyx12 said no without an error (not seen so far).

``Pyx12Report.ok`` is pyx12's verdict. pyx12 loses some of its own errors from the tree that
makes that verdict (segment errors raised on an envelope segment or before the first ST: the
handler keeps them), so a text *passes* when ``report.passed`` (ok and no findings).

Speed: pyx12 checks 6,000 (837P) to 10,000 (835) segments a second, and loads its map on
every call (0.16 s for 837P and 837I, 0.03 s for 835): a small file costs 0.05-0.3 s. The
recording adds a few percent.
"""

from __future__ import annotations

import io
import logging
import re
import threading
import types
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import attrs

from x12.encoding import decode_bytes
from x12.errors import Issue, Location, Severity, X12Error

try:  # pyx12 is untyped: everything taken from it is Any.
    import pyx12
    import pyx12.error_handler
    import pyx12.errors
    import pyx12.params
    import pyx12.x12file
    import pyx12.x12n_document

    _PYX12_VERSION: str | None = str(getattr(pyx12, "__version__", "unknown"))
except ImportError:  # pragma: no cover - pyx12 is a dependency
    _PYX12_VERSION = None

__all__ = ["Pyx12Report", "pyx12_available", "pyx12_version", "validate_with_pyx12"]

#: What replaces an element value that pyx12 put into a message.
MASK = "<value>"


def pyx12_available() -> bool:
    """True when pyx12 can be imported (the judge can run)."""
    return _PYX12_VERSION is not None


def pyx12_version() -> str | None:
    """The installed pyx12's version ("4.0.0"), or None when it is missing."""
    return _PYX12_VERSION


@attrs.frozen
class Pyx12Report:
    """What pyx12 said about one text.

    ``ok`` is pyx12's own verdict (``x12n_document``'s return value, False when it could not
    run). ``findings`` holds every error pyx12 raised, located, plus the judge's own
    ``pyx12:*`` findings when pyx12 could not finish (no map, not X12, crash) or did not read
    the whole text. A text passes when ``passed``: pyx12 said ok and nothing was found.
    ``segments`` is how many segments pyx12 read.
    """

    ok: bool
    findings: list[Issue] = attrs.field(factory=list)
    segments: int = 0

    @property
    def errors(self) -> list[Issue]:
        return [f for f in self.findings if f.severity is Severity.ERROR]

    @property
    def passed(self) -> bool:
        return self.ok and not self.errors

    @property
    def codes(self) -> list[str]:
        return [f.code for f in self.findings]

    def __str__(self) -> str:
        if not self.findings:
            return "pyx12: ok, no findings" if self.ok else "pyx12: rejected, no findings"
        return "\n".join(str(f) for f in self.findings)


# --------------------------------------------------------------------------------------------
# Masking the values pyx12 writes into its messages.
#
# Every pyx12 4.0.0 message that quotes data from the file, as a template: {v} is a value from
# the file (masked), {k} text kept (map names, reference designators, pyx12's own counts),
# {id} a segment id (kept). Templates are matched against the whole message, in order.
_TEMPLATES: tuple[str, ...] = (
    # pyx12/x12file.py
    'Segment "{v}" is empty',
    'Segment identifier "{v}" is invalid',
    "{id} Interchange Control Number {v} not unique within file",
    "My HL count {k} does not match your HL count {v}",
    "HL parent ({v}) is not a valid parent",
    "Your 2400/LX01 Service Line Number {v} does not match my count of {k}",
    "IEA id={v} does not match ISA id={v}",
    "IEA count for IEA02={v} is wrong",
    "Unterminated segment {v}",
    "GE id={v} does not match GS id={v}",
    "GE count of {v} for GE02={v} is wrong. I count {k}",
    "SE id={v} does not match ST id={v}",
    "SE count of {v} for SE02={v} is wrong. I count {k}",
    'Mandatory segment "{k}" ({id}={v}) missing',
    "The ISA segment must have 16 elements ({v})",
    # pyx12/rawx12file.py
    "First line does not begin with 'ISA': {v}",
    "ISA Interchange Control Version Number is unknown: {v} for {v}",
    # pyx12/map_walker.py (the segment id is put back by mask_values when it is one)
    "Segment {v} not found.  Started at {k}",
    # pyx12/map_if/_element.py
    'Data element "{k}" ({k}) is too short: len("{v}") = {k} < {k} (min_len)',
    'Data element "{k}" ({k}) is too long: len("{v}") = {k} > {k} (max_len)',
    'Data element "{k}" ({k}), contains an invalid control character({v})',
    'Data element "{k}" ({k}) has unnecessary trailing spaces. ({v})',
    'Data element "{k}" ({k}) contains an invalid date ({v})',
    'Data element "{k}" ({k}) contains an invalid time ({v})',
    'Data element "{k}" ({k}) is type {k}, contains an invalid character({v})',
    'Data element "{k}" with a value of ({v}) failed to match the regular expression "{k}"',
    "({v}) is not a valid code for {k} ({k})",
)

_PLACEHOLDER = re.compile(r"\{(v|k|id)\}")
_GROUPS = {"v": "(.*?)", "k": "(.*?)", "id": "([A-Z][A-Z0-9]{1,2})"}


def _compile(template: str) -> tuple[re.Pattern[str], tuple[bool, ...]]:
    parts: list[str] = []
    masked: list[bool] = []
    pos = 0
    for m in _PLACEHOLDER.finditer(template):
        parts.append(re.escape(template[pos : m.start()]))
        parts.append(_GROUPS[m.group(1)])
        masked.append(m.group(1) == "v")
        pos = m.end()
    parts.append(re.escape(template[pos:]))
    return re.compile("".join(parts), re.DOTALL), tuple(masked)


_COMPILED = tuple(_compile(t) for t in _TEMPLATES)
_SEGMENT_ID = re.compile(r"[A-Z][A-Z0-9]{1,2}")


def mask_values(message: str, value: str | None = None) -> str:
    """pyx12's message with the element values it quoted replaced by ``<value>``.

    Known message shapes are rewritten group by group; in any other message the value pyx12
    reported with the error (``value``) is masked wherever it stands quoted, in parentheses or
    after ``=``.
    """
    for pattern, masked in _COMPILED:
        m = pattern.fullmatch(message)
        if m is None:
            continue
        out: list[str] = []
        pos = 0
        for i, is_masked in enumerate(masked, start=1):
            out.append(message[pos : m.start(i)])
            out.append(MASK if is_masked else m.group(i))
            pos = m.end(i)
        out.append(message[pos:])
        masked_message = "".join(out)
        if message.startswith("Segment ") and masked_message.startswith(f"Segment {MASK} not"):
            # "Segment NM1*<value> not found": the id is kept when it looks like one.
            seg_id = m.group(1).split("*", 1)[0]
            if _SEGMENT_ID.fullmatch(seg_id):
                masked_message = masked_message.replace(MASK, f"{seg_id}*{MASK}", 1)
        return masked_message
    if value:
        for left, right in (('"', '"'), ("(", ")"), ("=", "")):
            message = message.replace(f"{left}{value}{right}", f"{left}{MASK}{right}")
    return message


# --------------------------------------------------------------------------------------------
# Collecting.


@attrs.define
class _Raw:
    """One error as pyx12 raised it, with where pyx12 was when it raised it."""

    level: str  # isa, gs, st, seg, ele (the err_handler method it came through)
    code: str
    message: str
    value: str | None
    index: int | None
    at_end: bool = False
    element: int | None = None
    component: int | None = None
    segment_id: str | None = None
    loop: str | None = None


# After the last segment pyx12 checks for missing trailers; those errors name the trailer.
_TRAILER = {"st": "SE", "gs": "GE", "isa": "IEA"}
_CLEANUP_CODES = frozenset({("st", "2"), ("gs", "3"), ("isa", "023")})


class _Collector:
    """Shared by the handler, the reader wrapper and the per-segment callback of one run."""

    def __init__(self) -> None:
        self.raw: list[_Raw] = []
        self.src: Any = None
        self.reader_error: str | None = None
        self.handler: Any = None
        # segment index -> (segment id, pyx12 loop id), filled after pyx12 checked a segment
        self.seen: dict[int, tuple[str | None, str | None]] = {}
        self.last_done = 0
        self.ele_node: Any = None

    def current_index(self) -> int | None:
        if self.src is None:
            return None
        try:
            return int(self.src.get_cur_line())
        except Exception:
            return None

    def record(
        self,
        level: str,
        code: Any,
        message: Any,
        value: Any = None,
        src_line: Any = None,
    ) -> None:
        index = src_line if isinstance(src_line, int) and src_line > 0 else self.current_index()
        # Errors for segment N are raised before pyx12 is done with N; one raised when N is
        # already done and no new segment was read comes from the end-of-text cleanup.
        # The cleanup's errors are the missing-trailer ones; any other error arriving then is
        # one pyx12 queued while reading the last segment and reports late.
        at_end = (
            src_line is None
            and index is not None
            and index <= self.last_done
            and (level, str(code)) in _CLEANUP_CODES
        )
        raw = _Raw(
            level,
            str(code),
            str(message),
            None if value is None else str(value),
            None if at_end else index,
            at_end=at_end,
        )
        if at_end:
            raw.segment_id = _TRAILER.get(level)
        if level == "ele" and self.ele_node is not None:
            raw.element, raw.component = _element_position(self.ele_node)
        self.raw.append(raw)

    def segment_done(self, seg: Any, src: Any, node: Any, valid: Any) -> None:
        """pyx12's per-segment callback: remember which segment and loop each index is."""
        self.src = src
        index = int(src.get_cur_line())
        self.seen[index] = (_seg_id(seg), _loop_id(node))
        self.last_done = index


def _seg_id(seg: Any) -> str | None:
    try:
        seg_id = seg.get_seg_id()
    except Exception:
        return None
    return seg_id if isinstance(seg_id, str) and seg_id else None


def _loop_id(node: Any) -> str | None:
    try:
        parent = node.get_parent()
        while parent is not None and not parent.is_loop():
            if parent.is_map_root():
                return None
            parent = parent.get_parent()
        return None if parent is None else str(parent.id)
    except Exception:
        return None


def _element_position(map_node: Any) -> tuple[int | None, int | None]:
    """(element, component), 1-based, of an element node of pyx12's map."""
    try:
        parent = map_node.parent
        if parent is not None and parent.is_composite():
            return int(parent.seq), int(map_node.seq)
        return int(map_node.seq), None
    except Exception:
        return None, None


if _PYX12_VERSION is not None:

    class _RecordingHandler(pyx12.error_handler.err_handler):  # type: ignore[misc]
        """pyx12's error handler, unchanged, that also tells a collector about every error.

        Every error pyx12 reports passes through one of these five methods: ``handle_errors``
        (the reader's errors) dispatches to ``isa_error``/``gs_error``/``st_error``/
        ``seg_error``; the map walker calls ``seg_error``; segment validation calls
        ``seg_error`` and ``add_ele`` + ``ele_error``. Envelope element errors (on ISA, GS,
        ST, SE, GE, IEA) come through ``ele_error`` too, so none is lost here.
        """

        def __init__(self, collector: _Collector) -> None:
            super().__init__()
            self._collector = collector

        def add_isa_loop(self, seg_data: Any, src: Any) -> None:
            self._collector.src = src
            super().add_isa_loop(seg_data, src)

        def add_ele(self, map_node: Any) -> None:
            self._collector.ele_node = map_node
            super().add_ele(map_node)

        def isa_error(self, err_cde: Any, err_str: Any) -> None:
            self._collector.record("isa", err_cde, err_str)
            super().isa_error(err_cde, err_str)

        def gs_error(self, err_cde: Any, err_str: Any) -> None:
            self._collector.record("gs", err_cde, err_str)
            super().gs_error(err_cde, err_str)

        def st_error(self, err_cde: Any, err_str: Any) -> None:
            self._collector.record("st", err_cde, err_str)
            super().st_error(err_cde, err_str)

        def seg_error(
            self, err_cde: Any, err_str: Any, err_value: Any = None, src_line: Any = None
        ) -> None:
            self._collector.record("seg", err_cde, err_str, err_value, src_line)
            super().seg_error(err_cde, err_str, err_value, src_line)

        def ele_error(self, err_cde: Any, err_str: Any, bad_value: Any, refdes: Any = None) -> None:
            self._collector.record("ele", err_cde, err_str, bad_value)
            super().ele_error(err_cde, err_str, bad_value, refdes)


class _Overlay:
    """A stand-in for a module: the given attributes, the module's for the rest."""

    def __init__(self, module: Any, **overrides: Any) -> None:
        self._module = module
        self.__dict__.update(overrides)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._module, name)


def _private_x12n_document(collector: _Collector) -> Callable[..., Any]:
    """pyx12's ``x12n_document``, whose error handler and reader report to ``collector``."""

    def make_handler() -> Any:
        collector.handler = _RecordingHandler(collector)
        return collector.handler

    def open_reader(src_file: Any) -> Any:
        try:
            reader = pyx12.x12file.X12Reader(src_file)
        except pyx12.errors.X12Error as exc:
            collector.reader_error = str(exc)
            raise
        collector.src = reader
        return reader

    package = _Overlay(
        pyx12,
        error_handler=_Overlay(pyx12.error_handler, err_handler=make_handler),
        x12file=_Overlay(pyx12.x12file, X12Reader=open_reader),
    )
    original = pyx12.x12n_document.x12n_document
    namespace = dict(original.__globals__)
    namespace["pyx12"] = package
    private = types.FunctionType(
        original.__code__, namespace, original.__name__, original.__defaults__
    )
    private.__kwdefaults__ = original.__kwdefaults__
    return private


# pyx12's loggers are switched off while any validation runs (pyx12 logs every error).
_LOG_LOCK = threading.Lock()
_LOG_USERS = 0
_LOG_SAVED: dict[str, bool] = {}
_LOGGER_NAMES = (
    "pyx12",
    "pyx12.errh_xml",
    "pyx12.error_997",
    "pyx12.error_999",
    "pyx12.error_handler",
    "pyx12.error_html",
    "pyx12.params",
    "pyx12.walk_tree",
    "pyx12.x12xml.simple",
)


def _pyx12_loggers() -> list[logging.Logger]:
    names = set(_LOGGER_NAMES)
    names.update(
        n for n in list(logging.root.manager.loggerDict) if n == "pyx12" or n.startswith("pyx12.")
    )
    return [logging.getLogger(n) for n in sorted(names)]


@contextmanager
def _pyx12_silenced() -> Iterator[None]:
    global _LOG_USERS
    with _LOG_LOCK:
        if _LOG_USERS == 0:
            for logger in _pyx12_loggers():
                _LOG_SAVED[logger.name] = logger.disabled
                logger.disabled = True
        _LOG_USERS += 1
    try:
        yield
    finally:
        with _LOG_LOCK:
            _LOG_USERS -= 1
            if _LOG_USERS == 0:
                for logger in _pyx12_loggers():
                    logger.disabled = _LOG_SAVED.pop(logger.name, False)


# --------------------------------------------------------------------------------------------
# The public call.

_NO_MAP = re.compile(
    r"Map not found\.\s+icvn=(?P<icvn>\S*), fic=(?P<fic>\S*), vriic=(?P<vriic>[^,\s]*)"
    r"(?:, tspc=(?P<tspc>\S*))?"
)


def _as_text(text: str | bytes) -> str:
    if isinstance(text, str):
        return text
    return decode_bytes(bytes(text))


def validate_with_pyx12(text: str | bytes) -> Pyx12Report:
    """Validate one interchange with pyx12 4.0.0 and collect every error it finds, located.

    Never raises for any input: what pyx12 cannot do becomes a finding (see the module's
    docstring for the ``pyx12:*`` codes of the judge's own findings).
    """
    if not pyx12_available():
        return Pyx12Report(False, [_issue("pyx12:missing", "pyx12 is not installed")])
    try:
        return _validate(text)
    except Exception as exc:  # a bug of ours must not look like pyx12's verdict either
        return Pyx12Report(
            False, [_issue("pyx12:crash", f"the pyx12 judge failed with {type(exc).__name__}")]
        )


def _validate(text: str | bytes) -> Pyx12Report:
    try:
        decoded = _as_text(text)
    except X12Error as exc:
        return Pyx12Report(False, [_issue("pyx12:not-x12", f"cannot decode: {exc.message}")])
    collector = _Collector()
    extra: list[Issue] = []
    ok = False
    crashed = False
    try:
        run = _private_x12n_document(collector)
        with _pyx12_silenced():
            ok = bool(
                run(
                    pyx12.params.ParamsBase(),
                    io.StringIO(decoded),
                    None,
                    None,
                    callback=collector.segment_done,
                )
            )
    except Exception as exc:
        crashed = True
        ok = False
        extra.append(_from_exception(exc, collector))
    if collector.handler is None and not crashed:
        extra.append(
            _issue("pyx12:crash", "could not attach to pyx12's error handler (pyx12 version?)")
        )
    if collector.reader_error is not None:
        extra.append(
            _issue(
                "pyx12:not-x12",
                "pyx12 cannot read the text as X12: " + mask_values(collector.reader_error),
                Location(segment_index=1),
                kind="syntax",
            )
        )
    elif not crashed and collector.src is not None:
        unread = _unread_tail(decoded, collector)
        if unread is not None:
            extra.append(unread)

    findings = _locate(collector)
    findings.extend(_audit(collector))
    findings.extend(extra)
    findings.sort(key=_by_position)
    if not ok and not findings:
        findings.append(_issue("pyx12:rejected", "pyx12 rejected the text without an error"))
    return Pyx12Report(ok, findings, collector.last_done)


def _issue(
    code: str, message: str, location: Location | None = None, kind: str = "structure"
) -> Issue:
    return Issue(Severity.ERROR, code, message, location, kind)


def _locate(collector: _Collector) -> list[Issue]:
    issues: list[Issue] = []
    for raw in collector.raw:
        seg_id = raw.segment_id
        loop = raw.loop
        if raw.index is not None:
            seen_id, seen_loop = collector.seen.get(raw.index, (None, None))
            seg_id = seg_id or seen_id
            loop = loop or seen_loop
        location = Location(
            segment_index=raw.index,
            segment_id=seg_id,
            loop=loop,
            element=raw.element,
            component=raw.component,
        )
        message = mask_values(raw.message, raw.value)
        if raw.at_end:
            message += " (at the end of the text)"
        kind = "value" if raw.level == "ele" else "structure"
        issues.append(_issue(f"pyx12:{raw.code}", message, location, kind))
    return issues


def _by_position(issue: Issue) -> tuple[bool, int]:
    """Sort key: in text order, findings without a segment index last."""
    index = None if issue.location is None else issue.location.segment_index
    return (index is None, index or 0)


class _TreeAudit:
    """A visitor of pyx12's error tree that lists every error in it, envelope elements too.

    pyx12's ``accept`` walks interchange, group, transaction, segment and the segments'
    elements; the element errors of ISA/GS/ST/SE/GE/IEA hang on the ISA, GS and ST nodes'
    ``elements``, which no ``accept`` visits, so the ``*_pre`` hooks read them here.
    """

    def __init__(self) -> None:
        self.found: list[tuple[str, str]] = []

    def _node(self, node: Any) -> None:
        for err in getattr(node, "errors", ()):
            self.found.append((str(err[0]), str(err[1])))
        for ele in getattr(node, "elements", ()):
            self.visit_ele(ele)

    def visit_root_pre(self, errh: Any) -> None:
        pass

    def visit_root_post(self, errh: Any) -> None:
        pass

    def visit_isa_pre(self, err_isa: Any) -> None:
        self._node(err_isa)

    def visit_isa_post(self, err_isa: Any) -> None:
        pass

    def visit_gs_pre(self, err_gs: Any) -> None:
        self._node(err_gs)

    def visit_gs_post(self, err_gs: Any) -> None:
        pass

    def visit_st_pre(self, err_st: Any) -> None:
        self._node(err_st)

    def visit_st_post(self, err_st: Any) -> None:
        pass

    def visit_seg(self, err_seg: Any) -> None:
        for err in err_seg.errors:
            self.found.append((str(err[0]), str(err[1])))

    def visit_ele(self, err_ele: Any) -> None:
        for err in err_ele.errors:
            self.found.append((str(err[0]), str(err[1])))


def _audit(collector: _Collector) -> list[Issue]:
    """Errors in pyx12's tree that the handler did not see (none, unless pyx12 changes).

    The handler records each error as pyx12 raises it; this walk of the finished tree makes
    sure nothing reached the tree another way. (The reverse happens: pyx12 drops a segment
    error raised on an envelope segment or before the first ST from its tree, and counts it
    nowhere; the handler keeps it.)
    """
    if collector.handler is None:
        return []
    visitor = _TreeAudit()
    try:
        collector.handler.accept(visitor)
    except Exception:
        return []
    recorded = Counter((r.code, r.message) for r in collector.raw)
    missing: list[Issue] = []
    for code, message in visitor.found:
        if recorded[(code, message)] > 0:
            recorded[(code, message)] -= 1
            continue
        text = mask_values(message) + " (pyx12 gave no location)"
        missing.append(_issue(f"pyx12:{code}", text))
    return missing


def _from_exception(exc: Exception, collector: _Collector) -> Issue:
    index = collector.current_index()
    message = str(exc)
    no_map = _NO_MAP.search(message) if isinstance(exc, pyx12.errors.EngineError) else None
    if no_map is not None:
        version = no_map.group("vriic")
        text = (
            f"no pyx12 map for {version if version not in ('', 'None') else 'an empty GS08'}"
            f" (ISA12 {no_map.group('icvn')}, GS01 {no_map.group('fic')}"
            + (f", BHT02 {no_map.group('tspc')}" if no_map.group("tspc") else "")
            + "): pyx12 validated nothing past this segment"
        )
        if no_map.group("tspc"):
            where = Location(segment_index=index, segment_id="BHT", loop="HEADER", element=2)
        else:
            where = Location(segment_index=index, segment_id="GS", loop="GS_LOOP", element=8)
        return _issue("pyx12:no-map", text, where)
    seg_id = collector.seen.get(index, (None, None))[0] if index is not None else None
    crash_at = Location(segment_index=index, segment_id=seg_id) if index else None
    if isinstance(exc, pyx12.errors.X12Error | pyx12.errors.EngineError):
        # pyx12's own errors may quote a whole segment: mask anything in parentheses too.
        detail = re.sub(r"\(.*\)", f"({MASK})", mask_values(message))
    elif isinstance(exc, AttributeError | TypeError | IndexError | RecursionError):
        detail = message  # these name Python objects, not data
    else:
        detail = ""  # ValueError, KeyError... may quote a value from the file
    text = f"pyx12 failed with {type(exc).__name__}" + (f": {detail}" if detail else "")
    frame = _last_pyx12_frame(exc)
    if frame:
        text += f" (in {frame})"
    return _issue("pyx12:crash", text, crash_at, kind="syntax")


def _last_pyx12_frame(exc: BaseException) -> str:
    """ "pyx12/module.py line N" of the innermost traceback frame inside pyx12, or ""."""
    tb = exc.__traceback__
    found = ""
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename.replace("\\", "/")
        if "/pyx12/" in filename:
            found = f"pyx12/{filename.rsplit('/pyx12/', 1)[1]} line {tb.tb_lineno}"
        tb = tb.tb_next
    return found


def _unread_tail(text: str, collector: _Collector) -> Issue | None:
    """A finding when pyx12 stopped reading before the end of the text.

    pyx12's reader ends at the first empty segment (two terminators in a row) and ignores
    whatever follows the last terminator; neither is reported by pyx12 itself.
    """
    term = getattr(collector.src, "seg_term", None)
    if not isinstance(term, str) or not term:
        return None
    read = collector.last_done
    pieces = text.split(term)
    # pieces[:-1] are the terminated segments; the last piece has no terminator.
    tail = term.join(pieces[read:]) if read < len(pieces) else ""
    if not tail.strip():
        return None
    return _issue(
        "pyx12:unread",
        f"pyx12 stopped reading after segment {read}; {len(tail.strip())} characters of the"
        " text that follow were not validated",
        Location(segment_index=read + 1),
        kind="syntax",
    )
