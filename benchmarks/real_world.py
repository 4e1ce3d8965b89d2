#!/usr/bin/env python3
"""`harness check` on real code you have: counts per rule, time, lines/s, ARCH000 reasons.

For each DIR given, it runs `harness check . --no-cache --format json --exit-zero` from
inside DIR and prints the files and lines checked, the wall time, lines per second, the
findings per rule and the reasons of every ARCH000 (grouped, with a few example files).
With `--cwd-check` it runs twice more, from DIR's parent (`harness check NAME`) and
through a parent directory named `services` (a symlink in a temporary directory), and
tells whether the three runs found the same findings: the layer scope, the excludes and
`per-file-ignores` must not depend on where the command runs.

    python benchmarks/real_world.py ~/src/project-a ~/src/project-b
    python benchmarks/real_world.py --cwd-check --json /tmp/real.json /work/corpus/*/

Lines are those of the files the checker itself would pick (its own discovery, default
excludes); nothing is cached, so every run parses everything.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = 3
_NUMBERS = re.compile(r"\d+")


def harness_cmd() -> list[str]:
    """`python -m harness` with this checkout first on the path."""
    return [sys.executable, "-m", "harness"]


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH", "")]))
    return env


def count_lines(directory: Path) -> tuple[int, int]:
    """Files and lines the checker would pick under `directory` (its own discovery)."""
    sys.path.insert(0, str(REPO))
    from harness.checker.config import CheckConfig
    from harness.checker.discover import discover

    files = discover([str(directory)], CheckConfig().excludes(), cwd=directory)
    lines = 0
    for source in files:
        with open(source.abs_path, "rb") as handle:
            lines += handle.read().count(b"\n")
    return len(files), lines


def run_check(path: str, cwd: Path, jobs: int | None) -> tuple[float, dict]:
    command = [*harness_cmd(), "check", path, "--no-cache", "--format", "json", "--exit-zero"]
    if jobs:
        command += ["--jobs", str(jobs)]
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=_env(), capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(
            f"{shlex.join(command)} (in {cwd}) exited {done.returncode}: {done.stderr}"
        )
    return seconds, json.loads(done.stdout)


def _key(finding: dict, prefix: str) -> tuple:
    path = finding["path"].removeprefix(prefix)
    return (path, finding["line"], finding["column"], finding["code"], finding["message"])


def arch000_reasons(findings: list[dict]) -> dict[str, list[str]]:
    """ARCH000 messages with numbers blanked, each with the files that got it."""
    reasons: dict[str, list[str]] = defaultdict(list)
    for finding in findings:
        if finding["code"] == "ARCH000":
            reasons[_NUMBERS.sub("N", finding["message"])].append(finding["path"])
    return dict(sorted(reasons.items(), key=lambda item: -len(item[1])))


def cwd_check(directory: Path, reference: list[dict], jobs: int | None) -> dict[str, object]:
    """The same findings from DIR's parent and through a parent directory named `services`."""
    want = {_key(f, "") for f in reference}
    _, from_parent = run_check(directory.name, directory.parent, jobs)
    parent = {_key(f, f"{directory.name}/") for f in from_parent["findings"]}
    with tempfile.TemporaryDirectory(prefix="real-world-") as tmp:
        services = Path(tmp) / "services"
        services.mkdir()
        (services / directory.name).symlink_to(directory, target_is_directory=True)
        _, through = run_check(f"services/{directory.name}", Path(tmp), jobs)
    prefix = f"services/{directory.name}/"
    via_services = {_key(f, prefix) for f in through["findings"]}
    return {
        "from_parent_same": parent == want,
        "from_parent_diff": len(parent ^ want),
        "via_services_same": via_services == want,
        "via_services_diff": len(via_services ^ want),
        "via_services_findings": len(via_services),
    }


def measure(directory: Path, jobs: int | None, check_cwd: bool) -> dict[str, object]:
    files, lines = count_lines(directory)
    seconds, result = run_check(".", directory, jobs)
    findings = result["findings"]
    figures: dict[str, object] = {
        "dir": str(directory),
        "files": files,
        "files_checked": result["files_checked"],
        "lines": lines,
        "seconds": round(seconds, 2),
        "lines_per_s": round(lines / seconds) if seconds else 0,
        "findings": len(findings),
        "per_rule": dict(sorted(Counter(f["code"] for f in findings).items())),
        "arch000": arch000_reasons(findings),
    }
    if check_cwd:
        figures["cwd"] = cwd_check(directory, findings, jobs)
    return figures


def report(figures: dict) -> None:
    print(f"== {figures['dir']}")
    print(
        f"   {figures['files_checked']} files, {figures['lines']:,} lines, "
        f"{figures['seconds']:.2f}s, {figures['lines_per_s']:,} lines/s, "
        f"{figures['findings']} findings"
    )
    print("   per rule: " + (", ".join(f"{c} {n}" for c, n in figures["per_rule"].items()) or "-"))
    arch000 = figures["arch000"]
    print(f"   ARCH000: {sum(len(v) for v in arch000.values())}")
    for reason, paths in arch000.items():
        examples = ", ".join(paths[:EXAMPLES]) + (", ..." if len(paths) > EXAMPLES else "")
        print(f"     {len(paths):>5}  {reason}  ({examples})")
    if "cwd" in figures:
        cwd = figures["cwd"]
        print(
            f"   from the parent: {'same' if cwd['from_parent_same'] else 'DIFFERENT'} "
            f"({cwd['from_parent_diff']} differ); through `services/`: "
            f"{'same' if cwd['via_services_same'] else 'DIFFERENT'} "
            f"({cwd['via_services_diff']} differ, {cwd['via_services_findings']} findings)"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dirs", nargs="+", type=Path, metavar="DIR")
    parser.add_argument("--jobs", type=int, help="pass --jobs N to harness check")
    parser.add_argument(
        "--cwd-check",
        action="store_true",
        help="also run from DIR's parent and through a parent named `services`, and compare",
    )
    parser.add_argument("--json", type=Path, metavar="OUT", help="also write the figures as JSON")
    args = parser.parse_args(argv)
    missing = [str(d) for d in args.dirs if not d.is_dir()]
    if missing:
        parser.error(f"not a directory: {', '.join(missing)}")
    all_figures = []
    for directory in args.dirs:
        figures = measure(directory.resolve(), args.jobs, args.cwd_check)
        report(figures)
        all_figures.append(figures)
    lines = sum(f["lines"] for f in all_figures)
    seconds = sum(f["seconds"] for f in all_figures)
    arch000 = sum(sum(len(v) for v in f["arch000"].values()) for f in all_figures)
    print(
        f"== total: {lines:,} lines, {seconds:.2f}s, {round(lines / seconds) if seconds else 0:,}"
        f" lines/s, {arch000} ARCH000"
    )
    print(
        f"   `python benchmarks/real_world.py {shlex.join(sys.argv[1:])}` ({os.cpu_count()} cores)"
    )
    if args.json:
        args.json.write_text(json.dumps(all_figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
