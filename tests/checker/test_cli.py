"""`harness check` as a user runs it: formats, exit codes, config, cache, bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from harness.cli.app import main
from tests.conftest import DATA, write_tree

SERVICE_BAD = (
    "from fastapi import HTTPException\n\n\nclass UserService:\n"
    "    def get(self, user_id):\n        raise HTTPException(status_code=404)\n"
)
PROJECT = {
    "app/__init__.py": "",
    "app/services/__init__.py": "",
    "app/services/users.py": SERVICE_BAD,
    "app/services/clean.py": "from app.core.result import success\n\n\ndef ok():\n    return success(1)\n",
    "app/services/big.py": "class Big:\n    def run(self):\n" + "        x = 1\n" * 160,
}


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    write_tree(tmp_path, PROJECT)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_text_output_is_ruff_like(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "check", "app")
    lines = out.splitlines()
    assert code == 1 and err == ""
    assert lines[0].startswith("app/services/big.py:1:1: ARCH201 ")
    assert (
        "app/services/users.py:1:1: ARCH501 Service imports `HTTPException` from `fastapi`" in out
    )
    assert "app/services/users.py:6:9: ARCH101 " in out
    assert lines[-1] == "Found 3 findings (2 errors, 1 warning) in 5 files checked."


def test_json_output_has_the_fixed_keys(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", "app", "--format", "json")
    data = json.loads(out)
    assert code == 1 and data["files_checked"] == 5
    first = data["findings"][0]
    assert list(first) == ["code", "rule", "severity", "path", "line", "column", "message"]
    assert {(f["code"], f["path"], f["line"]) for f in data["findings"]} >= {
        ("ARCH101", "app/services/users.py", 6),
        ("ARCH201", "app/services/big.py", 1),
    }


def test_sarif_validates_against_the_2_1_0_schema(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "check", "app", "--format", "sarif")
    log = json.loads(out)
    schema = json.loads((DATA / "sarif" / "sarif-schema-2.1.0.json").read_text())
    jsonschema.Draft7Validator(schema).validate(log)
    results = log["runs"][0]["results"]
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert code == 1 and len(results) == 3
    assert all(rules[r["ruleIndex"]]["id"] == r["ruleId"] for r in results)
    assert {r["level"] for r in results} == {"error", "warning"}


def test_sarif_schema_rejects_a_broken_log() -> None:
    """Guards the test above: the shipped schema is strict enough to fail."""
    schema = json.loads((DATA / "sarif" / "sarif-schema-2.1.0.json").read_text())
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft7Validator(schema).validate({"version": "2.1.0", "runs": [{"tool": {}}]})


def test_github_annotations(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", "app", "--format", "github")
    assert code == 1
    assert (
        "::error file=app/services/users.py,line=6,col=9,title=ARCH101 http-exception-in-service::"
        in out
    )
    assert "::warning file=app/services/big.py,line=1,col=1," in out


def test_clean_tree_exits_zero(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", "app/services/clean.py")
    assert (code, out) == (0, "All checks passed! (1 file checked)\n")


def test_warnings_alone_exit_zero(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", "app", "--select", "ARCH201")
    assert code == 0 and "ARCH201" in out


def test_select_ignore_by_code_prefix_and_slug(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, out, _ = run(
        capsys, "check", "app", "--select", "ARCH1,framework-import-in-service", "--format", "json"
    )
    assert {f["code"] for f in json.loads(out)["findings"]} == {"ARCH101", "ARCH501"}
    _, out, _ = run(capsys, "check", "app", "--ignore", "ARCH5,ARCH201", "--format", "json")
    assert {f["code"] for f in json.loads(out)["findings"]} == {"ARCH101"}


def test_exit_zero_flag(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "check", "app", "--exit-zero")[0] == 0


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["check", "missing_dir"], "missing_dir: no such file or directory"),
        (["check", "app", "--select", "ARCH999"], "unknown rule 'ARCH999'"),
        (["check", "app", "--format", "xml"], "invalid choice: 'xml'"),
        (["check", "app", "--config", "nope.toml"], "--config nope.toml: no such file"),
        (["nonsense"], "invalid choice: 'nonsense'"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    project: Path, capsys: pytest.CaptureFixture[str], argv: list[str], needle: str
) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and needle in err, err


@pytest.mark.parametrize(
    ("toml", "needle"),
    [
        ("[tool.harness.check]\nservice-max-lines = 'big'\n", "service-max-lines"),
        ("[tool.harness.check]\nunknown-key = 1\n", "unknown-key"),
        ("[tool.harness.check]\nselect = ['ARCH7']\n", "unknown rule 'ARCH7'"),
        ("[tool.harness.check\n", "invalid TOML"),
    ],
)
def test_bad_config_is_one_line_and_exit_2(
    project: Path, capsys: pytest.CaptureFixture[str], toml: str, needle: str
) -> None:
    (project / "pyproject.toml").write_text(toml)
    code, _, err = run(capsys, "check", "app", "--config", "pyproject.toml")
    assert code == 2 and len(err.strip().splitlines()) == 1 and needle in err, err


def test_config_thresholds_scopes_and_per_file_ignores(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "pyproject.toml").write_text(
        "[tool.harness.check]\n"
        "service-max-lines = 500\n"
        "service-files = ['*_logic.py']\n"
        "[tool.harness.check.per-file-ignores]\n"
        "'app/services/users.py' = ['ARCH501']\n"
    )
    write_tree(project, {"app/domain/order_logic.py": "def f():\n    raise HTTPException(400)\n"})
    _, out, _ = run(capsys, "check", "app", "--format", "json")
    found = {(f["code"], f["path"]) for f in json.loads(out)["findings"]}
    assert found == {("ARCH101", "app/services/users.py"), ("ARCH101", "app/domain/order_logic.py")}


def test_default_exclusions(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = "def f():\n    LIMIT = 1\n"
    write_tree(
        project,
        {
            f"{d}/x.py": bad
            for d in [
                ".venv/lib",
                "node_modules/pkg",
                "alembic/versions",
                "migrations",
                "tests",
                ".git/hooks",
                "app/__pycache__",
            ]
        }
        | {"app/test_x.py": bad, "app/x_test.py": bad, "app/conftest.py": bad, "app/real.py": bad},
    )
    _, out, _ = run(capsys, "check", ".", "--format", "json")
    assert {f["path"] for f in json.loads(out)["findings"] if f["code"] == "ARCH301"} == {
        "app/real.py"
    }


def test_explicit_file_is_checked_even_if_excluded(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_tree(project, {"tests/test_x.py": "def f():\n    LIMIT = 1\n"})
    code, out, _ = run(capsys, "check", "tests/test_x.py")
    assert code == 1 and "ARCH301" in out


def test_robust_on_hostile_trees(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_tree(
        project,
        {
            "weird/empty.py": "",
            "weird/latin.py": b"x = '\xe9\xff'\n",
            "weird/broken.py": "def f(:\n",
            "weird/ok.py": "def f():\n    LIMIT = 1\n",
            "weird/dir.py/inner.py": "x = 1\n",
        },
    )
    os.symlink("loop_a.py", project / "weird" / "loop_b.py")
    os.symlink("loop_b.py", project / "weird" / "loop_a.py")
    os.symlink(".", project / "weird" / "self")
    os.symlink("/nonexistent/file.py", project / "weird" / "dangling.py")
    code, out, err = run(capsys, "check", "weird", "--format", "json")
    data = json.loads(out)
    found = {(f["path"], f["code"]) for f in data["findings"]}
    assert code == 1 and err == ""
    assert found == {
        ("weird/latin.py", "ARCH000"),
        ("weird/broken.py", "ARCH000"),
        ("weird/ok.py", "ARCH301"),
    }


def test_unreadable_file_is_reported_not_fatal(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import harness.checker.run as run_module

    real_open = open

    def fake_open(path, *args, **kwargs):  # type: ignore[no-untyped-def]
        if str(path).endswith("users.py"):
            raise PermissionError(13, "Permission denied")
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(run_module, "open", fake_open, raising=False)
    _, out, _ = run(capsys, "check", "app", "--format", "json")
    found = {(f["path"], f["code"], f["message"]) for f in json.loads(out)["findings"]}
    assert ("app/services/users.py", "ARCH000", "Cannot read file: Permission denied") in found


def test_huge_file_is_reported_not_parsed(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "pyproject.toml").write_text("[tool.harness.check]\nmax-file-bytes = 1000\n")
    write_tree(project, {"app/huge.py": "x = 1\n" * 1000})
    _, out, _ = run(capsys, "check", "app/huge.py", "--format", "json")
    [finding] = json.loads(out)["findings"]
    assert finding["code"] == "ARCH000" and "too large" in finding["message"]


def test_warm_run_uses_the_cache(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import harness.checker.run as run_module

    cache = project / "cache"
    first = run(capsys, "check", "app", "--cache-dir", str(cache), "--format", "json")
    calls: list[int] = []
    real = run_module.check_batch
    monkeypatch.setattr(
        run_module, "check_batch", lambda batch: calls.append(len(batch[1])) or real(batch)
    )
    second = run(capsys, "check", "app", "--cache-dir", str(cache), "--format", "json")
    assert second == first and calls == []
    (project / "app/services/clean.py").write_text("def f():\n    LIMIT = 2\n")
    third = run(capsys, "check", "app", "--cache-dir", str(cache), "--format", "json")
    assert calls == [1] and "ARCH301" in third[1]
    assert run(capsys, "check", "app", "--no-cache", "--format", "json") == third
    assert calls == [1, 4]  # everything again, but the empty app/__init__.py needs no parse


def test_cached_paths_follow_the_working_directory(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = str(project / "cache")
    run(capsys, "check", "app", "--cache-dir", cache)
    monkeypatch.chdir(project / "app")
    _, out, _ = run(capsys, "check", "services", "--cache-dir", cache, "--format", "json")
    assert "services/users.py" in {f["path"] for f in json.loads(out)["findings"]}


def test_parallel_and_serial_runs_agree(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    files = {f"app/services/s{i}.py": SERVICE_BAD for i in range(60)}
    write_tree(tmp_path, files)
    monkeypatch.chdir(tmp_path)
    serial = run(capsys, "check", "app", "--jobs", "1", "--no-cache", "--format", "json")
    parallel = run(capsys, "check", "app", "--jobs", "2", "--no-cache", "--format", "json")
    assert serial == parallel and len(json.loads(serial[1])["findings"]) == 120


def test_fix_rewrites_and_reports(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = project / "app/limits.py"
    target.write_text(
        "def f(x):\n    LIMIT = 3\n    NAMES = ['a']\n    SCALED = x * 2\n"
        "    return LIMIT, NAMES, SCALED\n"
    )
    code, out, err = run(capsys, "check", "app/limits.py", "--fix")
    assert target.read_text().startswith("LIMIT = 3\n\n\ndef f(x):\n")
    assert "moved `LIMIT` to module level" in err and "`NAMES`: its value is mutable" in err
    # SCALED is built from a parameter: a renamed local, neither reported nor moved
    assert code == 1 and "NAMES" in out and "`LIMIT`" not in out and "SCALED" not in out + err


def test_module_entry_point_and_version() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "harness", "--version"], capture_output=True, text=True
    )
    assert result.returncode == 0 and result.stdout.startswith("harness ")


def test_help_does_not_import_heavy_modules() -> None:
    """`harness --help` must start fast: libcst, rich and pydantic load only when used."""
    code = (
        "import sys, contextlib, io\nfrom harness.cli.app import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n    main(['--help'])\n"
        "print(sorted(m for m in ('libcst', 'rich', 'pydantic', 'jinja2') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "[]", result.stderr


def test_check_text_output_does_not_import_rich_or_pydantic_models_of_other_commands() -> None:
    code = (
        "import sys, contextlib, io\nfrom harness.cli.app import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n    main(['check', 'harness/__init__.py', '--no-cache'])\n"
        "print('rich' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=DATA.parents[1]
    )
    assert result.stdout.strip() == "False", result.stderr


def test_a_cached_run_does_not_import_libcst(project: Path) -> None:
    """Warm runs must stay cheap: the cache answers without the parser or the rule classes."""
    code = (
        "import sys, contextlib, io\nfrom harness.cli.app import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    main(['check', 'app', '--cache-dir', 'cache'])\n"
        "    first = 'libcst' in sys.modules\n"
        "print(first)"
    )
    cold = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=project)
    warm = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=project)
    assert (cold.stdout.strip(), warm.stdout.strip()) == ("True", "False"), (
        cold.stderr + warm.stderr
    )


def test_rules_lists_and_explains_every_code_a_report_can_hold(capsys) -> None:  # type: ignore[no-untyped-def]
    """ARCH701 is judged when a sample is scored, not by `harness check`, but every report
    lists it, so `harness rules` explains it like the others."""
    from harness.cli.app import main

    assert main(["rules"]) == 0
    listing = capsys.readouterr().out
    assert "ARCH701  out-of-scope-change" in listing and "ARCH602  raw-sql" in listing
    for name in ("ARCH701", "out-of-scope-change"):
        assert main(["rules", name]) == 0
        explained = capsys.readouterr().out
        assert explained.startswith("# ARCH701 out-of-scope-change (error)")
        assert "## What it does" in explained and "## Why is this bad?" in explained
