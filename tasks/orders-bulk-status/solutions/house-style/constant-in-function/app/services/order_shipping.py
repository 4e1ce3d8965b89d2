"""Bulk shipping: the warehouse marks a batch of paid orders as shipped."""

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.core.result import Result, failure, success
from app.domain.exceptions import ValidationFailedError
from app.models.order import ORDER_STATUS_PAID, ORDER_STATUS_SHIPPED, Order

REASON_NOT_FOUND = "not_found"
REASON_NOT_PAID = "not_paid"


@dataclass(frozen=True)
class SkippedOrder:
    id: int
    reason: str


@dataclass(frozen=True)
class ShipmentReport:
    shipped: list[int]
    skipped: list[SkippedOrder]


class OrderShippingService:
    def __init__(self, db: Session) -> None:
        self.db = db

    def ship_orders(
        self, order_ids: Sequence[int]
    ) -> Result[ShipmentReport, ValidationFailedError]:
        """Ship every paid order of the batch in one conditional UPDATE; report the others."""
        MAX_ORDERS_PER_BATCH = 100
        batch = list(dict.fromkeys(order_ids))  # duplicates once, first position kept
        if not batch:
            return failure(ValidationFailedError("no_orders"))
        if len(batch) > MAX_ORDERS_PER_BATCH:
            return failure(ValidationFailedError("too_many_orders"))

        # The status condition is the claim: of simultaneous batches, only the first UPDATE
        # to reach a row still finds it paid.
        shipped_ids = set(
            self.db.scalars(
                update(Order)
                .where(Order.id.in_(batch), Order.status == ORDER_STATUS_PAID)
                .values(status=ORDER_STATUS_SHIPPED)
                .returning(Order.id)
                .execution_options(synchronize_session=False)
            )
        )
        existing_ids = set(self.db.scalars(select(Order.id).where(Order.id.in_(batch))))
        self.db.commit()

        shipped = [order_id for order_id in batch if order_id in shipped_ids]
        skipped = [
            SkippedOrder(
                order_id, REASON_NOT_PAID if order_id in existing_ids else REASON_NOT_FOUND
            )
            for order_id in batch
            if order_id not in shipped_ids
        ]
        return success(ShipmentReport(shipped=shipped, skipped=skipped))
