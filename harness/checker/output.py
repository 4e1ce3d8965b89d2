"""Writers for `harness check`: text (ruff-like), json, sarif, github, statistics."""

from __future__ import annotations

import json
from collections import Counter
from typing import TextIO

from harness import __version__
from harness.checker.run import CheckResult
from harness.rules.finding import Finding, Severity

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"
INFORMATION_URI = "https://github.com/fastapi-agent-harness/harness"
_SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning"}


def _summary(result: CheckResult) -> str:
    counts = Counter(f.severity for f in result.findings)
    files = f"{result.files_checked} file{'s' if result.files_checked != 1 else ''} checked"
    if not result.findings:
        return f"All checks passed! ({files})"
    errors, warnings = counts[Severity.ERROR], counts[Severity.WARNING]
    parts = [f"{errors} error{'s' if errors != 1 else ''}"]
    if warnings:
        parts.append(f"{warnings} warning{'s' if warnings != 1 else ''}")
    total = len(result.findings)
    return f"Found {total} finding{'s' if total != 1 else ''} ({', '.join(parts)}) in {files}."


def write_text(result: CheckResult, out: TextIO, color: bool) -> None:
    if color:
        from rich.console import Console
        from rich.markup import escape

        console = Console(file=out, highlight=False, soft_wrap=True)
        for f in result.findings:
            style = "red" if f.severity == Severity.ERROR else "yellow"
            console.print(
                f"[bold]{escape(f.path)}[/bold][cyan]:[/cyan]{f.line}[cyan]:[/cyan]{f.column}"
                f"[cyan]:[/cyan] [bold {style}]{f.code}[/bold {style}] {escape(f.message)}"
            )
        console.print(("[green]" if not result.findings else "[bold]") + escape(_summary(result)))
        return
    for f in result.findings:
        out.write(f"{f.path}:{f.line}:{f.column}: {f.code} {f.message}\n")
    out.write(_summary(result) + "\n")


def write_json(result: CheckResult, out: TextIO) -> None:
    json.dump(result.to_dict(), out, indent=2)
    out.write("\n")


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def write_github(result: CheckResult, out: TextIO) -> None:
    """GitHub Actions workflow commands: one annotation per finding."""
    for f in result.findings:
        level = "error" if f.severity == Severity.ERROR else "warning"
        props = (
            f"file={_escape_property(f.path)},line={f.line},col={f.column},"
            f"title={_escape_property(f'{f.code} {f.rule}')}"
        )
        out.write(f"::{level} {props}::{_escape_data(f'{f.code} {f.message}')}\n")


def sarif_log(result: CheckResult) -> dict[str, object]:
    """A SARIF 2.1.0 log that GitHub code scanning accepts."""
    import inspect

    from harness.rules import all_rules

    rules = all_rules()
    index = {rule.CODE: i for i, rule in enumerate(rules)}
    descriptors = []
    for rule in rules:
        doc = inspect.cleandoc(rule.__doc__ or rule.MESSAGE)
        descriptors.append(
            {
                "id": rule.CODE,
                "name": rule.SLUG,
                "shortDescription": {"text": rule.MESSAGE},
                "fullDescription": {"text": doc.split("\n\n")[1] if "\n\n" in doc else doc},
                "help": {"text": doc, "markdown": doc},
                "defaultConfiguration": {"level": _SARIF_LEVEL[rule.SEVERITY]},
                "properties": {"tags": ["architecture"]},
            }
        )
    results = [_sarif_result(f, index) for f in result.findings]
    return {
        "$schema": SARIF_SCHEMA,
        "version": SARIF_VERSION,
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "harness",
                        "version": __version__,
                        "informationUri": INFORMATION_URI,
                        "rules": descriptors,
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }


def _sarif_result(f: Finding, index: dict[str, int]) -> dict[str, object]:
    entry: dict[str, object] = {
        "ruleId": f.code,
        "level": _SARIF_LEVEL[f.severity],
        "message": {"text": f.message},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": f.path, "uriBaseId": "%SRCROOT%"},
                    "region": {"startLine": f.line, "startColumn": f.column},
                }
            }
        ],
    }
    if f.code in index:
        entry["ruleIndex"] = index[f.code]
    return entry


def write_statistics(result: CheckResult, out: TextIO) -> None:
    counts = Counter((f.code, f.rule) for f in result.findings)
    for (code, slug), count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        out.write(f"{count:>6}  {code}  {slug}\n")
    for note in result.notes:
        out.write(f"note: {note}\n")
    out.write(_summary(result) + "\n")


def render(result: CheckResult, fmt: str, out: TextIO, color: bool = False) -> None:
    if fmt == "json":
        write_json(result, out)
    elif fmt == "sarif":
        json.dump(sarif_log(result), out, indent=2)
        out.write("\n")
    elif fmt == "github":
        write_github(result, out)
    elif fmt == "statistics":
        write_statistics(result, out)
    else:
        write_text(result, out, color)
