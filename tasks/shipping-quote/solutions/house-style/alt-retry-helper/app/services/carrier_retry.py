"""Asking a flaky carrier again, with a pause between attempts."""

import asyncio

from app.integrations.shipping import CarrierClient, CarrierUnavailable, Quote

MAX_CARRIER_ATTEMPTS = 3
PAUSE_BETWEEN_ATTEMPTS_SECONDS = 0.2


async def quote_with_retries(
    carrier: CarrierClient, weight_grams: int, country: str
) -> Quote | None:
    """The carrier's quote, or None if it was unavailable on every attempt."""
    attempts_left = MAX_CARRIER_ATTEMPTS
    while True:
        try:
            return carrier.quote(weight_grams, country)
        except CarrierUnavailable:
            attempts_left -= 1
            if attempts_left == 0:
                return None
        await asyncio.sleep(PAUSE_BETWEEN_ATTEMPTS_SECONDS)
