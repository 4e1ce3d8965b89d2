"""The model table (`harness/data/models.yaml`): aliases, the default model and prices, and
how a `--model` string (or an agent's `model:`) resolves to a full id."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import yaml

from harness.agents.definition import AgentDefinition
from harness.core.errors import UnknownModel
from harness.providers.registry import DEFAULT, provider_info

MODELS_FILE = Path(__file__).resolve().parents[1] / "data" / "models.yaml"


def load_model_table(path: Path = MODELS_FILE) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def resolve_model(requested: str | None, agent: AgentDefinition | None = None) -> str:
    """A full model id from --model, else the agent's front matter, through the alias table.

    Offline providers (`oracle`, `oracle:<flaw>`, `replay:<dir>`) pass through unchanged.
    """
    table = load_model_table()
    value = (requested or (agent.model if agent else None) or "inherit").strip()
    where = "--model" if requested else (f"{agent.source}: model" if agent and agent.model else "")
    provider = provider_info(value)
    if provider.is_solver:  # Claude Code runs the same model ids: resolve the inner one
        inner = value.partition(":")[2]
        return f"{provider.name}:{resolve_model(inner or None, agent)}"
    if provider.name != DEFAULT:  # offline providers take their argument as it is
        return value
    if value == "inherit":
        return str(table["default_model"])
    alias = table["aliases"].get(value)
    if alias is not None:
        return os.environ.get(alias.get("env", ""), "") or str(alias["model"])
    if re.fullmatch(r"claude-[a-z0-9.-]+", value):
        return value
    known = ", ".join(
        [
            "inherit",
            *table["aliases"],
            "oracle",
            "oracle:<flaw>",
            "replay:<run-dir>",
            "claude-code[:MODEL]",
        ]
    )
    prefix = f"{where}: " if where else ""
    raise UnknownModel(
        f"{prefix}unknown model {value!r}; use a full id (claude-...) or one of: {known}"
    )
