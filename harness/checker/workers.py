"""Functions that run in worker processes: top-level and picklable, one batch per call."""

from __future__ import annotations

from harness.checker.discover import SourceFile
from harness.rules import all_rules
from harness.rules.context import FileInfo
from harness.rules.engine import check_module
from harness.rules.finding import Finding, parse_error
from harness.rules.layers import Layers
from harness.rules.limits import Thresholds
from harness.rules.project import ModuleExports, ProjectIndex, extract_exports

Job = tuple[list[str], Thresholds, Layers, ProjectIndex]
_installed: Job | None = None


def install_job(job: Job) -> None:
    """Pool initializer: the job (with the project index, megabytes on a big tree) reaches
    each worker once, at its start, instead of with every batch."""
    global _installed
    _installed = job


def exports_batch(batch: list[tuple[SourceFile, bytes]]) -> list[tuple[str, ModuleExports]]:
    return [(f.abs_path, extract_exports(data, f.module_name, f.is_package)) for f, data in batch]


def check_batch(
    job_and_batch: tuple[Job | None, list[tuple[SourceFile, bytes, bool]]],
) -> list[tuple[str, list[Finding], dict[str, object]]]:
    """Check files; each comes back with the cross-file lookups its findings relied on."""
    job, batch = job_and_batch
    codes, thresholds, layers, project = job if job is not None else _installed  # type: ignore[misc]
    rules = [r for r in all_rules() if r.CODE in set(codes)]
    results = []
    for source, data, python_parses in batch:
        info = FileInfo(
            path=source.display_path,
            module_name=source.module_name,
            is_package=source.is_package,
            is_service=layers.is_service(source.scope_path),
            is_api=layers.is_api(source.scope_path),
        )
        project.lookups = {}
        try:
            findings = check_module(data, info, rules, project, thresholds, layers, python_parses)
        except Exception as exc:  # a rule bug must not lose the other files' findings
            message = f"Internal error while checking this file: {type(exc).__name__}: {exc}"
            findings = [parse_error(source.display_path, message)]
        results.append((source.abs_path, findings, project.lookups))
        project.lookups = None
    return results
