from collections.abc import Collection, Sequence

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.models.order import ORDER_STATUS_PAID, ORDER_STATUS_SHIPPED, Order


class OrderRepository:
    def __init__(self, db: Session) -> None:
        self.db = db

    def ship_paid(self, order_ids: Collection[int]) -> Sequence[int]:
        return self.db.scalars(
            update(Order)
            .where(Order.id.in_(order_ids), Order.status == ORDER_STATUS_PAID)
            .values(status=ORDER_STATUS_SHIPPED)
            .returning(Order.id)
            .execution_options(synchronize_session=False)
        ).all()

    def existing_ids(self, order_ids: Collection[int]) -> Sequence[int]:
        return self.db.scalars(select(Order.id).where(Order.id.in_(order_ids))).all()
