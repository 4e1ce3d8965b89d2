"""Eval suites (`evals/NAME.yaml`): which agents, tasks, epochs and model, and the gates a
run must pass. `harness run --eval NAME` runs one; a failed gate exits 1.

    name: smoke
    description: three fast tasks for pull requests
    agents: [fastapi-backend-architect]
    tasks: [orders-create, payments-webhook, auth-login-lockout]
    starters: [legacy, bare]     # default: all of them
    epochs: 1
    gates:
      min_resolved_rate: 0.6
      min_rule_compliance: {http-exception-in-service: 0.9}
      max_compliance_drop: 0.1     # used by `harness compare --fail-on-regression`
"""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from harness.core.errors import InputError, MalformedFile
from harness.core.schema import Aggregates, Report

EVALS_DIR = "evals"
DEFAULT_EVAL = "default"
MAX_EPOCHS = 1000
MISSING = object()  # a rule the run has no figure for at all  # a run plans every sample up front: a typo of 10**9 must not exhaust memory


class Gates(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    min_resolved_rate: float | None = Field(None, ge=0, le=1)
    min_test_pass_rate: float | None = Field(None, ge=0, le=1)
    min_rule_compliance: dict[str, float] = Field(default_factory=dict)
    max_errored: int | None = Field(None, ge=0)
    max_compliance_drop: float | None = Field(
        None, ge=0, le=1, description="per rule, for comparisons (point estimate)"
    )
    max_resolved_drop: float | None = Field(
        None, ge=0, le=1, description="resolved rate, for comparisons (point estimate)"
    )
    max_test_pass_drop: float | None = Field(
        None, ge=0, le=1, description="test pass rate, for comparisons (point estimate)"
    )


class EvalSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    description: str = ""
    agents: list[str] = Field(default_factory=list)
    model: str | None = None
    tasks: list[str] = Field(default_factory=lambda: ["*"])
    starters: list[str] = Field(
        default_factory=list, description="starters to run on; empty: all of them"
    )
    epochs: int = Field(1, ge=1, le=MAX_EPOCHS)
    gates: Gates = Field(default_factory=Gates)

    @property
    def task_pattern(self) -> str:
        return ",".join(self.tasks)


def eval_path(name_or_path: str, root: Path) -> Path:
    """`smoke` -> <root>/evals/smoke.yaml; a path to a .yaml file is taken as it is."""
    candidate = Path(name_or_path)
    if candidate.suffix in (".yaml", ".yml"):
        return candidate
    return root / EVALS_DIR / f"{name_or_path}.yaml"


def load_eval(path: Path) -> EvalSpec:
    if not path.is_file():
        known = sorted(p.stem for p in path.parent.glob("*.yaml")) if path.parent.is_dir() else []
        raise InputError(f"unknown eval {path}; known evals: {', '.join(known) or 'none'}")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise MalformedFile(f"{path}: not readable YAML ({str(exc).splitlines()[0]})") from exc
    if not isinstance(data, dict):
        raise MalformedFile(
            f"{path}: an eval file is a mapping (name, agents, tasks, epochs, gates)"
        )
    data.setdefault("name", path.stem)
    try:
        spec = EvalSpec.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "(top level)"
        raise MalformedFile(f"{path}: {where}: {first['msg']}") from exc
    unknown = sorted(set(spec.gates.min_rule_compliance) - rule_slugs())
    if unknown:
        raise MalformedFile(
            f"{path}: gates.min_rule_compliance: unknown rule {', '.join(unknown)}; "
            "use the slugs of `harness rules`"
        )
    return spec


def rule_slugs() -> set[str]:
    from harness.rules import all_rules
    from harness.rules.out_of_scope import OUT_OF_SCOPE_SLUG

    return {rule.SLUG for rule in all_rules()} | {OUT_OF_SCOPE_SLUG}


def failed_gates(gates: Gates, aggregates: Aggregates) -> list[str]:
    """Each gate the run's aggregates miss, as a sentence; empty when all pass. A gate over
    a rate that could not be measured (nothing scored: n/a) fails, saying why."""
    failures = []
    unmeasured = "is n/a: no sample was scored, so the gate cannot pass"
    checks = [
        ("resolved rate", gates.min_resolved_rate, aggregates.resolved_rate),
        ("test pass rate", gates.min_test_pass_rate, aggregates.test_pass_rate),
        *(
            (f"{slug} compliance", minimum, aggregates.rule_compliance.get(slug, MISSING))
            for slug, minimum in sorted(gates.min_rule_compliance.items())
        ),
    ]
    for name, minimum, rate in checks:
        if minimum is None:
            continue
        if rate is MISSING:
            failures.append(
                f"no compliance figure for rule {name.split()[0]!r} (a slug from `harness rules`)"
            )
        elif rate is None:
            failures.append(f"{name} {unmeasured}")
        elif rate < minimum:
            failures.append(f"{name} {rate:.0%} is below {minimum:.0%}")
    if gates.max_errored is not None and aggregates.errored > gates.max_errored:
        failures.append(f"{aggregates.errored} errored samples (at most {gates.max_errored})")
    return failures


def arm_gate_failures(gates: Gates, report: Report, arms: list[str]) -> list[str]:
    """The gates checked per arm (never over arms pooled: two prompts' samples averaged say
    nothing about either), each failure naming its arm; one arm reads as before."""
    from harness.scoring.score import aggregate

    names = list(dict.fromkeys([*report.run.arms, *(s.arm for s in report.samples)]))
    if len(names) <= 1:
        return failed_gates(gates, report.aggregates)
    slugs = list(report.aggregates.rule_compliance)
    failures = []
    for arm in arms or names:
        samples = [s for s in report.samples if s.arm == arm]
        failures += [f"arm {arm}: {f}" for f in failed_gates(gates, aggregate(samples, slugs))]
    return failures
