"""Scope paths do not depend on where `harness check` runs, nor on how the tree is reached.

The layer scope, the excludes and `per-file-ignores` read paths relative to the project
root: a parent directory named `services` once made every file a service (a `main.py`
importing FastAPI got "Service imports `FastAPI`"), and per-file-ignores stopped applying
from a subdirectory.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from harness.checker.discover import discover
from harness.cli.app import main
from tests.conftest import write_tree

SERVICE_BAD = (
    "from fastapi import HTTPException\n\n\nclass UserService:\n"
    "    def get(self, user_id):\n        raise HTTPException(status_code=404)\n"
)
MAIN = "from fastapi import FastAPI\n\napp = FastAPI()\n"
CONFIG = (
    "[tool.harness.check]\n"
    "extend-exclude = ['app/legacy']\n"
    "[tool.harness.check.per-file-ignores]\n"
    "'app/services/orders.py' = ['ARCH101']\n"
)
PACKAGED = {
    "app/__init__.py": "",
    "app/main.py": MAIN,
    "app/services/__init__.py": "",
    "app/services/users.py": SERVICE_BAD,
    "app/services/orders.py": SERVICE_BAD,
    "app/legacy/__init__.py": "",
    "app/legacy/old_service.py": SERVICE_BAD,
}


def findings(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, cwd: Path, path: str
) -> set[tuple[str, int, str]]:
    """(path relative to PATH, line, code) of `harness check PATH` run in `cwd`."""
    monkeypatch.chdir(cwd)
    main(["check", path, "--no-cache", "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    prefix = "" if path == "." else path.rstrip("/") + "/"
    return {(f["path"].removeprefix(prefix), f["line"], f["code"]) for f in data["findings"]}


@pytest.mark.parametrize("config", [CONFIG, None], ids=["configured", "no-pyproject"])
def test_same_findings_from_the_root_a_subdirectory_and_a_parent_named_services(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    config: str | None,
) -> None:
    project = tmp_path / "services" / "shop"
    write_tree(project, PACKAGED | ({"pyproject.toml": config} if config else {}))

    def run(cwd: Path, path: str) -> set[tuple[str, int, str]]:
        return findings(capsys, monkeypatch, cwd, path)

    from_root = run(project, "app")
    assert ("services/users.py", 6, "ARCH101") in from_root
    assert all(not p.startswith("main.py") for p, _, _ in from_root)  # main.py is no service
    if config:
        assert ("services/orders.py", 6, "ARCH101") not in from_root  # per-file-ignores
        assert all("legacy" not in p for p, _, _ in from_root)  # excluded
    assert run(project / "app", ".") == from_root  # a subdirectory
    assert run(tmp_path, "services/shop/app") == from_root  # through `services/`
    assert run(tmp_path / "services", "shop/app") == from_root


def test_loose_files_are_scoped_from_the_project_marker(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """No package, no config: the nearest pyproject.toml / setup.py is the root."""
    project = tmp_path / "services" / "tool"
    write_tree(
        project,
        {"setup.py": "", "main.py": MAIN, "services/users.py": SERVICE_BAD, "lib/helpers.py": ""},
    )
    root = {
        (f.scope_path, f.display_path)
        for f in discover(["services/tool"], ("tests",), cwd=tmp_path)
    }
    assert root == {
        ("main.py", "services/tool/main.py"),
        ("services/users.py", "services/tool/services/users.py"),
        ("lib/helpers.py", "services/tool/lib/helpers.py"),
        ("setup.py", "services/tool/setup.py"),
    }
    inside = {f.scope_path for f in discover(["."], ("tests",), cwd=project / "services")}
    assert inside == {"services/users.py"}


def test_migrations_stay_out_even_when_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    migration = "from alembic import op\n\n\ndef upgrade():\n    TABLE = 'users'\n"
    write_tree(
        tmp_path,
        {
            "pyproject.toml": "[project]\nname = 'shop'\n",
            "alembic/versions/0001_init.py": migration,
            "app/migrations/0002.py": migration,
            "tests/test_x.py": migration,
        },
    )
    excludes = ("tests", "alembic/versions", "migrations")
    named = ["alembic/versions", "alembic/versions/0001_init.py", "app/migrations"]
    assert discover(named, excludes, cwd=tmp_path) == []
    assert discover(["."], excludes, cwd=tmp_path / "app" / "migrations") == []
    # other excluded files are checked when named, like ruff does
    assert [f.scope_path for f in discover(["tests/test_x.py"], excludes, cwd=tmp_path)] == [
        "tests/test_x.py"
    ]
    # and migrations too, once the configuration no longer excludes them
    assert len(discover(named, ("tests",), cwd=tmp_path)) == 2


def test_a_singular_service_directory_gets_a_hint_not_a_finding(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write_tree(
        tmp_path,
        {
            "shop/__init__.py": "",
            "shop/users/__init__.py": "",
            "shop/users/service/__init__.py": "",
            "shop/users/service/core.py": SERVICE_BAD,
            "shop/users/service/helpers.py": "def helper():\n    return 1\n",
            "shop/orders/service/core.py": SERVICE_BAD.replace("UserService", "OrderService"),
            "shop/billing/service_client.py": SERVICE_BAD,  # a file, not a directory
        },
    )
    monkeypatch.chdir(tmp_path)
    code = main(["check", "shop", "--no-cache", "--format", "json"])
    captured = capsys.readouterr()
    data = json.loads(captured.out)
    assert code == 0 and data["findings"] == []
    [hint] = data["hints"]
    assert hint.startswith("2 files in directories named `service` define `*Service` classes")
    assert 'service-dirs = ["services", "service"]' in hint
    assert captured.err == f"hint: {hint}\n"
    (tmp_path / "pyproject.toml").write_text(
        "[tool.harness.check]\nservice-dirs = ['services', 'service']\n"
    )
    main(["check", "shop", "--no-cache", "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    assert data["hints"] == []
    assert {(f["path"], f["code"]) for f in data["findings"]} >= {
        ("shop/users/service/core.py", "ARCH101"),
        ("shop/orders/service/core.py", "ARCH101"),
    }
