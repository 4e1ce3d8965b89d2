"""check_paths(): cross-file cache invalidation and surviving a dying worker."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from harness.checker import run as run_module
from harness.checker.run import check_paths
from tests.conftest import write_tree


def test_a_change_in_another_module_invalidates_cached_findings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_tree(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/core/__init__.py": "from app.core.errors import NotFound\n",
            "app/core/errors.py": "from fastapi import HTTPException\n\nNotFound = HTTPException(404)\n",
            "app/core/result.py": "class Success:\n    pass\n\nclass Failure:\n    pass\n",
            "app/services/users.py": (
                "from app.core import NotFound\nfrom app.core.result import Failure\n\n\n"
                "def get():\n    raise NotFound\n"
            ),
        },
    )
    monkeypatch.chdir(tmp_path)
    cache = tmp_path / "cache"
    first = check_paths(["app"], cache_dir=cache)
    assert [(f.path, f.code) for f in first.findings] == [("app/services/users.py", "ARCH101")]
    (tmp_path / "app/core/errors.py").write_text("class NotFound(Exception):\n    pass\n")
    second = check_paths(["app"], cache_dir=cache)
    assert [(f.path, f.code) for f in second.findings] == [("app/services/users.py", "ARCH102")]


def test_a_result_convention_added_elsewhere_invalidates_cached_findings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ARCH102 depends on the whole project: a cached file must be re-checked when another
    service brings in (or drops) a Result convention."""
    write_tree(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/services/users.py": "class Gone(Exception):\n    pass\n\n\ndef get():\n    raise Gone\n",
            "app/services/orders.py": "x = 1\n",
        },
    )
    monkeypatch.chdir(tmp_path)
    cache = tmp_path / "cache"
    assert check_paths(["app"], cache_dir=cache).findings == ()
    (tmp_path / "app/services/orders.py").write_text("from returns.result import Result\n")
    second = check_paths(["app"], cache_dir=cache)
    assert [(f.path, f.line, f.code) for f in second.findings] == [
        ("app/services/users.py", 6, "ARCH102")
    ]
    (tmp_path / "app/services/orders.py").write_text("x = 2\n")
    assert check_paths(["app"], cache_dir=cache).findings == ()


def crash_on_marker(batch):  # type: ignore[no-untyped-def]
    """A stand-in for a parser that kills its process on one file."""
    _, files = batch
    if any(b"CRASH" in data for _, data, _ in files):
        os._exit(1)
    return [(source.abs_path, [], {}) for source, _, _ in files]


def test_a_dying_worker_costs_only_its_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = {f"app/services/m{i}.py": "x = 1\n" for i in range(60)}
    files["app/services/m7.py"] = "CRASH = 1\n"
    write_tree(tmp_path, files)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(run_module, "check_batch", crash_on_marker)
    result = check_paths(["app"], jobs=2)
    assert result.files_checked == 60
    assert [(f.path, f.code) for f in result.findings] == [("app/services/m7.py", "ARCH000")]
    assert "crashed" in result.findings[0].message
