"""Which findings are the agent's: a sample's findings matched against its starter's.

A finding already in the starter is not the model's. A sample's finding is *introduced*
when it stands in a file the agent created or changed and no starter finding of the same
rule and path has the same fingerprint (the offending line's code, whitespace folded, so
a line that merely moved still matches), or failing that the same message. What the
starter had and the sample no longer has was *fixed*. Code a refactoring task names must
end clean, so there every finding counts, pre-existing or not.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from harness.core.schema import FindingOut
from harness.rules.layers import matches_pattern


@dataclass(frozen=True)
class Located:
    """A finding with the fingerprint of the code it points at."""

    finding: FindingOut
    fingerprint: str = ""


@dataclass
class Origins:
    counted: list[FindingOut] = field(default_factory=list)
    pre_existing: list[FindingOut] = field(default_factory=list)
    fixed: list[FindingOut] = field(default_factory=list)


def fingerprint(line: str) -> str:
    return " ".join(line.split())


def locate(findings: Iterable[FindingOut], lines_of) -> list[Located]:  # type: ignore[no-untyped-def]
    """Fingerprint each finding with `lines_of(path)` (the file's lines, or [])."""
    located = []
    for finding in findings:
        lines = lines_of(finding.path)
        text = lines[finding.line - 1] if 0 < finding.line <= len(lines) else ""
        located.append(Located(finding, fingerprint(text)))
    return located


def _exact(item: Located) -> tuple[str, str, str]:
    return (item.finding.code, item.finding.path, item.fingerprint)


def _by_message(item: Located) -> tuple[str, str, str]:
    return (item.finding.code, item.finding.path, item.finding.message)


def _take(pool: list[Located], key, wanted: tuple[str, str, str]) -> bool:  # type: ignore[no-untyped-def]
    """Remove the first starter finding whose `key` is `wanted`; say whether there was one."""
    for index, candidate in enumerate(pool):
        if key(candidate) == wanted:
            del pool[index]
            return True
    return False


def classify(
    sample: list[Located],
    starter: list[Located],
    changes: dict[str, str],
    must_end_clean: Iterable[str] = (),
) -> Origins:
    """Split a sample's findings into counted and pre-existing, and name the fixed ones."""
    targets = list(must_end_clean)
    pool = list(starter)
    origins = Origins()
    unmatched: list[Located] = []
    for item in sample:  # exact fingerprints first, so a message match cannot steal one
        if _take(pool, _exact, _exact(item)):
            origins.pre_existing.append(item.finding)
        else:
            unmatched.append(item)
    for item in unmatched:
        f = item.finding
        if _take(pool, _by_message, _by_message(item)) or (
            f.path not in changes and f.source == "static"
        ):
            origins.pre_existing.append(f)
        else:
            origins.counted.append(f)
    for f in list(origins.pre_existing):
        if any(matches_pattern(f.path, target) for target in targets):
            origins.pre_existing.remove(f)
            origins.counted.append(f)
    origins.fixed = [s.finding for s in pool]
    for bucket in (origins.counted, origins.pre_existing, origins.fixed):
        bucket.sort(key=lambda f: (f.path, f.line, f.column, f.code))
    return origins
