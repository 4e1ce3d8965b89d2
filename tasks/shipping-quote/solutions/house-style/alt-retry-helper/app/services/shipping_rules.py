"""Shipping policy: where we ship and what a parcel weighs."""

from collections.abc import Iterable

SERVED_COUNTRIES = ("AT", "BE", "DE", "ES", "FR", "IT", "NL", "PL", "PT")
UNIT_WEIGHT_GRAMS = 500


def served_country(code: str) -> str | None:
    """The upper-case code when we ship to `code` (any case), else None."""
    normalized = code.strip().upper()
    return normalized if normalized in SERVED_COUNTRIES else None


def parcel_weight_grams(quantities: Iterable[int]) -> int:
    return sum(quantities) * UNIT_WEIGHT_GRAMS
