"""Find and load task folders; every error names the file and what to fix.

A task runs on starters: workspaces of the same shop in different styles, each built from
layers (`_starters/_common`, then `_starters/<starter>`, then the task's own
`starter/<starter>/` when it has one). Solutions are per starter:
`solutions/<starter>/<name>/`. Any layer or solution may list other folders to apply first
in an `extends.yaml` (paths relative to the tasks root), so a solution on one starter can be
another starter's solution plus what that starter lacks.
"""

from __future__ import annotations

import fnmatch
import os
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import ValidationError

from harness.core.errors import MalformedFile, UnknownTask
from harness.tasks.expectation import FlawExpectation
from harness.tasks.spec import Contract, TaskSpec

STARTERS_DIR = "_starters"
COMMON_LAYER = "_common"
STARTERS = ("house-style", "legacy", "bare")
REFERENCE = "reference"
TASKS_ENV = "HARNESS_TASKS_DIR"
EXTENDS_FILE = "extends.yaml"
EXPECT_FILE = "expect.yaml"
TASK_OVERLAY = "starter"
MAX_EXTENDS_DEPTH = 8


@dataclass(frozen=True)
class Task:
    """A task folder, loaded: its spec, contract, starters and their solutions."""

    spec: TaskSpec
    contract: Contract
    path: Path
    root: Path
    starters: tuple[str, ...] = STARTERS
    solutions: dict[str, dict[str, Path]] = field(default_factory=dict)
    flaws: dict[str, dict[str, FlawExpectation]] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return self.spec.id

    def starter_layers(self, starter: str) -> list[Path]:
        """The folders that make this task's workspace on `starter`, in copy order."""
        overlay = self.path / TASK_OVERLAY / starter
        extra = expand_layers(overlay, self.root) if overlay.is_dir() else []
        return [*starter_layers(self.root, starter), *extra]

    def solution_layers(self, starter: str, name: str) -> list[Path]:
        """The folders a solution writes, in order (its `extends.yaml` first)."""
        return expand_layers(self.solutions[starter][name], self.root)


def expand_layers(folder: Path, root: Path, depth: int = 0) -> list[Path]:
    """`folder` preceded by what its `extends.yaml` lists (recursively), in order."""
    extends = folder / EXTENDS_FILE
    if not extends.is_file():
        return [folder]
    if depth >= MAX_EXTENDS_DEPTH:
        raise MalformedFile(f"{extends}: extends nest deeper than {MAX_EXTENDS_DEPTH} levels")
    listed = _yaml(extends)
    if not isinstance(listed, list) or not all(isinstance(item, str) for item in listed):
        raise MalformedFile(f"{extends}: expected a list of folders relative to {root}")
    layers: list[Path] = []
    for item in listed:
        target = (root / item).resolve()
        if not target.is_dir() or not target.is_relative_to(root.resolve()):
            raise MalformedFile(f"{extends}: {item!r} is not a folder under {root}")
        layers.extend(expand_layers(target, root, depth + 1))
    return [*layers, folder]


def starter_layers(root: Path, starter: str) -> list[Path]:
    """The folders of a starter itself (no task), in copy order."""
    folders = [root / STARTERS_DIR / COMMON_LAYER, root / STARTERS_DIR / starter]
    return [layer for folder in folders for layer in expand_layers(folder, root)]


def known_starters(root: Path) -> list[str]:
    """The starters of a tasks folder: the fixed three first, then any others by name."""
    folder = root / STARTERS_DIR
    found = {p.name for p in folder.iterdir() if p.is_dir() and not p.name.startswith("_")}
    return [s for s in STARTERS if s in found] + sorted(found - set(STARTERS))


def tasks_root() -> Path:
    """`$HARNESS_TASKS_DIR`, else `./tasks`, else the tasks folder beside the package."""
    override = os.environ.get(TASKS_ENV)
    if override:
        return Path(override)
    local = Path.cwd() / "tasks"
    if (local / STARTERS_DIR).is_dir():
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
    root = path.parent
    if not (root / STARTERS_DIR / COMMON_LAYER).is_dir():
        raise MalformedFile(
            f"{root / STARTERS_DIR / COMMON_LAYER}: the shared starter layer is missing"
        )
    known = known_starters(root)
    unknown = [s for s in spec.starters if s not in known]
    if unknown:
        raise MalformedFile(
            f"{path / 'task.yaml'}: unknown starter(s) {', '.join(unknown)}; known: {', '.join(known)}"
        )
    solutions: dict[str, dict[str, Path]] = {}
    flaws: dict[str, dict[str, FlawExpectation]] = {}
    starters = tuple(spec.starters or known)
    for starter in starters:
        folder = path / "solutions" / starter
        found = sorted(p for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else []
        solutions[starter] = {p.name: p for p in found}
        flaws[starter] = {
            p.name: _validate(FlawExpectation, p / EXPECT_FILE)
            for p in found
            if p.name != REFERENCE and not p.name.startswith("alt-")
        }
    task = Task(spec, contract, path, root, starters, solutions, flaws)
    for starter, named in solutions.items():  # a broken extends.yaml is found at load
        task.starter_layers(starter)
        for name in named:
            task.solution_layers(starter, name)
    return task


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
