"""models.json: to_plain gives only plain JSON types (enums as codes, tuples as lists,
Decimal and dates as text) and equals json.loads(to_json(x)); from_json round-trips every
model and names the path of what it refuses."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from edi835 import fake as fake835
from edi837 import fake as fake837
from models import strategies
from models.acknowledgment import ClaimAcknowledgmentReport
from models.claim import Claim, ClaimFrequency, Payer
from models.common import Adjustment, AdjustmentGroup, Contact
from models.json import converter, from_json, to_json, to_plain, write_json_array
from models.remittance import Remittance

PLAIN = (str, int, bool, type(None))


def non_plain(value: Any, path: str = "$") -> list[str]:
    """Paths whose value is not exactly a plain JSON type (subclasses count as not plain)."""
    if type(value) is dict:
        return [p for k, v in value.items() for p in non_plain(v, f"{path}.{k}")] + (
            [f"{path} (key)"] if any(type(k) is not str for k in value) else []
        )
    if type(value) is list:
        return [p for i, v in enumerate(value) for p in non_plain(v, f"{path}[{i}]")]
    return [] if type(value) in PLAIN else [f"{path}: {type(value).__name__}"]


def test_enum_and_pair_become_plain() -> None:
    plain = to_plain(Adjustment(AdjustmentGroup.CONTRACTUAL, "45", Decimal("12.50")))
    assert plain == {"group": "CO", "reason": "45", "amount": "12.50", "quantity": None}
    assert type(plain["group"]) is str
    contact = to_plain(Contact("DESK", (("TE", "5555550100"), ("EM", "a@example.com"))))
    assert contact["numbers"] == [["TE", "5555550100"], ["EM", "a@example.com"]]
    assert to_plain((1, ("a", "b"))) == [1, ["a", "b"]]


def test_str_field_holding_an_enum_member_is_a_plain_code() -> None:
    claim = fake837.generate(1, 3)[0]
    assert claim.frequency is ClaimFrequency.ORIGINAL  # the model's default is a member
    plain = to_plain(claim)
    assert plain["frequency"] == "1" and type(plain["frequency"]) is str


def test_fake_documents_are_plain_and_equal_to_the_json() -> None:
    claims = fake837.generate(16, 5, every_loop=True)
    rem = fake835.adjudicate(fake835.synthetic_claims(40, seed=2), seed=2)
    for obj in (claims, rem, [rem]):
        plain = to_plain(obj)
        assert non_plain(plain) == []
        assert plain == json.loads(to_json(obj))
    assert from_json(to_json(claims), list[Claim]) == claims
    assert from_json(to_json([rem]), list[Remittance]) == [rem]


def test_values_keep_their_exact_text() -> None:
    payer = Payer("ACME", "60054")
    assert to_plain(Decimal("125.10")) == "125.10"
    assert to_plain(dt.date(2024, 3, 1)) == "2024-03-01"
    assert from_json(to_json(payer), Payer) == payer
    assert converter.structure("0.10", Decimal) == Decimal("0.10")


@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    rem=strategies.remittances(),
    claims=strategies.claim_lists(max_size=2),
    ack=strategies.acknowledgment_reports(),
)
def test_strategy_documents_are_plain_and_round_trip(
    rem: Remittance, claims: list[Claim], ack: ClaimAcknowledgmentReport
) -> None:
    for obj, cls in ((rem, Remittance), (claims, list[Claim]), (ack, ClaimAcknowledgmentReport)):
        plain = to_plain(obj)
        assert non_plain(plain) == []
        assert plain == json.loads(to_json(obj))
        assert from_json(to_json(obj), cls) == obj


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ([{"id": "X", "charge": "abc"}], "$[0].charge: not a number"),
        ([{"id": "X", "charge": "1"}], "$[0].payer: required field missing"),
        ({"not": "a list"}, "$"),
    ],
)
def test_refusals_name_the_path(data: object, expected: str) -> None:
    with pytest.raises(ValueError) as info:
        from_json(json.dumps(data), list[Claim])
    assert expected in str(info.value)


def test_not_json_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="not JSON"):
        from_json("[1", list[Claim])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    subs=strategies.submissions().flatmap(lambda s: st.lists(st.just(s), max_size=2)),
    claims=strategies.claim_lists(max_size=3),
    rems=st.lists(strategies.remittances(), max_size=2),
    indent=st.sampled_from([2, None, 0]),
)
def test_write_json_array_is_to_json_written_a_part_at_a_time(
    subs: list[Any], claims: list[Claim], rems: list[Remittance], indent: int | None
) -> None:
    """The streamed array (each item converted alone; a submission's claims one by one) is
    the text to_json gives the whole list, for any layout."""
    for items, stream in ((subs, "claims"), (claims, None), (rems, "groups"), (subs, None)):
        buf = io.StringIO()
        assert write_json_array(iter(items), buf, stream=stream, indent=indent) == len(items)
        assert buf.getvalue() == to_json(items, indent=indent)
