"""Which findings are the same across two runs: matched with DeepDiff as multisets, never
by line or column, so a finding whose line moved is not new."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from harness.core.schema import FindingOut

MATCH_PASSES = (("line", "column"), ("line", "column", "message"))
NUMBER = re.compile(r"\d+")


def match_findings(
    base: list[FindingOut], head: list[FindingOut]
) -> tuple[list[FindingOut], list[FindingOut]]:
    """(fixed, new): base findings with no partner in head, and head findings with none."""
    for ignored in MATCH_PASSES:
        base, head = _unmatched(base, head, ignored)
    return base, head


def _unmatched(
    base: list[FindingOut], head: list[FindingOut], ignored: tuple[str, ...]
) -> tuple[list[FindingOut], list[FindingOut]]:
    if not base or not head:
        return list(base), list(head)
    from deepdiff import DeepDiff  # 0.4 s to import, and only comparisons need it

    diff = DeepDiff(
        [_view(f) for f in base],
        [_view(f) for f in head],
        ignore_order=True,
        report_repetition=True,
        cutoff_distance_for_pairs=0,
        cutoff_intersection_for_pairs=0,
        exclude_regex_paths=[rf"root\[\d+\]\['{key}'\]" for key in ignored],
        view="tree",
    )
    lone_base = [base[_index(level)] for level in diff.get("iterable_item_removed", [])]
    lone_head = [head[_index(level)] for level in diff.get("iterable_item_added", [])]
    for level in diff.get("repetition_change", []):
        repetition = level.additional["repetition"]
        left_base, left_head = _nearest_pairs(
            [base[i] for i in repetition["old_indexes"]],
            [head[i] for i in repetition["new_indexes"]],
        )
        lone_base += left_base
        lone_head += left_head
    return _in_order(lone_base), _in_order(lone_head)


def _index(level: Any) -> int:
    """The list index of a DeepDiff tree level such as root[3]."""
    return int(level.path(output_format="list")[0])


def _view(finding: FindingOut) -> dict[str, object]:
    data = finding.model_dump(exclude={"severity"})
    data["message"] = NUMBER.sub("#", finding.message)
    return data


def _nearest_pairs(
    base: list[FindingOut], head: list[FindingOut]
) -> tuple[list[FindingOut], list[FindingOut]]:
    """Pair equal findings nearest by line first; return the ones left without a partner."""
    distances = sorted(
        (abs(b.line - h.line), i, j) for i, b in enumerate(base) for j, h in enumerate(head)
    )
    paired_base: set[int] = set()
    paired_head: set[int] = set()
    for _, i, j in distances:
        if i not in paired_base and j not in paired_head:
            paired_base.add(i)
            paired_head.add(j)
    return (
        [f for i, f in enumerate(base) if i not in paired_base],
        [f for j, f in enumerate(head) if j not in paired_head],
    )


def _in_order(findings: Iterable[FindingOut]) -> list[FindingOut]:
    return sorted(findings, key=lambda f: (f.path, f.line, f.column, f.code))
