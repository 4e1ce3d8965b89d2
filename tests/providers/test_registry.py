"""The provider registry: each model string's provider and what the runner learns from it,
options validated by the provider's own model, and a provider option that reaches the API."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from harness.cli.app import main
from harness.core.errors import InputError
from harness.providers.registry import MODULES, describe, parse_options, provider_info
from harness.testing.fake_api import FakeMessagesAPI, end_turn


@pytest.mark.parametrize(
    ("model", "name", "offline", "solver", "cacheable"),
    [
        ("oracle", "oracle", True, False, False),
        ("oracle:http-exception-in-service", "oracle", True, False, False),
        ("replay:runs/x", "replay", True, False, False),
        ("claude-code:claude-sonnet-4-5", "claude-code", False, True, False),
        ("claude-sonnet-4-5", "anthropic", False, False, True),
        ("sonnet", "anthropic", False, False, True),
    ],
)
def test_each_model_string_finds_its_provider(
    model: str, name: str, offline: bool, solver: bool, cacheable: bool
) -> None:
    info = provider_info(model)
    assert (info.name, info.offline, info.is_solver, info.cacheable) == (
        name, offline, solver, cacheable
    )  # fmt: skip
    assert info.needs_key is not offline
    assert (info.open is None) is solver  # a provider behind the tool loop, or a solver


def test_every_registered_module_declares_its_provider() -> None:
    assert [info.name for info in describe()] == list(MODULES)
    assert all(info.summary and info.samples_per_connection >= 1 for info in describe())


def test_options_are_validated_by_the_provider() -> None:
    options = parse_options("sonnet", ["base_url=http://127.0.0.1:9", "timeout=30", "attempts=2"])
    assert options.model_dump() == {
        "base_url": "http://127.0.0.1:9",
        "timeout": 30.0,
        "attempts": 2,
    }
    with pytest.raises(InputError, match="its options: base_url, timeout, attempts"):
        parse_options("sonnet", ["endpoint=x"])
    with pytest.raises(InputError, match="timeout: Input should be greater than 0"):
        parse_options("sonnet", ["timeout=-1"])
    with pytest.raises(InputError, match="provider claude-code; its options: cli"):
        parse_options("claude-code", ["base_url=x"])


def test_a_base_url_option_sends_the_run_to_that_endpoint(
    tasks_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-test-not-a-real-key")
    monkeypatch.setenv("ANTHROPIC_BASE_URL", "http://127.0.0.1:9")  # nothing listens there
    monkeypatch.setenv("HARNESS_CACHE_DIR", str(tmp_path / "cache"))
    with FakeMessagesAPI() as api:
        api.enqueue(end_turn("from the option's endpoint"))
        out = tmp_path / "run"
        argv = ["run", "--agent", "baseline", "--model", "sonnet", "--out", str(out)]
        assert main([*argv, "--provider-option", f"base_url={api.url}"]) == 0
        assert len(api.requests) == 1
    recorded = json.loads((out / "run.json").read_text())["invocation"]
    assert recorded["provider_option"] == [f"base_url={api.url}"]  # a resume uses it too
