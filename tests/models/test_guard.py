"""A user's own models.py shadowing ours must give a clear ImportError, not a confusing
AttributeError later."""

from __future__ import annotations

import pathlib
import subprocess
import sys

import pytest

SRC = pathlib.Path(__file__).resolve().parents[2] / "src"


def run_in(tmp_path: pathlib.Path, code: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / "models.py").write_text("Claim = 'not yours'\n")
    # The script's folder comes first on sys.path, exactly like a user's script beside models.py.
    script = tmp_path / "script.py"
    script.write_text(f"import sys\nsys.path.insert(1, {str(SRC)!r})\n{code}\n")
    return subprocess.run(
        [sys.executable, str(script)], cwd=tmp_path, capture_output=True, text=True, check=False
    )


def test_guard_names_the_shadowing_file(tmp_path: pathlib.Path) -> None:
    proc = run_in(
        tmp_path, "from x12._guard import require_library_models\nrequire_library_models()"
    )
    assert proc.returncode == 1
    assert "ImportError" in proc.stderr
    assert str(tmp_path / "models.py") in proc.stderr
    assert "shadow" in proc.stderr


@pytest.mark.parametrize("package", ["edi837", "edi835"])
def test_transaction_packages_refuse_a_foreign_models(tmp_path: pathlib.Path, package: str) -> None:
    if not (SRC / package / "__init__.py").is_file():
        pytest.skip(f"{package} is not built yet")
    proc = run_in(tmp_path, f"import {package}")
    assert proc.returncode == 1
    assert "ImportError" in proc.stderr and "shadow" in proc.stderr


def test_our_models_pass_the_guard() -> None:
    from x12._guard import require_library_models

    require_library_models()


def test_package_exports_the_main_models_lazily() -> None:
    import models
    from models.claim import Claim
    from models.remittance import Remittance
    from models.remittance_records import payment_records

    assert models.Claim is Claim
    assert models.Remittance is Remittance
    assert models.payment_records is payment_records
    for name in models.__all__:
        assert getattr(models, name) is not None
    with pytest.raises(AttributeError):
        _ = models.NoSuchModel  # type: ignore[attr-defined]
