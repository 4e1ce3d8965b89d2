"""An adaptive limit on in-flight API calls (AIMD), shared by every sample of a run.

A 429 halves the limit (at most once per round of calls in flight, so one burst of
rejections is one signal), and each success adds 1/limit, so the limit grows back by about
one per round. A run thus settles at the account's rate limit instead of hammering it.

Waiting calls are served by priority, then in arrival order. With equal priorities that is
first come, first served: every sample progresses at the same pace, which gives the
shortest total model time. When samples are graded as they finish, the runner gives older
samples precedence, so they finish early and their grading overlaps the others' calls.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import heapq
import itertools
from collections.abc import AsyncIterator

MIN_LIMIT = 1.0

call_priority: contextvars.ContextVar[int] = contextvars.ContextVar("call_priority", default=0)


class AdaptiveLimiter:
    def __init__(self, maximum: int) -> None:
        if maximum < 1:
            raise ValueError("the connection limit must be at least 1")
        self.maximum = float(maximum)
        self.limit = float(maximum)
        self.in_flight = 0
        self.peak = 0
        self.decreases = 0
        self._started = 0
        self._decreased_at = -1
        self._order = itertools.count()
        self._waiting: list[tuple[int, int, asyncio.Future[None]]] = []

    @contextlib.asynccontextmanager
    async def slot(self) -> AsyncIterator[int]:
        """Hold one in-flight slot; yields the call's sequence number."""
        if self._waiting or self.in_flight >= int(self.limit):
            turn: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            heapq.heappush(self._waiting, (call_priority.get(), next(self._order), turn))
            try:
                await turn  # the slot is taken on our behalf when we are woken
            except asyncio.CancelledError:
                if turn.done() and not turn.cancelled():
                    self._release()
                raise
        else:
            self.in_flight += 1
        self.peak = max(self.peak, self.in_flight)
        self._started += 1
        try:
            yield self._started
        finally:
            self._release()

    def _release(self) -> None:
        self.in_flight -= 1
        self._wake()

    def _wake(self) -> None:
        while self._waiting and self.in_flight < int(self.limit):
            _, _, turn = heapq.heappop(self._waiting)
            if turn.cancelled():
                continue
            self.in_flight += 1
            turn.set_result(None)

    def on_success(self) -> None:
        self.limit = min(self.maximum, self.limit + 1.0 / self.limit)
        self._wake()

    def on_rate_limited(self, ticket: int) -> None:
        """Halve, unless a call started after the last halving was already rejected."""
        if ticket <= self._decreased_at:
            return
        self.limit = max(MIN_LIMIT, self.limit / 2)
        self._decreased_at = self._started
        self.decreases += 1
