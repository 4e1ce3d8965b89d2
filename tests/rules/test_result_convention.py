"""ARCH102 applies where the project's services use a Result convention (issue 16)."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.checker.config import CheckConfig
from harness.checker.run import NO_RESULT_CONVENTION, check_paths
from harness.cli.app import main
from harness.rules.project import ProjectIndex, extract_exports
from tests.conftest import write_tree

RAISES = "class Gone(Exception):\n    pass\n\n\ndef get():\n    raise Gone()\n"
PAIR = "class Success:\n    pass\n\n\nclass Failure:\n    pass\n\n\nResult = Success | Failure\n"


def index(modules: dict[str, tuple[str, bool]]) -> ProjectIndex:
    """{module name: (source, is a service)} -> the project index of those modules."""
    project = ProjectIndex(local_roots=frozenset(m.split(".")[0] for m in modules))
    for name, (source, is_service) in modules.items():
        project.add(extract_exports(source.encode(), name, False), is_service)
    return project


@pytest.mark.parametrize(
    ("modules", "expected"),
    [
        # a service imports from the project's Result module: even `Result` alone counts
        (
            {
                "app.core.result": (PAIR, False),
                "app.services.a": ("from app.core.result import Result\n", True),
            },
            True,
        ),
        # a service imports a pair from a module that is not checked
        ({"app.services.a": ("from app.core.result import success, failure\n", True)}, True),
        ({"app.services.a": ("from app.result import Ok, Err\n", True)}, True),
        # a Result library, imported by a service
        ({"app.services.a": ("from returns.result import Result\n", True)}, True),
        ({"app.services.a": ("import returns\n", True)}, True),
        # a service that defines its own pair
        ({"app.services.a": (PAIR, True)}, True),
        # a Result type in a corner of the project that no service uses
        (
            {
                "app.mcp.result": ("class Ok:\n    pass\n\nclass Error:\n    pass\n", False),
                "app.mcp.x": ("from app.mcp.result import Ok, Error\n", False),
                "app.services.a": (RAISES, True),
            },
            False,
        ),
        # `Result` alone is SQLAlchemy's or a schema's, not a convention
        ({"app.services.a": ("from sqlalchemy.engine import Result\n", True)}, False),
        (
            {
                "app.schemas": ("class Result:\n    pass\n", False),
                "app.services.a": ("from app.schemas import Result\n", True),
            },
            False,
        ),
        # half a pair, and a pair from a third-party module that is no Result library
        ({"app.services.a": ("from app.core.result import success\n", True)}, False),
        ({"app.services.a": ("from ui.messages import Success, Failure\n", True)}, False),
    ],
)
def test_which_projects_have_a_result_convention(
    modules: dict[str, tuple[str, bool]], expected: bool
) -> None:
    assert index(modules).result_convention() is expected


def _tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_tree(tmp_path, {"app/__init__.py": "", "app/services/users.py": RAISES})
    monkeypatch.chdir(tmp_path)


def test_without_a_convention_arch102_is_quiet_and_says_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _tree(tmp_path, monkeypatch)
    result = check_paths(["app"])
    assert result.findings == () and result.notes == (NO_RESULT_CONVENTION,)
    assert check_paths(["app"], select=["ARCH101"]).notes == ()


def test_always_applies_it_without_a_convention(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _tree(tmp_path, monkeypatch)
    result = check_paths(["app"], CheckConfig(result_convention="always"))
    assert [(f.line, f.code) for f in result.findings] == [(6, "ARCH102")]
    assert result.notes == ()


def test_statistics_print_the_note_and_the_setting_is_read_from_pyproject(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _tree(tmp_path, monkeypatch)
    assert main(["check", "app", "--statistics"]) == 0
    out = capsys.readouterr().out
    assert f"note: {NO_RESULT_CONVENTION}" in out
    (tmp_path / "pyproject.toml").write_text('[tool.harness.check]\nresult-convention = "always"\n')
    assert main(["check", "app", "--statistics"]) == 1
    out = capsys.readouterr().out
    assert "ARCH102" in out and "note:" not in out
    (tmp_path / "pyproject.toml").write_text('[tool.harness.check]\nresult-convention = "never"\n')
    assert main(["check", "app"]) == 2
