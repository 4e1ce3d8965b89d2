"""`check_paths()`: the library entry point of `harness check`.

Files are read and hashed in this process; the export pre-pass and the rule pass run in
worker processes for the files the cache does not already answer.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from harness import __version__
from harness.checker.cache import CheckCache
from harness.checker.config import CheckConfig, resolve_selector, select_rules
from harness.checker.discover import SourceFile, discover
from harness.checker.hints import name_versions, service_dir_hints
from harness.rules.finding import Finding, parse_error
from harness.rules.layers import matches_pattern
from harness.rules.prefilter import may_have_findings
from harness.rules.project import ModuleExports, ProjectIndex

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

    from harness.checker.workers import Job

PARALLEL_MIN_FILES = 24
BATCHES_PER_WORKER = 4
NO_RESULT_CONVENTION = (
    "ARCH102 domain-error-raised-in-service not applied: no service uses a Result "
    "convention (a success/failure pair of the project, or a Result library), so raising "
    'is this codebase\'s error style; set result-convention = "always" in '
    "[tool.harness.check] to apply it"
)


@dataclass(frozen=True)
class CheckResult:
    """What `harness check` found: sorted findings, how many files it looked at, and hints
    about its configuration (not findings: they never fail a check)."""

    findings: tuple[Finding, ...]
    files_checked: int
    hints: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()  # why a selected rule did not apply (`--statistics`)

    def to_dict(self) -> dict[str, object]:
        return {
            "findings": [f.to_dict() for f in self.findings],
            "files_checked": self.files_checked,
            "hints": list(self.hints),
        }


@dataclass(frozen=True)
class _Read:
    source: SourceFile
    data: bytes | None
    sha: str
    error: Finding | None


def _read(source: SourceFile, max_bytes: int) -> _Read:
    try:
        size = os.path.getsize(source.abs_path)
        if size > max_bytes:
            message = f"File too large to check ({size} bytes > max-file-bytes {max_bytes})"
            return _Read(source, None, "", parse_error(source.display_path, message))
        with open(source.abs_path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        message = f"Cannot read file: {exc.strerror or exc}"
        return _Read(source, None, "", parse_error(source.display_path, message))
    return _Read(source, data, hashlib.sha256(data).hexdigest(), None)


def _batches(items: list, workers: int) -> list[list]:
    if not items:
        return []
    count = 1 if workers <= 1 else min(len(items), workers * BATCHES_PER_WORKER)
    return [items[i::count] for i in range(count) if items[i::count]]


def exports_batch(batch):  # type: ignore[no-untyped-def]
    """Worker entry (imports libcst-free parts only when there is work: warm runs skip it)."""
    from harness.checker.workers import exports_batch as run_batch

    return run_batch(batch)


def check_batch(batch):  # type: ignore[no-untyped-def]
    """Worker entry: libcst and the rule classes are imported only when a file needs them."""
    from harness.checker.workers import check_batch as run_batch

    return run_batch(batch)


def _pool(workers: int, job: Job | None = None) -> ProcessPoolExecutor:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from harness.checker.workers import install_job

    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context(method),
        initializer=install_job if job is not None else None,
        initargs=(job,) if job is not None else (),
    )


def _pool_map(function, batches: list, workers: int, job: Job | None = None) -> list:  # type: ignore[no-untyped-def]
    """Map over batches in worker processes; a batch whose worker dies is redone file by
    file, each in a process of its own, so one pathological file costs only itself."""
    if not batches:
        return []
    if workers <= 1 or len(batches) <= 1:
        if job is not None:
            from harness.checker.workers import install_job

            install_job(job)
        return [function(batch) for batch in batches]
    from concurrent.futures.process import BrokenProcessPool

    try:
        with _pool(workers, job) as pool:
            return list(pool.map(function, batches))
    except BrokenProcessPool:
        return [_isolated(function, batch, job) for batch in batches]


def _isolated(function, batch, job):  # type: ignore[no-untyped-def]
    from concurrent.futures.process import BrokenProcessPool

    checking = isinstance(batch, tuple)
    files = batch[1] if checking else batch
    results = []
    for item in files:
        single = (None, [item]) if checking else [item]
        try:
            with _pool(1, job) as pool:
                results.extend(pool.submit(function, single).result())
        except BrokenProcessPool:
            source = item[0]
            message = "The checker's parser crashed on this file; it was not checked"
            if checking:
                results.append((source.abs_path, [parse_error(source.display_path, message)], {}))
            else:
                results.append((source.abs_path, ModuleExports()))
    return results


def _entry(
    read: _Read,
    exports: ModuleExports,
    fingerprint: str,
    findings: list[Finding],
    lookups: dict[str, object],
) -> dict[str, object]:
    """One cache entry: the file's exports (by content) and findings (by content, run and
    the file's scope path)."""
    return {
        "sha": read.sha,
        "exports": exports.to_dict(),
        "fp": fingerprint,
        "scope": read.source.scope_path,
        "findings": [f.to_dict() for f in findings],
        "lookups": lookups,
    }


def _ignored_by_path(finding: Finding, scope_path: str, per_file: dict[str, set[str]]) -> bool:
    for pattern, codes in per_file.items():
        if finding.code in codes and (
            matches_pattern(scope_path, pattern) or Path(scope_path).match(pattern)
        ):
            return True
    return False


def _all_exports(reads: list[_Read], cache: CheckCache, workers: int) -> dict[str, ModuleExports]:
    """Every file's exports: from the cache by content hash, else from the pre-pass."""
    exports: dict[str, ModuleExports] = {}
    todo = []
    for read in reads:
        if read.data is None:
            continue
        entry = cache.get(read.source.abs_path, read.sha)
        if entry is not None and isinstance(entry.get("exports"), dict):
            exports[read.source.abs_path] = ModuleExports.from_dict(entry["exports"])  # type: ignore[arg-type]
        else:
            todo.append((read.source, read.data))
    for batch in _pool_map(exports_batch, _batches(todo, workers), workers):
        for abs_path, module_exports in batch:
            exports[abs_path] = module_exports
    return exports


def check_paths(
    paths: Sequence[str],
    config: CheckConfig | None = None,
    *,
    select: list[str] | None = None,
    ignore: Sequence[str] = (),
    cache_dir: Path | None = None,
    jobs: int | None = None,
    cwd: Path | None = None,
    root: Path | None = None,
    python: tuple[int, int] | None = None,
) -> CheckResult:
    """Check every Python file under `paths`; `cache_dir=None` disables the cache.

    Args:
        root: the project root, the directory of the pyproject.toml that configures the
            checker; scope paths are relative to it (None: found per file, see discover).
        python: the oldest Python the project supports, named in syntax-error messages.
    """
    config = config or CheckConfig()
    codes = list(select_rules(select or config.select, [*config.ignore, *ignore]))
    files = discover(paths, config.excludes(), cwd, root)
    reads = [_read(f, config.max_file_bytes) for f in files]
    cache = CheckCache.load(cache_dir)
    workers = max(1, min(jobs or os.cpu_count() or 1, len(files) // PARALLEL_MIN_FILES or 1))
    exports = _all_exports(reads, cache, workers)

    project = ProjectIndex(local_roots=frozenset(f.module_name.split(".")[0] for f in files))
    layers = config.layers()
    for read in reads:
        if read.source.abs_path in exports:
            is_service = layers.is_service(read.source.scope_path)
            project.add(exports[read.source.abs_path], is_service)
    fingerprint = _fingerprint(codes, config, project)

    findings: list[Finding] = [r.error for r in reads if r.error is not None and "ARCH000" in codes]
    pending = []
    for read in reads:
        if read.data is None:
            continue
        source = read.source
        entry = cache.get(source.abs_path, read.sha)
        lookups = entry.get("lookups") if entry is not None else None
        if (
            entry is not None
            and entry.get("fp") == fingerprint
            and entry.get("scope") == source.scope_path
            and isinstance(lookups, dict)
            and project.still_answers(lookups)
        ):
            cached = (Finding.from_dict(f) for f in entry["findings"])  # type: ignore[union-attr]
            findings.extend(replace(f, path=source.display_path) for f in cached)
            continue
        parses = exports[source.abs_path].parses
        scope = source.scope_path
        if parses and not may_have_findings(
            read.data, layers.is_service(scope), layers.is_api(scope)
        ):
            cache.put(source.abs_path, _entry(read, exports[source.abs_path], fingerprint, [], {}))
            continue
        pending.append((source, read.data, parses))
    by_path = {r.source.abs_path: r for r in reads}
    job = (codes, config.thresholds(), layers, project)
    batches = [(None, batch) for batch in _batches(pending, workers)]
    for batch_result in _pool_map(check_batch, batches, workers, job):
        for abs_path, file_findings, lookups in batch_result:
            findings.extend(file_findings)
            entry = _entry(
                by_path[abs_path], exports[abs_path], fingerprint, file_findings, lookups
            )
            cache.put(abs_path, entry)
    cache.save()
    result = _result(reads, findings, config, python)
    return replace(result, notes=_notes(codes, config, project))


def _fingerprint(codes: list[str], config: CheckConfig, project: ProjectIndex) -> str:
    """What a cached file's findings depend on besides the file: a change re-checks it."""
    parts = [__version__, ",".join(codes), config.model_dump_json()]
    parts.append(",".join(sorted(project.local_roots)))
    text = "|".join(parts).encode("utf-8", "surrogateescape")  # file names need not be UTF-8
    return hashlib.sha256(text).hexdigest()[:24]


def _notes(codes: list[str], config: CheckConfig, project: ProjectIndex) -> tuple[str, ...]:
    """Rules selected but not applied, and why."""
    applies = config.result_convention == "always" or project.result_convention()
    return () if "ARCH102" not in codes or applies else (NO_RESULT_CONVENTION,)


def _result(
    reads: list[_Read],
    findings: list[Finding],
    config: CheckConfig,
    python: tuple[int, int] | None,
) -> CheckResult:
    """Per-file ignores applied (on scope paths), syntax errors naming the Pythons judged,
    and the hints."""
    per_file = {
        p: set().union(*(resolve_selector(c) for c in cs))
        for p, cs in config.per_file_ignores.items()
    }
    scope_of = {r.source.display_path: r.source.scope_path for r in reads}
    kept = [f for f in findings if not _ignored_by_path(f, scope_of.get(f.path, f.path), per_file)]
    hints = service_dir_hints(
        ((r.source.scope_path, r.data) for r in reads if r.data is not None), config.layers()
    )
    return CheckResult(tuple(sorted(set(name_versions(kept, python)))), len(reads), tuple(hints))
