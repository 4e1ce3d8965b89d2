from collections.abc import Collection

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.models.order import Order


class OrderRepository:
    def __init__(self, db: Session) -> None:
        self.db = db

    def set_status_where(
        self, order_ids: Collection[int], current_status: str, new_status: str
    ) -> set[int]:
        """Move the listed orders that are in `current_status` to `new_status`; their ids."""
        statement = (
            update(Order)
            .where(Order.id.in_(order_ids), Order.status == current_status)
            .values(status=new_status)
            .returning(Order.id)
            .execution_options(synchronize_session=False)
        )
        return set(self.db.scalars(statement))

    def existing_ids(self, order_ids: Collection[int]) -> set[int]:
        found = self.db.scalars(select(Order.id).where(Order.id.in_(order_ids)))
        return set(found)
