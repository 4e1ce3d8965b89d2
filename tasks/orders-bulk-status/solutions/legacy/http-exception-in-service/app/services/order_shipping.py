from dataclasses import dataclass
from typing import List

from fastapi import HTTPException, status
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.models.order import ORDER_STATUS_PAID, ORDER_STATUS_SHIPPED, Order


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

    def ship_orders(self, order_ids: List[int]) -> ShipmentReport:
        """Ship the paid orders of a warehouse batch; the others are reported as skipped."""
        batch = list(dict.fromkeys(order_ids))
        if not batch:
            raise HTTPException(
                status_code=status.HTTP_422_UNPROCESSABLE_ENTITY, detail="no_orders"
            )
        if len(batch) > 100:
            raise HTTPException(
                status_code=status.HTTP_422_UNPROCESSABLE_ENTITY, detail="too_many_orders"
            )

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

        return ShipmentReport(
            shipped=[order_id for order_id in batch if order_id in shipped_ids],
            skipped=[
                SkippedOrder(order_id, "not_paid" if order_id in existing_ids else "not_found")
                for order_id in batch
                if order_id not in shipped_ids
            ],
        )
