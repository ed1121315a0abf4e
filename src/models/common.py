"""Building blocks shared by claims (837) and remittances (835).

Plain attrs classes with domain names and no X12 in them. Money is :class:`decimal.Decimal`,
dates are :class:`datetime.date`. Validation at construction rejects only what can never be
right (a bad NPI check digit, an empty required value) and names the field.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

import attrs

__all__ = [
    "Address",
    "Adjustment",
    "AdjustmentGroup",
    "Contact",
    "UnmappedSegment",
    "as_tuple",
    "check_npi",
    "finite",
    "is_hhmm",
    "is_valid_npi",
    "non_empty",
    "non_negative",
    "npi_check_digit",
    "optional_decimal",
    "optional_npi",
    "to_decimal",
    "tuple_field",
]


def non_empty(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """attrs validator: a required string must not be empty or blank."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{attribute.name}: must not be empty")


def to_decimal(value: Any) -> Decimal:
    """attrs converter: money and quantities as Decimal (str, int or Decimal in)."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(value)


def optional_decimal(value: Any) -> Decimal | None:
    """attrs converter: an optional amount as Decimal."""
    return None if value is None else to_decimal(value)


def as_tuple(value: Iterable[Any]) -> tuple[Any, ...]:
    """attrs converter: any iterable (a JSON list, a list) as a tuple."""
    return value if isinstance(value, tuple) else tuple(value)


def tuple_field() -> Any:
    """An attrs field for a repeat: a tuple, empty by default, built from any iterable."""
    return attrs.field(default=(), converter=as_tuple)


def non_negative(instance: Any, attribute: attrs.Attribute[Any], value: Decimal) -> None:
    """attrs validator: a finite amount of zero or more."""
    if not value.is_finite() or value < 0:
        raise ValueError(f"{attribute.name}: must be a non-negative amount")


def finite(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """attrs validator: None, or a finite number (no NaN or infinity)."""
    if value is not None and not value.is_finite():
        raise ValueError(f"{attribute.name}: must be a finite number")


def npi_check_digit(first_nine: str) -> int:
    """The NPI check digit: Luhn over the prefix 80840 followed by the first nine digits."""
    digits = "80840" + first_nine
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 0:  # double every second digit from the right, starting with the last
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return (10 - total % 10) % 10


def is_hhmm(text: str) -> bool:
    """An X12 TM time of four ASCII digits, HHMM, 0000-2359 (an 837I discharge hour)."""
    return (
        len(text) == 4
        and text.isascii()
        and text.isdigit()
        and int(text[:2]) < 24
        and int(text[2:]) < 60
    )


def is_valid_npi(value: str) -> bool:
    """True for a ten-digit NPI whose check digit is right."""
    return (
        len(value) == 10
        and value.isascii()
        and value.isdigit()
        and value[0] in "12"
        and npi_check_digit(value[:9]) == int(value[9])
    )


def check_npi(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """attrs validator for a required NPI (message names the field, not the value)."""
    if not isinstance(value, str) or not is_valid_npi(value):
        raise ValueError(
            f"{attribute.name}: not a valid NPI (10 digits starting with 1 or 2, "
            "Luhn check digit with prefix 80840)"
        )


def optional_npi(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """attrs validator for an NPI that may be absent (None)."""
    if value is not None:
        check_npi(instance, attribute, value)


@attrs.frozen(slots=True)
class Address:
    """A postal address (N3/N4)."""

    line1: str = attrs.field(validator=non_empty)  # N301
    city: str = attrs.field(validator=non_empty)  # N401
    state: str | None = None  # N402
    postal_code: str | None = None  # N403
    line2: str | None = None  # N302
    country: str | None = None  # N404
    country_subdivision: str | None = None  # N407


@attrs.frozen(slots=True)
class Contact:
    """A contact (PER): name and up to three communication numbers as (qualifier, number)."""

    name: str | None = None  # PER02
    numbers: tuple[tuple[str, str], ...] = ()  # PER03/04, PER05/06, PER07/08 (TE, EM, FX...)
    function: str = "IC"  # PER01


class AdjustmentGroup(enum.StrEnum):
    """CAS01 claim adjustment group codes."""

    CONTRACTUAL = "CO"
    CORRECTION_REVERSAL = "CR"
    OTHER = "OA"
    PAYER_INITIATED = "PI"
    PATIENT_RESPONSIBILITY = "PR"


@attrs.frozen(slots=True)
class Adjustment:
    """One CAS triplet: group (CAS01), reason code (CARC, CAS02), amount (CAS03), quantity."""

    group: AdjustmentGroup = attrs.field(converter=AdjustmentGroup)
    reason: str = attrs.field(validator=non_empty)
    amount: Decimal = attrs.field(converter=to_decimal)
    quantity: Decimal | None = attrs.field(
        default=None, converter=attrs.converters.optional(to_decimal)
    )


Components = tuple[str, ...]
Repetitions = tuple[Components, ...]


@attrs.frozen(slots=True)
class UnmappedSegment:
    """A segment a reader kept without modelling it, so a round trip loses nothing.

    ``elements`` holds each element as its repetitions, each repetition as its components,
    so the segment can be written again with any delimiters.
    """

    id: str
    elements: tuple[Repetitions, ...] = ()

    @classmethod
    def from_raw(
        cls, raw: Sequence[str], component: str, repetition: str | None
    ) -> UnmappedSegment:
        """From a tokenized segment (id first, raw element texts)."""
        elements = tuple(
            tuple(
                tuple(rep.split(component)) for rep in (e.split(repetition) if repetition else [e])
            )
            for e in raw[1:]
        )
        return cls(raw[0], elements)

    def to_raw(self, component: str, repetition: str | None) -> list[str]:
        """Back to a tokenized segment with the given separators."""
        out = [self.id]
        for reps in self.elements:
            out.append((repetition or "").join(component.join(c) for c in reps))
        return out
