"""Parcel carrier. The app only ships a sandbox client for the carrier's quote API: it prices
parcels from the carrier's rate card and reproduces the carrier's outages."""

import math
import threading
from dataclasses import dataclass
from decimal import Decimal

CARRIER_NAME = "ParcelNet"
QUOTE_CURRENCY = "EUR"
GRAMS_PER_KILOGRAM = 1000


class CarrierUnavailable(Exception):
    """The carrier did not answer (timeout or 5xx); the same request may succeed later."""


class UnknownDestination(Exception):
    """The carrier has no rate for that country code."""


@dataclass(frozen=True)
class Quote:
    carrier: str
    amount: Decimal
    currency: str
    days: int


@dataclass(frozen=True)
class Rate:
    base: Decimal
    per_kilogram: Decimal
    days: int


RATE_CARD: dict[str, Rate] = {
    "AT": Rate(Decimal("5.90"), Decimal("1.10"), 2),
    "BE": Rate(Decimal("5.50"), Decimal("0.90"), 2),
    "CH": Rate(Decimal("14.90"), Decimal("2.50"), 5),
    "DE": Rate(Decimal("4.90"), Decimal("0.80"), 1),
    "ES": Rate(Decimal("8.90"), Decimal("1.40"), 4),
    "FR": Rate(Decimal("6.90"), Decimal("1.20"), 3),
    "GB": Rate(Decimal("12.90"), Decimal("2.00"), 4),
    "IT": Rate(Decimal("8.90"), Decimal("1.40"), 4),
    "NL": Rate(Decimal("5.50"), Decimal("0.90"), 2),
    "NO": Rate(Decimal("13.90"), Decimal("2.20"), 5),
    "PL": Rate(Decimal("7.50"), Decimal("1.00"), 3),
    "PT": Rate(Decimal("9.90"), Decimal("1.60"), 5),
}

# Sandbox outages by destination: the first N requests for a parcel (the same weight to the
# same country) fail with CarrierUnavailable; the requests after them are answered.
SANDBOX_FAILING_REQUESTS: dict[str, int] = {"IT": 1, "ES": 2, "PL": 3}
# Destinations whose sandbox depot is down: every request fails with CarrierUnavailable.
SANDBOX_DOWN: frozenset[str] = frozenset({"PT"})


class CarrierClient:
    """The carrier's quote API (sandbox).

    `quote(weight_grams, country)` prices one parcel: the destination's base price plus its
    price per started kilogram (a parcel of up to 1000 g pays one kilogram). Country codes
    are ISO 3166-1 alpha-2 in upper case ("DE"); a code without a rate raises
    UnknownDestination. Outages follow SANDBOX_FAILING_REQUESTS and SANDBOX_DOWN, counted
    per client since it was created or last `reset()`.
    """

    def __init__(self) -> None:
        self.requests: list[tuple[int, str]] = []
        self._lock = threading.Lock()

    def quote(self, weight_grams: int, country: str) -> Quote:
        rate = RATE_CARD.get(country)
        if rate is None:
            raise UnknownDestination(f"no rate for destination {country!r}")
        with self._lock:
            self.requests.append((weight_grams, country))
            seen = self.requests.count((weight_grams, country))
        if country in SANDBOX_DOWN or seen <= SANDBOX_FAILING_REQUESTS.get(country, 0):
            raise CarrierUnavailable(f"carrier timed out quoting {weight_grams} g to {country}")
        kilograms = max(1, math.ceil(weight_grams / GRAMS_PER_KILOGRAM))
        return Quote(
            carrier=CARRIER_NAME,
            amount=rate.base + rate.per_kilogram * kilograms,
            currency=QUOTE_CURRENCY,
            days=rate.days,
        )

    def reset(self) -> None:
        with self._lock:
            self.requests.clear()


_carrier_client = CarrierClient()


def get_carrier_client() -> CarrierClient:
    """The process-wide client."""
    return _carrier_client


def reset_carrier_client() -> CarrierClient:
    """Forget the requests the process-wide client has seen and return it."""
    _carrier_client.reset()
    return _carrier_client
