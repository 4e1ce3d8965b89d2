"""The package's layers (pyproject's import-linter contract): from the CLI down to the core,
no module imports a layer above its own. Run on the real tree, and on a copy with one
upward import planted, which must be caught."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    """import-linter on the `harness` package found first on the path under `root`."""
    env = {**os.environ, "PYTHONPATH": str(root)}
    config = str(REPO / "pyproject.toml")
    command = [shutil.which("lint-imports") or "lint-imports", "--config", config, "--no-cache"]
    return subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, timeout=300)


def test_no_module_imports_a_layer_above_its_own() -> None:
    result = lint_imports(REPO)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "1 kept, 0 broken" in result.stdout


def test_a_planted_upward_import_is_caught(tmp_path: Path) -> None:
    shutil.copytree(
        REPO / "harness", tmp_path / "harness", ignore=shutil.ignore_patterns("__pycache__")
    )
    usage = tmp_path / "harness" / "core" / "usage.py"
    usage.write_text(
        usage.read_text() + "\n\ndef _planted() -> None:\n    import harness.cli.app\n"
    )
    result = lint_imports(tmp_path)
    assert result.returncode == 1, result.stdout[-3000:]
    assert "harness.core is not allowed to import" in result.stdout
    assert "harness.core.usage -> harness.cli.app" in result.stdout
