"""Which provider answers a model string, and what the runner needs to know about it.

A model string is `PREFIX[:REST]`: `oracle:<flaw>`, `replay:<run-dir>`, `claude-code:<model>`;
anything else (a `claude-*` id or an alias) is the Anthropic API. Each provider module
declares one `PROVIDER = ProviderInfo(...)`; adding a provider is that module and one line in
`MODULES`. The runner asks the info, never the string: whether the provider is offline, needs
a key, can be cached or replayed, how many samples share a connection, and whether it is a
model behind the harness's tool loop (`open`) or a whole solver of its own (`session`).

Provider options (`--provider-option KEY=VALUE`) are validated by the provider's pydantic
`options` model, which refuses unknown keys; environment variables remain their defaults.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, ValidationError

from harness.core.errors import InputError

if TYPE_CHECKING:
    from harness.agents.definition import AgentDefinition
    from harness.core.transcript import Transcript
    from harness.providers.base import Provider
    from harness.providers.limiter import AdaptiveLimiter
    from harness.tasks.loader import Task

DEFAULT = "anthropic"
MODULES = {
    "anthropic": "harness.providers.anthropic",
    "oracle": "harness.providers.oracle",
    "replay": "harness.providers.replay",
    "claude-code": "harness.providers.claude_code",
}


class NoOptions(BaseModel):
    """A provider without options: any key is refused."""

    model_config = ConfigDict(extra="forbid", frozen=True)


@dataclass(frozen=True)
class Opening:
    """What a provider gets to answer one sample (or, `task` None, a whole run)."""

    model: str
    options: BaseModel
    limiter: AdaptiveLimiter | None = None
    task: Task | None = None
    starter: str = ""
    sample_dir: str = ""  # the sample's folder inside a run directory (replay reads it)


@dataclass(frozen=True)
class SessionRequest:
    """What a solver provider gets to run one sample by itself."""

    model: str
    options: BaseModel
    agent: AgentDefinition
    statement: str
    max_turns: int
    wall_seconds: float
    sandbox: str


@dataclass(frozen=True)
class ProviderInfo:
    name: str
    summary: str
    offline: bool = False
    needs_key: bool = False
    cacheable: bool = False
    replayable: bool = True
    shared: bool = False  # one instance (one connection pool) for the whole run
    samples_per_connection: int = 1
    options: type[BaseModel] = NoOptions
    open: Callable[[Opening], Provider] | None = None
    session: Callable[[SessionRequest, Path], Transcript] | None = None
    check: Callable[[str, BaseModel], None] = field(default=lambda model, options: None)
    covers: Callable[[str, Task, str], bool] = field(default=lambda model, task, starter: True)

    @property
    def is_solver(self) -> bool:
        """Runs whole sessions with its own tools (Claude Code), not the harness's loop."""
        return self.session is not None


def prefix(model: str) -> str:
    return model.split(":", 1)[0]


def provider_info(model: str) -> ProviderInfo:
    """The provider of a model string (its module imported only now)."""
    name = prefix(model) if prefix(model) in MODULES else DEFAULT
    info: ProviderInfo = importlib.import_module(MODULES[name]).PROVIDER
    return info


def is_offline(model: str) -> bool:
    return provider_info(model).offline


def parse_options(model: str, pairs: list[str] | None) -> BaseModel:
    """`KEY=VALUE` pairs into the provider's options; unknown keys and bad values refused."""
    info = provider_info(model)
    values: dict[str, Any] = {}
    for pair in pairs or []:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise InputError(f"--provider-option {pair!r}: give KEY=VALUE")
        values[key.strip().replace("-", "_")] = value
    try:
        return info.options.model_validate(values)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "(options)"
        known = ", ".join(info.options.model_fields) or "none"
        raise InputError(
            f"--provider-option {where}: {first['msg']} (provider {info.name}; its options: "
            f"{known})"
        ) from exc


def describe() -> list[ProviderInfo]:
    """Every registered provider, for `harness doctor` and the docs."""
    return [importlib.import_module(module).PROVIDER for module in MODULES.values()]
