"""Reading a finished run's report.json, with one clear error for every way it can be wrong."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import ValidationError

from harness.core.errors import InputError, MalformedFile, PathNotFound
from harness.core.layout import PROMPTS, sample_directory
from harness.core.schema import SCHEMA_VERSION, Report, SampleScore

# Version 1 reads as version 2 on the house-style starter (its samples' only starter); its
# findings were every finding, not only the introduced ones (its run's scoring_version says so).
READABLE_SCHEMA_VERSIONS = (1, SCHEMA_VERSION)

REPORT_FILE = "report.json"


def read_report(path: Path) -> tuple[Path, Report]:
    """A run directory or a report.json: (the report file, the report)."""
    file = path / REPORT_FILE if path.is_dir() else path
    if not path.exists():
        raise PathNotFound(f"{path}: no such run directory or report file")
    if not file.is_file():
        raise MalformedFile(
            f"{path}: no {REPORT_FILE}; give a finished run directory or its report"
        )
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise MalformedFile(f"{file}: cannot be read ({exc}); give a run's report.json") from exc
    except json.JSONDecodeError as exc:
        raise MalformedFile(
            f"{file}: not valid JSON ({exc.msg}, line {exc.lineno}); a truncated report is "
            "rewritten by `harness run --resume RUN_DIR`"
        ) from exc
    if not isinstance(data, dict) or not {"schema_version", "run", "samples"} <= data.keys():
        raise MalformedFile(
            f"{file}: not a run report (needs schema_version, run, samples); "
            "give a run directory or its report.json"
        )
    if data["schema_version"] not in READABLE_SCHEMA_VERSIONS:
        raise MalformedFile(
            f"{file}: report schema_version {data['schema_version']!r}, this harness reads "
            f"{', '.join(map(str, READABLE_SCHEMA_VERSIONS))}; re-score it with this harness "
            "(--model replay:RUN_DIR)"
        )
    try:
        report = Report.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "(top level)"
        raise MalformedFile(f"{file}: {where}: {first['msg']}; not a valid run report") from exc
    return file, report


def load_side(path: Path, arm: str | None) -> tuple[str, list[SampleScore], Report]:
    """One side of a comparison: (label, that arm's samples, the report)."""
    file, report = read_report(path)
    arms = list(dict.fromkeys([*report.run.arms, *(s.arm for s in report.samples)]))
    if arm is not None and arm not in arms:
        raise InputError(f"{file}: no arm {arm!r}; its arms are {', '.join(arms) or 'none'}")
    if arm is None and len(arms) > 1:
        raise InputError(
            f"{file}: the run has arms {', '.join(arms)}; choose one with --base-arm / --head-arm"
        )
    chosen = arm if arm is not None else (arms[0] if arms else "")
    label = f"{report.run.id}/{chosen}" if len(arms) > 1 else report.run.id
    return label, [s for s in report.samples if s.arm == chosen], report


def load_prompt(run_dir: Path | None, report: Report, arm: str) -> str | None:
    """The system prompt an arm ran with: kept in `prompts/` by the run, else read from one of
    its transcripts (runs before prompts were kept); None when neither is there."""
    info = report.run.arms.get(arm) or (report.run.agent if arm == report.run.agent.name else None)
    if run_dir is None:
        return None
    if info is not None:
        kept = run_dir / PROMPTS / f"{info.sha256}.md"
        if kept.is_file():
            return kept.read_text(encoding="utf-8").rstrip("\n")
    for sample in report.samples:
        transcript = run_dir / sample_directory(sample) / "transcript.json"
        if sample.arm != arm or not transcript.is_file():
            continue
        try:
            system = json.loads(transcript.read_text(encoding="utf-8")).get("system")
        except (OSError, ValueError, AttributeError):
            continue
        if isinstance(system, str) and system:
            return system
    return None
