"""What several commands share: where the agents and evals are, and starters named on the command line."""

from __future__ import annotations

from pathlib import Path

from harness.core.errors import InputError


def _agents_dir() -> Path:
    from harness.tasks.loader import tasks_root

    local = Path.cwd() / "agents"
    return local if local.is_dir() else tasks_root().parent / "agents"


def _repo_root() -> Path:
    from harness.tasks.loader import tasks_root

    return Path.cwd() if (Path.cwd() / "evals").is_dir() else tasks_root().parent


def parse_starters(text: str | None, option: str = "--starter") -> tuple[str, ...]:
    """Starter names, comma-separated, each one the tasks folder has; None: all of them."""
    from harness.tasks.loader import known_starters, tasks_root

    known = known_starters(tasks_root())
    if text is None:
        return tuple(known)
    names = tuple(dict.fromkeys(n.strip() for n in text.split(",") if n.strip()))
    unknown = [n for n in names if n not in known]
    if unknown or not names:
        raise InputError(
            f"{option} {text!r}: unknown starter {', '.join(unknown) or '(none given)'}; "
            f"known: {', '.join(known)}"
        )
    return names


def _one(task_id: str):  # type: ignore[no-untyped-def]
    from harness.tasks.loader import find_tasks

    tasks = [t for t in find_tasks(task_id) if t.id == task_id]
    if not tasks:
        raise InputError(f"unknown task {task_id!r}; see `harness tasks list`")
    return tasks


def task_starter(task, given: str) -> str:  # type: ignore[no-untyped-def]
    """One starter name, known and one that the task runs on."""
    names = parse_starters(given)
    if len(names) != 1:
        raise InputError(f"--starter {given}: name one starter here")
    if names[0] not in task.starters:
        raise InputError(
            f"--starter {names[0]}: task {task.id} runs on {', '.join(task.starters)} only"
        )
    return names[0]
