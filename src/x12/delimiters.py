"""Delimiters of an interchange, read from its ISA segment.

The ISA is the only fixed-length segment of X12: 106 characters, the element separator at
position 3, the repetition separator in ISA11 (5010; version 00401 uses ISA11 as a standards
identifier, usually ``U``), the component separator as ISA16 (position 104) and the segment
terminator right after it (position 105). Senders that do not pad ISA06/ISA08 break the fixed
positions; then the sixteen element separators are counted instead.
"""

from __future__ import annotations

import attrs

from x12.errors import Location, X12SyntaxError

__all__ = ["DEFAULT", "Delimiters", "detect_delimiters", "detect_isa"]

#: Positions of the element separator in a correctly padded 106-character ISA.
_ISA_SEPARATOR_POSITIONS = (3, 6, 17, 20, 31, 34, 50, 53, 69, 76, 81, 83, 89, 99, 101, 103)
_WHITESPACE = " \t\r\n\x00"


@attrs.frozen(slots=True)
class Delimiters:
    """The four delimiters of an interchange, plus the line break written after a terminator.

    ``repetition`` is ``None`` for interchanges (version 00401) that have no repetition
    separator. ``line_break`` is not part of X12; it is what a writer puts after each segment
    terminator (``""``, ``"\\n"`` or ``"\\r\\n"``) and what a reader saw in the file.
    """

    element: str = "*"
    component: str = ":"
    repetition: str | None = "^"
    segment: str = "~"
    line_break: str = ""

    def __attrs_post_init__(self) -> None:
        chars = [self.element, self.component, self.segment]
        if self.repetition is not None:
            chars.append(self.repetition)
        for ch in chars:
            if len(ch) != 1:
                raise X12SyntaxError(f"a delimiter must be one character, got {len(ch)}")
            if ch.isalnum() or ch == " ":
                raise X12SyntaxError("a delimiter must not be a letter, digit or space")
        if len(set(chars)) != len(chars):
            raise X12SyntaxError("the delimiters must be four different characters")
        if self.line_break not in ("", "\n", "\r\n", "\r"):
            raise X12SyntaxError("line_break must be '', '\\n', '\\r\\n' or '\\r'")

    @property
    def characters(self) -> frozenset[str]:
        """Every character a data value must not contain."""
        chars = {self.element, self.component, self.segment}
        if self.repetition is not None:
            chars.add(self.repetition)
        return frozenset(chars)


DEFAULT = Delimiters()


def _line_break_after(text: str, pos: int) -> str:
    end = pos
    while end < len(text) and text[end] in "\r\n":
        end += 1
    brk = text[pos:end]
    return brk if brk in ("\n", "\r\n", "\r") else ""


def detect_delimiters(text: str, start: int = 0) -> Delimiters:
    """Read the delimiters from the ISA segment that begins at ``text[start]``.

    Raises :class:`X12SyntaxError` (with a location) when there is no usable ISA.
    """
    return detect_isa(text, start)[0]


def detect_isa(text: str, start: int = 0) -> tuple[Delimiters, bool]:
    """The delimiters and whether the ISA has its fixed 106-character layout."""
    loc = Location(segment_index=1, segment_id="ISA", offset=start)
    if not text.startswith("ISA", start):
        raise X12SyntaxError("the interchange does not begin with an ISA segment", loc)
    if len(text) - start < 4:
        raise X12SyntaxError("the ISA segment is truncated", loc)
    element = text[start + 3]
    if element.isalnum() or element in _WHITESPACE:
        raise X12SyntaxError("ISA has no valid element separator at position 4", loc)
    fixed = len(text) - start >= 106 and all(
        text[start + p] == element for p in _ISA_SEPARATOR_POSITIONS
    )
    if fixed:
        repetition_char = text[start + 82]
        component = text[start + 104]
        segment = text[start + 105]
        version = text[start + 84 : start + 89]
        after = start + 106
    else:
        # Unpadded ISA: count the sixteen separators.
        pos = start + 3
        seps: list[int] = []
        limit = min(len(text), start + 400)
        while len(seps) < 16:
            pos = text.find(element, pos, limit)
            if pos < 0:
                raise X12SyntaxError(
                    "the ISA segment is truncated or has fewer than 16 elements", loc
                )
            seps.append(pos)
            pos += 1
        if seps[15] + 1 >= len(text):
            raise X12SyntaxError("the ISA segment ends before its component separator", loc)
        component = text[seps[15] + 1]
        if seps[15] + 2 >= len(text):
            raise X12SyntaxError("the ISA segment has no segment terminator", loc)
        segment = text[seps[15] + 2]
        repetition_char = text[seps[10] + 1 : seps[11]].strip()[:1]
        version = text[seps[11] + 1 : seps[12]].strip()
        after = seps[15] + 3
    line_break = _line_break_after(text, after)
    if segment in "\r\n":
        # A terminator placed at the start of the next line ("...*:\n~GS*...").
        nxt = after + len(line_break)
        if nxt < len(text) and not text[nxt].isalnum() and text[nxt] not in _WHITESPACE:
            segment = text[nxt]
            line_break = ""
        else:
            line_break = ""
    repetition: str | None = repetition_char or None
    if version < "00402" or (repetition is not None and repetition.isalnum()):
        repetition = None
    try:
        return Delimiters(element, component, repetition, segment, line_break), fixed
    except X12SyntaxError as exc:
        raise X12SyntaxError(f"unusable ISA delimiters: {exc.message}", loc) from None
