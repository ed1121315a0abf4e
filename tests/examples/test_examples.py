"""Every script in examples/ runs (as a newcomer would run it) and prints what it promises."""

from __future__ import annotations

import os
import pathlib
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
SCRIPTS = sorted(EXAMPLES.glob("*.py"))

# Text each script must print (stdout); scripts not listed must exit 0 and print something.
EXPECTED: dict[str, tuple[str, ...]] = {
    "read_835.py": ("paid", "balanced"),
    "list_denials.py": ("CO-",),
    "write_999.py": ("InterchangeAck",),
    "batch_several_providers.py": ("wrote", "billing provider levels (HL 20) in the batch: 3"),
    "post_payments.py": ("deposit expected: 598.28", "still owed"),
    "split_patient_responsibility.py": ("deductible", "coinsurance", "CARC"),
    "generate_test_claims_and_remittance.py": ("claims.837", "remittance.835", "balanced"),
    "remittance_tables.py": ("claims.csv",),
    "remittance_report.py": ("remittance.html", "12 claims"),
    "write_professional_claim.py": (
        "CLM*PCN-2024-0001*185",
        "read back: the same claim",
        "claims[1].charge",
    ),
    "read_837.py": ("4 claim(s) read", "diagnoses:", "line 1:"),
    "spark_folder.py": (),  # prints its tables, or how to install Spark when it is absent
}


@pytest.mark.parametrize("script", SCRIPTS, ids=[p.name for p in SCRIPTS])
def test_example_says_how_to_run_it(script: pathlib.Path) -> None:
    import ast

    doc = ast.get_docstring(ast.parse(script.read_text(encoding="utf-8")))
    assert doc and "Run:" in doc, f"{script.name}: a docstring with a 'Run:' line"


def _env(tmp_path: pathlib.Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), *filter(None, [env.get("PYTHONPATH")])])
    env["TMPDIR"] = str(tmp_path)  # examples write only to a temporary directory
    return env


def test_tables_example_skips_without_pandas(tmp_path: pathlib.Path) -> None:
    code = (
        "import runpy, sys; sys.modules['pandas'] = None; sys.modules['pyarrow'] = None; "
        f"sys.argv = [{str(EXAMPLES / 'remittance_tables.py')!r}]; "
        f"runpy.run_path(sys.argv[0], run_name='__main__')"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "claims.csv" in proc.stdout
    assert 'pip install "x12-claims[tables]"' in proc.stdout


@pytest.mark.parametrize("script", SCRIPTS, ids=[p.name for p in SCRIPTS])
def test_example_runs(script: pathlib.Path, tmp_path: pathlib.Path) -> None:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), *filter(None, [env.get("PYTHONPATH")])])
    env["TMPDIR"] = str(tmp_path)  # examples write only to a temporary directory
    before = sorted(p.name for p in EXAMPLES.iterdir())
    proc = subprocess.run(
        [sys.executable, str(script)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,  # the Spark example starts a local JVM
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.strip(), "an example should show something"
    for text in EXPECTED.get(script.name, ()):
        assert text in proc.stdout, f"{script.name}: {text!r} not in its output"
    assert "Traceback" not in proc.stderr
    assert sorted(p.name for p in EXAMPLES.iterdir()) == before, "an example wrote into examples/"
    assert not [p for p in tmp_path.iterdir() if p.is_file() and p.suffix in (".837", ".835")]
