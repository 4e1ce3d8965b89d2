from typing import List, Optional, Set

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.models.order import Order


class OrderRepository:
    def __init__(self, db: Session) -> None:
        self.db = db

    def get(self, order_id: int) -> Optional[Order]:
        return self.db.get(Order, order_id)

    def existing_ids(self, order_ids: List[int]) -> Set[int]:
        rows = self.db.scalars(select(Order.id).where(Order.id.in_(order_ids)))
        return set(rows)

    def update_status(self, order_ids: List[int], from_status: str, to_status: str) -> Set[int]:
        """Move the listed orders still in `from_status` to `to_status`; returns their ids."""
        rows = self.db.scalars(
            update(Order)
            .where(Order.id.in_(order_ids), Order.status == from_status)
            .values(status=to_status)
            .returning(Order.id)
            .execution_options(synchronize_session=False)
        )
        return set(rows)
