"""The response cache key: what changes the answer, and the draw, changes the key."""

from __future__ import annotations

from harness.providers.base import ModelRequest
from harness.providers.cache import request_key


def request(**changes) -> ModelRequest:  # type: ignore[no-untyped-def]
    fields = {"model": "m", "system": "s", "messages": [{"role": "user", "content": "task"}]}
    return ModelRequest(**{**fields, **changes})


def test_the_same_statement_on_two_starters_is_two_draws() -> None:
    """The first turn's request is the statement alone, the same on every starter; without
    the starter in the key, legacy would replay house-style's first answer."""
    assert request_key(request(starter="legacy")) != request_key(request(starter="bare"))
    assert request_key(request(starter="legacy")) == request_key(request(starter="legacy"))
    assert request_key(request(epoch=2)) != request_key(request(epoch=1))
