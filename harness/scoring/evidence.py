"""Rule evidence from running the code: service entry points and the import probe.

A contract's service cases say only whether a call is a business success or failure (the
statement names no return type). Called, the entry point either returns a value (a failure
that comes back as a value complies) or raises: a raised HTTPException counts against
ARCH101, any other raise for a business failure against ARCH102. The probe imports the
service modules the agent created or changed with fastapi and starlette blocked; one that
cannot counts against ARCH501. Evidence is judged with the rules, never as behaviour.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from harness.core.schema import FindingOut, RuleEvidence
from harness.rules.catalog import CATALOG

RAISED_CODES = {"raised-http-exception": "ARCH101", "raised-error": "ARCH102"}
PROBE_CODE = "ARCH501"
SLUGS = {rule.code: rule.slug for rule in CATALOG}
RAISED_WHAT = {"ARCH101": "raised HTTPException", "ARCH102": "raised an exception"}


@dataclass(frozen=True)
class Evidence:
    """How a service entry point (or the import probe) answered, as one case recorded it."""

    case: str
    expected: str  # success | failure | import
    outcome: str
    message: str = ""
    frames: tuple[tuple[str, int], ...] = ()


def judge(item: Evidence) -> RuleEvidence:
    """The rule a piece of evidence counts against, if any."""
    code = None
    if item.expected == "failure":
        code = RAISED_CODES.get(item.outcome)
    elif item.outcome == "imports-framework":
        code = PROBE_CODE
    return RuleEvidence(
        case=item.case,
        expected=item.expected,  # type: ignore[arg-type]
        outcome=item.outcome,  # type: ignore[arg-type]
        code=code,
        message=item.message,
    )


def _where(item: Evidence, changes: dict[str, str], target_path: str) -> tuple[str, int]:
    """The innermost frame in a file the agent touched, else the innermost workspace frame."""
    touched = [f for f in item.frames if f[0] in changes]
    frames = touched or list(item.frames)
    return frames[-1] if frames else (target_path, 1)


def _probe_findings(item: Evidence) -> list[FindingOut]:
    findings = []
    for line in item.message.splitlines():
        path, _, why = line.partition("\t")
        if path.endswith(".py"):
            findings.append(
                FindingOut(
                    code=PROBE_CODE,
                    rule=SLUGS[PROBE_CODE],
                    severity="error",
                    path=path,
                    line=1,
                    column=1,
                    source="runtime",
                    case=item.case,
                    message=f"Service module cannot be imported without fastapi/starlette ({why})",
                )
            )
    return findings


def evidence_findings(
    evidence: Iterable[Evidence],
    changes: dict[str, str],
    targets: dict[str, str],
    static: Iterable[FindingOut],
) -> tuple[list[RuleEvidence], list[FindingOut]]:
    """Judged evidence, and findings for what counts against a rule that the static
    checker did not already report at the same place (same code and line; for the probe,
    any ARCH501 in the module). `targets`: case id -> path of its entry point's module."""
    static = list(static)
    at_line = {(f.code, f.path, f.line) for f in static}
    in_file = {(f.code, f.path) for f in static}
    judged, findings = [], []
    for item in evidence:
        verdict = judge(item)
        judged.append(verdict)
        if verdict.code is None:
            continue
        if verdict.code == PROBE_CODE:
            findings.extend(f for f in _probe_findings(item) if (f.code, f.path) not in in_file)
            continue
        path, line = _where(item, changes, targets.get(item.case, ""))
        if (verdict.code, path, line) in at_line:
            continue
        at_line.add((verdict.code, path, line))  # several cases through one raise: one finding
        findings.append(
            FindingOut(
                code=verdict.code,
                rule=SLUGS[verdict.code],
                severity="error",
                path=path,
                line=line,
                column=1,
                source="runtime",
                case=item.case,
                message=f"Service entry point {RAISED_WHAT[verdict.code]} for a business "
                f"failure (case {item.case}): {item.message}",
            )
        )
    return judged, findings
