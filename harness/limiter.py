"""An adaptive limit on in-flight API calls (AIMD), shared by every sample of a run.

A 429 halves the limit (at most once per round of calls in flight, so one burst of
rejections is one signal), and each success adds 1/limit, so the limit grows back by about
one per round. A run thus settles at the account's rate limit instead of hammering it.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

MIN_LIMIT = 1.0


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
        self._condition = asyncio.Condition()

    @contextlib.asynccontextmanager
    async def slot(self) -> AsyncIterator[int]:
        """Hold one in-flight slot; yields the call's sequence number."""
        async with self._condition:
            await self._condition.wait_for(lambda: self.in_flight < int(self.limit))
            self.in_flight += 1
            self.peak = max(self.peak, self.in_flight)
            self._started += 1
            ticket = self._started
        try:
            yield ticket
        finally:
            async with self._condition:
                self.in_flight -= 1
                self._condition.notify_all()

    def on_success(self) -> None:
        self.limit = min(self.maximum, self.limit + 1.0 / self.limit)

    def on_rate_limited(self, ticket: int) -> None:
        """Halve, unless a call started after the last halving was already rejected."""
        if ticket <= self._decreased_at:
            return
        self.limit = max(MIN_LIMIT, self.limit / 2)
        self._decreased_at = self._started
        self.decreases += 1
