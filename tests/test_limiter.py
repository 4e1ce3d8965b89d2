"""The adaptive in-flight limit (AIMD) shared by a run's API calls."""

from __future__ import annotations

import asyncio

import pytest

from harness.providers.limiter import AdaptiveLimiter


def test_never_more_calls_in_flight_than_the_limit() -> None:
    async def main() -> AdaptiveLimiter:
        limiter = AdaptiveLimiter(3)

        async def call() -> None:
            async with limiter.slot():
                await asyncio.sleep(0.01)

        await asyncio.gather(*(call() for _ in range(20)))
        return limiter

    limiter = asyncio.run(main())
    assert limiter.peak == 3 and limiter.in_flight == 0


def test_a_burst_of_429s_halves_once_then_success_grows_it_back() -> None:
    async def main() -> None:
        limiter = AdaptiveLimiter(16)
        tickets = []
        for _ in range(8):  # eight calls of one round, all rejected
            async with limiter.slot() as ticket:
                tickets.append(ticket)
        for ticket in tickets:
            limiter.on_rate_limited(ticket)
        assert limiter.limit == 8 and limiter.decreases == 1
        async with limiter.slot() as later:  # a call started after the halving: a new signal
            pass
        limiter.on_rate_limited(later)
        assert limiter.limit == 4 and limiter.decreases == 2
        for _ in range(4):  # about one round of successes adds about one
            limiter.on_success()
        assert 4.9 < limiter.limit < 5.1
        for _ in range(1000):
            limiter.on_success()
        assert limiter.limit == 16  # never above the configured maximum

    asyncio.run(main())


def test_the_limit_never_drops_below_one() -> None:
    async def main() -> None:
        limiter = AdaptiveLimiter(2)
        for _ in range(10):
            async with limiter.slot() as ticket:
                pass
            limiter.on_rate_limited(ticket)
        assert limiter.limit == 1
        async with limiter.slot():  # and a call can still go out
            pass

    asyncio.run(main())


def test_a_halved_limit_really_holds_back_waiting_calls() -> None:
    async def main() -> int:
        limiter = AdaptiveLimiter(4)
        async with limiter.slot() as ticket:
            pass
        limiter.on_rate_limited(ticket)  # 4 -> 2
        peak = 0

        async def call() -> None:
            nonlocal peak
            async with limiter.slot():
                peak = max(peak, limiter.in_flight)
                await asyncio.sleep(0.01)

        await asyncio.gather(*(call() for _ in range(10)))
        return peak

    assert asyncio.run(main()) == 2


def test_a_zero_limit_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        AdaptiveLimiter(0)


def test_waiting_calls_are_served_by_priority_then_in_arrival_order() -> None:
    from harness.providers.limiter import call_priority

    async def main() -> list[str]:
        limiter = AdaptiveLimiter(1)
        served: list[str] = []
        gate = asyncio.Event()

        async def holder() -> None:
            async with limiter.slot():
                await gate.wait()

        async def call(name: str, priority: int) -> None:
            call_priority.set(priority)
            async with limiter.slot():
                served.append(name)

        first = asyncio.create_task(holder())
        await asyncio.sleep(0)
        waiters = [
            asyncio.create_task(call(name, priority))
            for name, priority in (("late-a", 5), ("early", 1), ("late-b", 5), ("earliest", 0))
        ]
        await asyncio.sleep(0.01)
        gate.set()
        await asyncio.gather(first, *waiters)
        return served

    assert asyncio.run(main()) == ["earliest", "early", "late-a", "late-b"]


def test_a_cancelled_waiter_gives_its_turn_away() -> None:
    async def main() -> int:
        limiter = AdaptiveLimiter(1)
        gate = asyncio.Event()

        async def holder() -> None:
            async with limiter.slot():
                await gate.wait()

        async def call() -> None:
            async with limiter.slot():
                pass

        first = asyncio.create_task(holder())
        await asyncio.sleep(0)
        doomed, survivor = asyncio.create_task(call()), asyncio.create_task(call())
        await asyncio.sleep(0.01)
        doomed.cancel()
        gate.set()
        await asyncio.gather(first, survivor)
        return limiter.in_flight

    assert asyncio.run(main()) == 0
