from dataclasses import dataclass
from typing import List

from sqlalchemy.orm import Session

from app.core.result import Result, failure, success
from app.domain.exceptions import ValidationFailedError
from app.repositories.order_repository import OrderRepository

MAX_ORDERS_PER_BATCH = 100


@dataclass(frozen=True)
class SkippedOrder:
    id: int
    reason: str


@dataclass(frozen=True)
class ShipmentReport:
    shipped: List[int]
    skipped: List[SkippedOrder]


class OrderShippingService:
    def __init__(self, db: Session) -> None:
        self.db = db
        self.orders = OrderRepository(db)

    def ship_orders(self, order_ids: List[int]) -> Result[ShipmentReport, ValidationFailedError]:
        batch = list(dict.fromkeys(order_ids))
        if not batch:
            return failure(ValidationFailedError("no_orders"))
        if len(batch) > MAX_ORDERS_PER_BATCH:
            return failure(ValidationFailedError("too_many_orders"))

        shipped_ids = set(self.orders.mark_paid_as_shipped(batch))
        existing_ids = set(self.orders.list_ids(batch))
        self.db.commit()

        shipped = [order_id for order_id in batch if order_id in shipped_ids]
        skipped = [
            SkippedOrder(order_id, "not_paid" if order_id in existing_ids else "not_found")
            for order_id in batch
            if order_id not in shipped_ids
        ]
        return success(ShipmentReport(shipped=shipped, skipped=skipped))
