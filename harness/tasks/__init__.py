"""Benchmark tasks: the task format, workspaces, and generated contract suites."""

from harness.tasks.loader import Task, find_tasks, load_task, tasks_root
from harness.tasks.spec import Contract, TaskSpec

__all__ = ["Contract", "Task", "TaskSpec", "find_tasks", "load_task", "tasks_root"]
