"""Hypothesis strategies that break valid X12 files the ways real and hostile files are broken."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

_DELIMS = b"*:^~>|\n\r'"
#: Digits that are not ASCII: str.isdigit() is True for all of them, int() refuses the
#: superscripts (0xB2 read as Latin-1 is '²'); UTF-8 Arabic-Indic and fullwidth three.
_ODD_DIGITS = (b"\xb2", "\u00b2".encode(), "\u0663".encode(), "\uff13".encode())


def _segments(data: bytes) -> tuple[list[bytes], bytes]:
    term = data[105:106] if len(data) > 105 and data.startswith(b"ISA") else b"~"
    parts = data.split(term)
    return parts, term


@st.composite
def mutated(draw: Any, seed: bytes, max_steps: int = 3, odd_digits: bool = False) -> bytes:
    """``seed`` with 1..max_steps mutations: truncation at a segment or byte, byte flips,
    delimiter swaps, duplicated/dropped/swapped segments, huge elements, deep repetition;
    with ``odd_digits``, also a digit replaced by a non-ASCII one (``'²'``)."""
    kinds = [
        "truncate_segment",
        "truncate_byte",
        "flip",
        "delim_swap",
        "dup_segment",
        "drop_segment",
        "swap_segments",
        "huge_element",
        "deep_repetition",
        "insert_bytes",
    ]
    if odd_digits:
        kinds.append("odd_digit")
    data = seed
    for _ in range(draw(st.integers(1, max_steps))):
        kind = draw(st.sampled_from(kinds))
        parts, term = _segments(data)
        n = len(parts)
        if not data:
            data = draw(st.binary(max_size=64))
            continue
        if kind == "truncate_segment":
            data = term.join(parts[: draw(st.integers(0, n))])
        elif kind == "truncate_byte":
            data = data[: draw(st.integers(0, len(data)))]
        elif kind == "flip":
            i = draw(st.integers(0, len(data) - 1))
            data = data[:i] + bytes([draw(st.integers(0, 255))]) + data[i + 1 :]
        elif kind == "delim_swap":
            a, b = draw(st.sampled_from(_DELIMS)), draw(st.sampled_from(_DELIMS))
            i = draw(st.integers(0, len(data) - 1))
            j = data.find(bytes([a]), i)
            if j >= 0:
                data = data[:j] + bytes([b]) + data[j + 1 :]
        elif kind in ("dup_segment", "drop_segment", "swap_segments"):
            i = draw(st.integers(0, n - 1))
            j = draw(st.integers(0, n - 1))
            if kind == "dup_segment":
                parts.insert(i, parts[i])
            elif kind == "drop_segment":
                del parts[i]
            else:
                parts[i], parts[j] = parts[j], parts[i]
            data = term.join(parts)
        elif kind == "huge_element":
            i = draw(st.integers(0, n - 1))
            size = draw(st.sampled_from([300, 5_000, 100_000]))
            parts[i] = parts[i] + b"*" + b"9" * size
            data = term.join(parts)
        elif kind == "deep_repetition":
            i = draw(st.integers(0, n - 1))
            sep = draw(st.sampled_from([b"^", b":", b"*"]))
            parts[i] = parts[i] + b"*" + sep.join([b"A1"] * draw(st.sampled_from([50, 2_000])))
            data = term.join(parts)
        elif kind == "odd_digit":
            at = [i for i, b in enumerate(data) if 48 <= b <= 57]
            if at:
                i = draw(st.sampled_from(at))
                data = data[:i] + draw(st.sampled_from(_ODD_DIGITS)) + data[i + 1 :]
        else:
            i = draw(st.integers(0, len(data)))
            data = data[:i] + draw(st.binary(min_size=1, max_size=16)) + data[i:]
    return data
