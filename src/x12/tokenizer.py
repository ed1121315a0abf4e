"""A sans-IO X12 tokenizer: text in, segments out.

A segment is a ``list[str]`` of its elements, the segment id first (``["CLP", "A1", "1",
...]``); composites and repetitions are left joined (split them with
:func:`x12.segment.components`). No per-element objects are made: tokenizing is
``str.split`` in C, which is what makes the library's readers fast.

:class:`Tokenizer` is fed text chunk by chunk and holds only the segment in progress, so a
file of any size is tokenized in bounded memory. It tolerates what real files do: CR, LF or
CRLF after (or instead of) the terminator, a byte-order mark, indentation, NUL padding,
everything on one line, several interchanges with different delimiters one after another.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from itertools import accumulate
from typing import IO, overload

from x12.delimiters import Delimiters, detect_isa
from x12.encoding import StreamDecoder, decode_bytes
from x12.errors import IssueLog, Location, X12LimitError, X12SyntaxError
from x12.gcpause import collector_paused

__all__ = [
    "DEFAULT_CHUNK_SIZE",
    "Segment",
    "Tokenizer",
    "iter_segment_batches",
    "read_text",
    "tokenize",
]

Segment = list[str]
#: Characters (or bytes) tokenized at a time. Small batches keep the segment lists of one
#: batch in the allocator's caches, to be reused by the next, and the models a reader builds
#: from them packed together: on the 20,000-claim bench 835, 32 KiB batches read about 9%
#: faster than 1 MiB ones and peak 30 MB lower (the garbage collector's passes, also the one
#: at exit, then walk fewer pages).
DEFAULT_CHUNK_SIZE = 1 << 15
_STRIP = " \t\r\n\x00\ufeff"
_LEAD = " \t\r\n\x00\ufeff\x1a"


class _Offsets(Sequence[int]):
    """Character offsets of a batch's segments, computed only when someone asks.

    Readers need an offset only to report an error, so a batch keeps its raw pieces and
    sums their lengths on first use.
    """

    def __init__(self) -> None:
        self._parts: list[tuple[int, list[str], int, list[int] | None]] = []
        self._flat: list[int] | None = None
        self._n = 0

    def add(self, base: int, pieces: list[str], tlen: int, keep: list[int] | None) -> None:
        self._parts.append((base, pieces, tlen, keep))
        self._flat = None
        self._n += len(keep) if keep is not None else len(pieces)

    def _build(self) -> list[int]:
        if self._flat is None:
            flat: list[int] = []
            for base, pieces, tlen, keep in self._parts:
                starts = [0, *accumulate(len(p) + tlen for p in pieces)]
                idx = keep if keep is not None else range(len(pieces))
                for i in idx:
                    p = pieces[i]
                    lead = len(p) - len(p.lstrip(_STRIP)) if p[:1] in _STRIP else 0
                    flat.append(base + starts[i] + lead)
            self._flat = flat
        return self._flat

    def __len__(self) -> int:
        return self._n

    @overload
    def __getitem__(self, i: int) -> int: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[int]: ...
    def __getitem__(self, i: int | slice) -> int | Sequence[int]:
        return self._build()[i]


class Tokenizer:
    """Turns X12 text, fed in chunks of any size, into segments.

    ``feed(text)`` returns the segments completed by that text and sets :attr:`offsets` to
    their character offsets; ``close()`` returns the last ones. The first ISA (or, in a
    transaction sent without an envelope, the first ST) fixes the delimiters; a later ISA
    with other delimiters switches to them.
    """

    def __init__(
        self,
        *,
        delimiters: Delimiters | None = None,
        max_segment_length: int = 1_000_000,
        log: IssueLog | None = None,
    ) -> None:
        self.delimiters = delimiters
        self.max_segment_length = max_segment_length
        self.log = log if log is not None else IssueLog(strict=False)
        self.offsets: Sequence[int] = _Offsets()
        #: ``(index of the ISA segment, delimiters)`` each time delimiters were detected.
        self.detections: list[tuple[int, Delimiters]] = []
        self.segment_count = 0
        self._buf = ""
        self._base = 0  # offset of _buf[0] in the whole text
        self._term = delimiters.segment if delimiters else ""
        self._elem = delimiters.element if delimiters else ""
        self._from_isa = False  # the buffer starts with the ISA the delimiters came from

    # -- delimiter detection -------------------------------------------------------------
    def _detect(self, final: bool) -> bool:
        """Find the delimiters at the start of the buffer. False: need more text."""
        buf = self._buf
        start = 0
        n = len(buf)
        while start < n and buf[start] in _LEAD:
            start += 1
        if start == n:
            if final or n > 4096:
                self._skip(start)
            return False
        if buf.startswith("ISA", start):
            if n - start < 120 and not final:
                return False
            self._skip(start)
            try:
                self.delimiters, fixed = detect_isa(self._buf, 0)
            except X12SyntaxError as exc:  # located at this ISA, not the text's first
                raise X12SyntaxError(
                    exc.message,
                    Location(
                        segment_index=self.segment_count + 1, segment_id="ISA", offset=self._base
                    ),
                    exc.code,
                ) from None
            # The buffer now starts with the ISA these delimiters came from: the next split
            # must not take that same ISA for a change of delimiters (and restart forever).
            self._from_isa = True
            if not fixed:
                self.log.deviation(
                    "ISA_NOT_FIXED_LENGTH",
                    "the ISA is not 106 characters long (ISA fields not padded to their "
                    "fixed widths); delimiters were found by counting elements",
                    Location(
                        segment_index=self.segment_count + 1, segment_id="ISA", offset=self._base
                    ),
                    kind="syntax",
                )
        elif buf.startswith("ST", start) and n - start > 3 and not buf[start + 2].isalnum():
            self._skip(start)
            self.delimiters = self._guess_without_envelope()
        else:
            if n - start < 3 and not final:
                return False
            raise X12SyntaxError(
                "not an X12 interchange: it does not begin with an ISA segment",
                Location(segment_index=self.segment_count + 1, offset=self._base + start),
                "NO_ISA",
            )
        self._term = self.delimiters.segment
        self._elem = self.delimiters.element
        self.detections.append((self.segment_count + 1, self.delimiters))
        return True

    def _guess_without_envelope(self) -> Delimiters:
        elem = self._buf[2]
        head = self._buf[:4096]
        for cand in ("~", "'", "\n"):
            if cand in head and cand != elem:
                self.log.warn(
                    "NO_ENVELOPE",
                    "the text has no ISA envelope; delimiters were guessed from the ST segment",
                    Location(segment_index=1, segment_id="ST", offset=self._base),
                )
                comp = ":" if elem != ":" else ">"
                rep = "^" if cand != "^" else None
                return Delimiters(elem, comp, rep, cand, "")
        raise X12SyntaxError(
            "the text has no ISA envelope and no recognisable segment terminator",
            Location(segment_index=1, segment_id="ST", offset=self._base),
            "NO_ISA",
        )

    def _skip(self, count: int) -> None:
        self._buf = self._buf[count:]
        self._base += count

    # -- tokenizing ----------------------------------------------------------------------
    def feed(self, text: str) -> list[Segment]:
        """Add text; return the segments it completed (offsets in :attr:`offsets`)."""
        self._buf += text
        return self._run(final=False)

    def close(self) -> list[Segment]:
        """End of input: return the remaining segments."""
        return self._run(final=True)

    def _run(self, final: bool) -> list[Segment]:
        out: list[Segment] = []
        offsets = _Offsets()
        self.offsets = offsets
        # The segment lists are acyclic: pausing the cyclic collector while thousands of
        # them are made saves about half of the tokenizing time.
        with collector_paused():
            while True:
                if self.delimiters is None and not self._detect(final):
                    break
                if not self._split(out, offsets, final):
                    break
        return out

    def _separator(self, buf: str, final: bool) -> str:
        """What to split the buffer on: the terminator, or the terminator and the line break
        that follows every terminator in the buffer (then the pieces need no stripping, so
        no copy of each segment is made)."""
        term = self._term
        at = buf.find(term)
        if at < 0:
            return term
        nxt = buf[at + len(term) : at + len(term) + 2]
        if nxt.startswith("\r\n"):
            lb = "\r\n"
        elif nxt[:1] in ("\n", "\r") and nxt[:1]:
            lb = nxt[:1]
        else:
            return term
        if lb.startswith(term) or term in lb:
            return term
        n = buf.count(term)
        if buf.endswith(term):
            n -= 1  # cut between a terminator and its line break (or the input's end)
        return term + lb if n == buf.count(term + lb) else term

    def _later_isa(self, buf: str) -> bool:
        """Whether the buffer holds an ISA segment other than the input's first one."""
        term = self._term
        ws = "".join(c for c in _STRIP if c not in term)  # the terminator may be a line break
        at = buf.find("ISA")
        while at >= 0:
            before = buf[max(0, at - 64) : at].rstrip(ws)
            if not before and at > 64:
                before = buf[:at].rstrip(ws)
            if not before:
                if self.segment_count > 0:
                    return True  # the buffer starts with a later interchange
            elif before.endswith(term):
                return True
            at = buf.find("ISA", at + 3)
        return False

    def _split(self, out: list[Segment], offsets: _Offsets, final: bool) -> bool:
        """Split the buffer. True when a new ISA changed the delimiters (run again)."""
        term = self._term
        elem = self._elem
        buf = self._buf
        # A later ISA may bring other delimiters: find one with C-level scans first.
        later_isa = self._later_isa(buf)
        sep = term if later_isa else self._separator(buf, final)
        pieces = buf.split(sep)
        if len(sep) > len(term) and buf.endswith(term):
            # The last piece ends with a bare terminator (the input's end or a chunk cut
            # between terminator and line break): make it look like a split on the terminator.
            pieces[-1] = pieces[-1][: -len(term)]
            pieces.append("")
        rest = "" if final else pieces.pop()
        if not final and len(rest) > self.max_segment_length:
            self._too_long(self.segment_count + len(pieces) + 1, self._base + len(buf) - len(rest))
        restart = -1
        if later_isa:
            restart = self._find_changed_isa(pieces)
            if restart >= 0:
                rest = ""
        self._from_isa = False
        todo = pieces if restart < 0 else pieces[:restart]
        stripped = [p.strip(_STRIP) for p in todo]
        base = self._base
        tlen = len(sep)
        if not all(stripped):
            keep = [i for i, t in enumerate(stripped) if t]
            offsets.add(base, todo, tlen, keep)
            stripped = [stripped[i] for i in keep]
        else:
            offsets.add(base, todo, tlen, None)
        if (
            stripped
            and len(buf) > self.max_segment_length
            and max(map(len, stripped)) > self.max_segment_length
        ):
            k = next(i for i, t in enumerate(stripped) if len(t) > self.max_segment_length)
            self._too_long(self.segment_count + k + 1, offsets[len(out) + k])
        segs = [t.split(elem) for t in stripped]
        out.extend(segs)
        self.segment_count += len(segs)
        if restart >= 0:
            consumed = sum(map(len, todo)) + tlen * len(todo)
            self._buf = buf[consumed:]
            self._base = base + consumed
            self.delimiters = None
            return True
        if final:
            self._base = base + len(buf)
            self._buf = ""
            if out and todo and stripped and todo[-1].strip(_STRIP):
                self.log.deviation(
                    "UNTERMINATED_SEGMENT",
                    "the last segment has no segment terminator",
                    Location(
                        segment_index=self.segment_count,
                        segment_id=out[-1][0],
                        offset=offsets[len(out) - 1],
                    ),
                )
        else:
            self._base = base + len(buf) - len(rest)
            self._buf = rest
        return False

    def _find_changed_isa(self, pieces: list[str]) -> int:
        """Index of the first later ISA piece whose delimiters differ, or -1."""
        first = self.segment_count == 0 or self._from_isa
        for i, raw in enumerate(pieces):
            t = raw.lstrip(_STRIP)
            if not t.startswith("ISA"):
                continue
            if first:
                first = False
                continue
            elements = t.strip(_STRIP).split(self._elem)
            if self._isa_changes(elements):
                return i
        return -1

    def _isa_changes(self, elements: list[str]) -> bool:
        d = self.delimiters
        if d is None:
            return False
        if elements[0] != "ISA" or len(elements) != 17 or len(elements[16]) != 1:
            return True
        return elements[16] != d.component

    def _too_long(self, index: int, offset: int) -> None:
        raise X12LimitError(
            f"a segment is longer than max_segment_length={self.max_segment_length} "
            "characters (or the segment terminator is missing)",
            Location(segment_index=index, offset=offset),
            "SEGMENT_TOO_LONG",
        )


def tokenize(
    text: str | bytes,
    *,
    encoding: str | None = None,
    max_segment_length: int = 1_000_000,
    log: IssueLog | None = None,
) -> list[Segment]:
    """Tokenize a whole interchange held in memory."""
    if isinstance(text, bytes | bytearray):
        text = decode_bytes(bytes(text), encoding)
    tok = Tokenizer(max_segment_length=max_segment_length, log=log)
    segs = tok.feed(text)
    segs.extend(tok.close())
    return segs


def read_text(source: str | bytes | IO[str] | IO[bytes], encoding: str | None = None) -> str:
    """A whole input as text: a str, bytes, or a text or binary file object."""
    if isinstance(source, str):
        return source
    if isinstance(source, bytes | bytearray):
        return decode_bytes(bytes(source), encoding)
    data = source.read()
    if isinstance(data, bytes):
        return decode_bytes(data, encoding)
    return data


def iter_segment_batches(
    source: str | bytes | IO[str] | IO[bytes] | Iterable[str],
    *,
    encoding: str | None = None,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    max_segment_length: int = 1_000_000,
    log: IssueLog | None = None,
    tokenizer: Tokenizer | None = None,
) -> Iterator[tuple[list[Segment], Sequence[int], int]]:
    """Stream ``(segments, offsets, first_index)`` batches from any source in bounded memory.

    ``first_index`` is the 1-based index of the batch's first segment in the input. Pass a
    ``tokenizer`` to read its :attr:`Tokenizer.detections` as the batches arrive.
    """
    tok = tokenizer or Tokenizer(max_segment_length=max_segment_length, log=log)
    count = 0
    for chunk in _chunks(source, encoding, chunk_size):
        segs = tok.feed(chunk)
        if segs:
            yield segs, tok.offsets, count + 1
            count += len(segs)
    segs = tok.close()
    if segs:
        yield segs, tok.offsets, count + 1


def _chunks(
    source: str | bytes | IO[str] | IO[bytes] | Iterable[str],
    encoding: str | None,
    chunk_size: int,
) -> Iterator[str]:
    if isinstance(source, str):
        for i in range(0, len(source), chunk_size):
            yield source[i : i + chunk_size]
        return
    if isinstance(source, bytes | bytearray):
        text = decode_bytes(bytes(source), encoding)
        for i in range(0, len(text), chunk_size):
            yield text[i : i + chunk_size]
        return
    read = getattr(source, "read", None)
    if read is None:
        yield from source  # type: ignore[misc]
        return
    decoder: StreamDecoder | None = None
    while True:
        data = read(chunk_size)
        if not data:
            break
        if isinstance(data, bytes):
            if decoder is None:
                decoder = StreamDecoder(encoding)
            text = decoder.decode(data)
            if text:
                yield text
        else:
            yield data
    if decoder is not None:
        tail = decoder.flush()
        if tail:
            yield tail
