"""`harness check --fix`: apply the ARCH301 fix to files on disk, atomically."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from harness.checker.config import CheckConfig
from harness.checker.discover import discover
from harness.rules.constant_in_function import ConstantInFunction
from harness.rules.context import FileInfo
from harness.rules.engine import check_module


@dataclass
class FixReport:
    """What --fix changed and what it had to leave, one line each, ruff-style."""

    fixed: list[str] = field(default_factory=list)
    unfixed: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        summary = f"Fixed {len(self.fixed)} finding{'s' if len(self.fixed) != 1 else ''}"
        if self.unfixed:
            summary += f"; {len(self.unfixed)} could not be fixed safely"
        return [*self.fixed, *self.unfixed, summary + "."]


def _write_atomically(path: str, text: str, encoding: str) -> None:
    directory = os.path.dirname(path) or "."
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".harness-fix-", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding=encoding, newline="") as handle:
            handle.write(text)
        os.chmod(tmp, os.stat(path).st_mode & 0o7777)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def fix_paths(paths: Sequence[str], config: CheckConfig, root: Path | None = None) -> FixReport:
    from harness.rules.fix_constants import fix_constants

    report = FixReport()
    for source in discover(paths, config.excludes(), root=root):
        try:
            with open(source.abs_path, "rb") as handle:
                data = handle.read()
            text = data.decode("utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        info = FileInfo(path=source.display_path, module_name=source.module_name)
        findings = check_module(data, info, [ConstantInFunction], thresholds=config.thresholds())
        lines = {f.line for f in findings if f.code == ConstantInFunction.CODE}
        if not lines:
            continue
        outcome = fix_constants(text, lines)
        for name, line in outcome.moved:
            report.fixed.append(
                f"{source.display_path}:{line}: ARCH301 fixed: moved `{name}` to module level"
            )
        for skipped in outcome.skipped:
            verb = "fixed" if skipped.reason.startswith("removed") else "not fixed"
            target = report.fixed if verb == "fixed" else report.unfixed
            target.append(
                f"{source.display_path}:{skipped.line}: ARCH301 {verb}: `{skipped.name}`: {skipped.reason}"
            )
        if outcome.code != text:
            _write_atomically(source.abs_path, outcome.code, "utf-8")
    return report
