"""Shared fixtures: every test keeps its state in tmp, never in the repository."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(autouse=True)
def _isolated_cache(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HARNESS_CACHE_DIR", str(tmp_path_factory.mktemp("harness-cache")))
    monkeypatch.delenv("HARNESS_DEBUG", raising=False)
    for name in ("ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN", "ANTHROPIC_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ANTHROPIC_OPEN_TELEMETRY", "false")


def write_tree(root: Path, files: dict[str, str | bytes]) -> Path:
    """Create files under root from {relative path: content}."""
    for relative, content in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def render_starter(destination: Path, starter: str = "house-style") -> Path:
    """A starter workspace of the real tasks folder, without any task."""
    from harness.tasks.loader import starter_layers
    from harness.tasks.workspace import copy_layers

    return copy_layers(starter_layers(REPO / "tasks", starter), destination)


@pytest.fixture
def tasks_root(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A tasks folder with the real starters and the small test task `health-db` (which runs
    on the house-style starter only)."""
    import shutil

    root = tmp_path_factory.mktemp("tasks")
    for shared in ("_starters", "_kits"):
        shutil.copytree(REPO / "tasks" / shared, root / shared)
    shutil.copytree(DATA / "tasks" / "health-db", root / "health-db")
    monkeypatch.setenv("HARNESS_TASKS_DIR", str(root))
    return root
