"""Find and load task folders; every error names the file and what to fix."""

from __future__ import annotations

import fnmatch
import os
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import ValidationError

from harness.errors import MalformedFile, UnknownTask
from harness.tasks.spec import Contract, FlawExpectation, TaskSpec

BASE_DIR = "_base"
REFERENCE = "reference"
TASKS_ENV = "HARNESS_TASKS_DIR"


@dataclass(frozen=True)
class Task:
    """A task folder, loaded: its spec, contract, base workspace and solutions."""

    spec: TaskSpec
    contract: Contract
    path: Path
    base: Path
    solutions: dict[str, Path] = field(default_factory=dict)
    flaws: dict[str, FlawExpectation] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def overlay(self) -> Path | None:
        if self.spec.overlay:
            return self.path / self.spec.overlay
        default = self.path / "starter"
        return default if default.is_dir() else None


def tasks_root() -> Path:
    """`$HARNESS_TASKS_DIR`, else `./tasks`, else the tasks folder beside the package."""
    override = os.environ.get(TASKS_ENV)
    if override:
        return Path(override)
    local = Path.cwd() / "tasks"
    if (local / BASE_DIR).is_dir():
        return local
    return Path(__file__).resolve().parents[2] / "tasks"


def _yaml(path: Path) -> object:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise MalformedFile(f"{path}: missing; every task folder needs it") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise MalformedFile(f"{path}: cannot read ({exc})") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        raise MalformedFile(f"{path}{line}: invalid YAML ({getattr(exc, 'problem', exc)})") from exc


def _validate(model, path: Path):  # type: ignore[no-untyped-def]
    data = _yaml(path)
    try:
        return model.model_validate(data if data is not None else {})
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "(top level)"
        raise MalformedFile(f"{path}: {where}: {first['msg']}") from exc


def load_task(path: Path) -> Task:
    spec = _validate(TaskSpec, path / "task.yaml")
    if spec.id != path.name:
        raise MalformedFile(
            f"{path / 'task.yaml'}: id {spec.id!r} differs from the folder name {path.name!r}"
        )
    contract = _validate(Contract, path / "contract.yaml")
    base = path.parent / BASE_DIR
    if not base.is_dir():
        raise MalformedFile(f"{base}: the shared base workspace is missing")
    solutions: dict[str, Path] = {}
    flaws: dict[str, FlawExpectation] = {}
    solutions_dir = path / "solutions"
    if solutions_dir.is_dir():
        for solution in sorted(p for p in solutions_dir.iterdir() if p.is_dir()):
            solutions[solution.name] = solution
            if solution.name != REFERENCE and not solution.name.startswith("alt-"):
                flaws[solution.name] = _validate(FlawExpectation, solution / "expect.yaml")
    if spec.overlay and not (path / spec.overlay).is_dir():
        raise MalformedFile(f"{path / 'task.yaml'}: overlay folder {spec.overlay!r} does not exist")
    return Task(spec, contract, path, base, solutions, flaws)


def find_tasks(pattern: str | None = None, root: Path | None = None) -> list[Task]:
    """Tasks whose id matches the glob (comma-separated globs allowed), sorted by id."""
    root = root or tasks_root()
    if not root.is_dir():
        raise UnknownTask(f"no tasks folder at {root}; run from the repository or set {TASKS_ENV}")
    folders = sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(("_", ".")))
    if pattern:
        globs = [g.strip() for g in pattern.split(",") if g.strip()]
        folders = [p for p in folders if any(fnmatch.fnmatchcase(p.name, g) for g in globs)]
        if not folders:
            known = ", ".join(
                p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith(("_", "."))
            )
            raise UnknownTask(f"no task matches {pattern!r}; known tasks: {known}")
    return [load_task(p) for p in folders]
