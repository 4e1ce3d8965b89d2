"""`harness doctor`: what the machine has, and --require as a gate."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from harness.cli.app import main
from harness.cli.doctor import CHECKS
from harness.providers.claude_code import INSTALL_COMMAND, cli_version


def test_every_check_is_reported_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["doctor", "--json"]) == 0
    checks = json.loads(capsys.readouterr().out)
    assert [c["name"] for c in checks] == list(CHECKS)
    assert all(c["status"] in ("ok", "missing", "warning") and c["detail"] for c in checks)
    assert checks[0]["status"] == "ok"  # this interpreter runs the tests, so it is new enough


def test_a_missing_claude_code_cli_names_the_install_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("HARNESS_CLAUDE_CLI", str(tmp_path / "claude"))
    assert main(["doctor", "--require", "claude-code"]) == 1
    line = next(x for x in capsys.readouterr().out.splitlines() if "claude-code" in x)
    assert line.startswith("missing") and INSTALL_COMMAND in line


def test_a_present_cli_reports_its_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    fake = tmp_path / "claude"
    fake.write_text("#!/bin/sh\necho '9.8.7 (Claude Code)'\n")
    fake.chmod(0o755)
    cli_version.cache_clear()
    monkeypatch.setenv("HARNESS_CLAUDE_CLI", str(fake))
    assert main(["doctor", "--require", "claude-code"]) == 0
    assert f"9.8.7 at {fake}" in capsys.readouterr().out


def test_the_api_key_is_reported_never_shown(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-do-not-print")
    assert main(["doctor", "--require", "api-key"]) == 0
    out = capsys.readouterr().out
    assert "ANTHROPIC_API_KEY is set" in out and "sk-ant-do-not-print" not in out
    monkeypatch.delenv("ANTHROPIC_API_KEY")
    assert main(["doctor", "--require", "api-key"]) == 1


def test_an_unknown_check_is_bad_input(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["doctor", "--require", "gpu"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "claude-code" in err[0]


@pytest.mark.parametrize(
    ("stderr", "fix"),
    [
        ("bwrap: setting up uid map: Permission denied", "apparmor_restrict_unprivileged_userns=0"),
        ("bwrap: No permissions to create new namespace, likely because the kernel does not "
         "allow non-privileged user namespaces", "unprivileged_userns_clone=1"),
    ],
)  # fmt: skip
def test_a_kernel_that_forbids_user_namespaces_is_diagnosed_with_its_fix(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    stderr: str,
    fix: str,
) -> None:
    """bubblewrap as it fails on GitHub's ubuntu-24.04 runners (AppArmor) or a kernel with
    user namespaces off: a stand-in bwrap that prints the kernel's refusal."""
    import harness.sandbox.run as sandbox

    fake = tmp_path / "bin" / "bwrap"
    fake.parent.mkdir()
    fake.write_text(
        f"#!/bin/sh\ncase \"$1\" in --version) echo 'bubblewrap 0.11.0';; "
        f"*) echo '{stderr}' >&2; exit 1;; esac\n"
    )
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake.parent}:/usr/bin:/bin")
    monkeypatch.setattr(sandbox, "_checked", {})
    assert main(["doctor", "--require", "bwrap"]) == 1
    line = next(x for x in capsys.readouterr().out.splitlines() if x.startswith("missing"))
    assert "bwrap" in line and fix in line
    with pytest.raises(Exception, match=fix.replace(".", r"\.")) as raised:
        sandbox.ensure_sandbox("bwrap")
    assert "--sandbox none" not in str(raised.value)
