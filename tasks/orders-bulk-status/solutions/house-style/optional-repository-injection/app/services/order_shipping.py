"""Bulk shipping: the warehouse marks a batch of paid orders as shipped."""

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from app.core.result import Result, failure, success
from app.domain.exceptions import ValidationFailedError
from app.models.order import ORDER_STATUS_PAID, ORDER_STATUS_SHIPPED
from app.repositories.order_repository import OrderRepository

MAX_ORDERS_PER_BATCH = 100
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
    def __init__(self, db: Session, orders: OrderRepository | None = None) -> None:
        self.db = db
        self.orders = orders or OrderRepository(db)

    def ship_orders(
        self, order_ids: Sequence[int]
    ) -> Result[ShipmentReport, ValidationFailedError]:
        """Ship every paid order of the batch in one conditional UPDATE; report the others."""
        batch = list(dict.fromkeys(order_ids))
        if not batch:
            return failure(ValidationFailedError("no_orders"))
        if len(batch) > MAX_ORDERS_PER_BATCH:
            return failure(ValidationFailedError("too_many_orders"))

        shipped_ids = self.orders.set_status_where(batch, ORDER_STATUS_PAID, ORDER_STATUS_SHIPPED)
        existing_ids = self.orders.existing_ids(batch)
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
