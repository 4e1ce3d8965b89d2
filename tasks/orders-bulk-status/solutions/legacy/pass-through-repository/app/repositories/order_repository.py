from typing import List, Optional, Sequence

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.models.order import ORDER_STATUS_PAID, ORDER_STATUS_SHIPPED, Order


class OrderRepository:
    def __init__(self, db: Session) -> None:
        self.db = db

    def get(self, order_id: int) -> Optional[Order]:
        return self.db.get(Order, order_id)

    def list_ids(self, order_ids: List[int]) -> Sequence[int]:
        return self.db.scalars(select(Order.id).where(Order.id.in_(order_ids))).all()

    def mark_paid_as_shipped(self, order_ids: List[int]) -> Sequence[int]:
        return self.db.scalars(
            update(Order)
            .where(Order.id.in_(order_ids), Order.status == ORDER_STATUS_PAID)
            .values(status=ORDER_STATUS_SHIPPED)
            .returning(Order.id)
            .execution_options(synchronize_session=False)
        ).all()
