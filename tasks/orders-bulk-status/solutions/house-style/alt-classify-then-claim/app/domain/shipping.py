"""A warehouse shipping batch and what became of each of its orders."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from app.core.result import Result, failure, success
from app.domain.exceptions import ValidationFailedError

BATCH_LIMIT = 100
NOT_FOUND = "not_found"
NOT_PAID = "not_paid"


@dataclass(frozen=True)
class ShippingBatch:
    order_ids: tuple[int, ...]

    @classmethod
    def parse(cls, order_ids: Iterable[int]) -> Result["ShippingBatch", ValidationFailedError]:
        unique = tuple(dict.fromkeys(order_ids))
        if not unique:
            return failure(ValidationFailedError("no_orders"))
        if len(unique) > BATCH_LIMIT:
            return failure(ValidationFailedError("too_many_orders"))
        return success(cls(unique))


@dataclass
class ShippingOutcome:
    shipped: list[int] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.skipped

    def as_json(self) -> dict[str, Any]:
        return {
            "shipped": self.shipped,
            "skipped": [{"id": order_id, "reason": reason} for order_id, reason in self.skipped],
        }
