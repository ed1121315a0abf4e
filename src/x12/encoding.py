"""Bytes to text for X12 readers: byte-order marks, UTF-16, UTF-8 and Latin-1.

X12 interchanges are nominally ASCII (the basic and extended character sets). Real files come
as ASCII, UTF-8 (sometimes with a byte-order mark), Latin-1 / Windows-1252, and occasionally
UTF-16 written by Windows tools. :class:`StreamDecoder` decodes chunk by chunk: a BOM picks the
codec; without one UTF-8 is tried and, as long as nothing but ASCII was seen, a byte that is
not UTF-8 switches to Latin-1 (which decodes any byte). Where that switch would change text
already returned, an :class:`X12EncodingError` says so and names the ``encoding=`` to pass.
"""

from __future__ import annotations

import codecs

from x12.errors import Location, X12EncodingError

__all__ = ["StreamDecoder", "decode_bytes"]

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _sniff(head: bytes) -> str | None:
    for bom, codec in _BOMS:
        if head.startswith(bom):
            return codec
    if head.startswith(b"I\x00S\x00A\x00"):
        return "utf-16-le"
    if head.startswith(b"\x00I\x00S\x00A"):
        return "utf-16-be"
    return None


class StreamDecoder:
    """Incremental decoder: ``decode(chunk)`` returns text, ``flush()`` the rest."""

    def __init__(self, encoding: str | None = None) -> None:
        self._explicit = encoding
        self._codec: str | None = None
        if encoding is not None:
            try:
                codecs.lookup(encoding)
            except LookupError:
                raise X12EncodingError(f"unknown encoding {encoding!r}") from None
            self._codec = encoding
        self._decoder: codecs.IncrementalDecoder | None = None
        self._head = b""
        self._consumed = 0
        self._non_ascii_seen = False

    def _start(self, head: bytes) -> None:
        codec = self._codec or _sniff(head) or "utf-8"
        self._codec = codec
        self._decoder = codecs.getincrementaldecoder(codec)("strict")

    def decode(self, data: bytes, final: bool = False) -> str:
        if self._decoder is None:
            self._head += data
            if len(self._head) < 6 and not final:
                return ""
            data, self._head = self._head, b""
            self._start(data)
        assert self._decoder is not None
        try:
            text = self._decoder.decode(data, final)
        except UnicodeDecodeError as exc:
            text = self._recover(data, exc, final)
        self._consumed += len(data)
        if not self._non_ascii_seen and not text.isascii():
            self._non_ascii_seen = True
        return text

    def _recover(self, data: bytes, exc: UnicodeDecodeError, final: bool) -> str:
        where = Location(offset=self._consumed + exc.start)
        if self._explicit is None and self._codec == "utf-8" and not self._non_ascii_seen:
            # Only ASCII so far: reading the whole input as Latin-1 gives the same text.
            pending = self._decoder.getstate()[0] if self._decoder is not None else b""
            self._codec = "latin-1"
            self._decoder = codecs.getincrementaldecoder("latin-1")("strict")
            return self._decoder.decode(pending + data, final)
        raise X12EncodingError(
            f"the bytes at byte offset {self._consumed + exc.start} are not valid "
            f"{self._codec}; pass encoding='latin-1' (or the file's real encoding)",
            where,
            "ENCODING",
        ) from None

    def flush(self) -> str:
        return self.decode(b"", final=True)

    @property
    def encoding(self) -> str | None:
        """The codec in use (known after the first bytes)."""
        return self._codec


def decode_bytes(data: bytes, encoding: str | None = None) -> str:
    """Decode a whole interchange held in memory (see :class:`StreamDecoder`)."""
    if encoding is None and _sniff(data[:6]) is None:
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            return data.decode("latin-1")
    dec = StreamDecoder(encoding)
    return dec.decode(data, final=True)
