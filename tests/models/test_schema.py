"""models.schema: the shipped JSON Schemas are current and validate what the library emits."""

from __future__ import annotations

import json
import pathlib
import subprocess
import sys
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from models import schema
from models.json import to_json
from x12.errors import X12Error

jsonschema = pytest.importorskip("jsonschema", reason="jsonschema is a test dependency")

ROOT = pathlib.Path(__file__).resolve().parents[2]
CORPUS = pathlib.Path("/work/shared/corpus")


def _validator(name: str) -> Any:
    doc = schema.load_schema(name)
    jsonschema.Draft202012Validator.check_schema(doc)
    return jsonschema.Draft202012Validator(doc, format_checker=jsonschema.FormatChecker())


CLAIMS = _validator("claims")
REMITTANCE = _validator("remittance")


def _errors(validator: Any, obj: Any) -> list[str]:
    data = json.loads(to_json(obj))  # what the library emits, as text
    return [f"{list(e.absolute_path)}: {e.message[:120]}" for e in validator.iter_errors(data)][:3]


@pytest.mark.parametrize("name", sorted(schema.SCHEMA_FILES))
def test_shipped_files_are_current(name: str) -> None:
    shipped = (ROOT / "src" / "models" / "schemas" / name).read_text(encoding="utf-8")
    assert shipped == schema.schema_text(name), "run: python tools/gen_json_schema.py"


def test_generator_check_mode() -> None:
    proc = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "gen_json_schema.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr


def test_fake_claims_validate() -> None:
    from edi837 import fake

    claims = fake.generate(30, seed=7, every_loop=True)
    assert _errors(CLAIMS, claims) == []
    assert _errors(CLAIMS, claims[0]) == []


def test_fake_remittances_validate() -> None:
    from edi835 import fake

    rem = fake.adjudicate(fake.synthetic_claims(40, seed=3), seed=3)
    assert _errors(REMITTANCE, [rem]) == []


def test_rejects_what_the_converter_rejects() -> None:
    from edi835 import fake

    data = json.loads(to_json([fake.adjudicate(fake.synthetic_claims(2, seed=1), seed=1)]))
    data[0]["amount"] = 12.5  # a float, not a decimal string
    assert not REMITTANCE.is_valid(data)
    data[0]["amount"] = "12.50"
    data[0]["surprise"] = 1
    assert not REMITTANCE.is_valid(data)
    del data[0]["surprise"]
    del data[0]["payer"]
    assert not REMITTANCE.is_valid(data)


def test_load_schema_names() -> None:
    assert schema.load_schema("claims.schema.json")["title"]
    with pytest.raises(ValueError):
        schema.load_schema("nope")


try:
    from models import strategies_claims, strategies_remittance
except ImportError:  # pragma: no cover - hypothesis strategies not importable
    strategies_claims = strategies_remittance = None  # type: ignore[assignment]


@pytest.mark.skipif(strategies_claims is None, reason="model strategies unavailable")
@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(claims=strategies_claims.claim_lists() if strategies_claims else None)
def test_generated_claims_validate(claims: Any) -> None:
    assert _errors(CLAIMS, claims) == []


@pytest.mark.skipif(strategies_remittance is None, reason="model strategies unavailable")
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rem=strategies_remittance.remittances() if strategies_remittance else None)
def test_generated_remittances_validate(rem: Any) -> None:
    assert _errors(REMITTANCE, [rem]) == []


def _corpus(kind: str) -> list[pathlib.Path]:
    folder = CORPUS / kind
    if not folder.is_dir():
        pytest.skip(f"corpus not present at {folder}")
    return sorted(p for p in folder.iterdir() if p.is_file())


def test_corpus_835_json_validates() -> None:
    import edi835

    checked = 0
    for path in _corpus("835"):
        try:
            rems = edi835.loads(path.read_bytes())  # lenient: most INVALID files still read
        except X12Error:
            continue  # not readable at all: nothing is emitted, nothing to validate
        assert _errors(REMITTANCE, rems) == [], path.name
        checked += 1
    assert checked


def test_corpus_837p_json_validates() -> None:
    import edi837

    checked = 0
    for path in _corpus("837p"):
        try:
            claims = edi837.loads(path.read_bytes())
        except X12Error:
            continue
        assert _errors(CLAIMS, claims) == [], path.name
        checked += 1
    assert checked
