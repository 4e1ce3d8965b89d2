from typing import Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models.order import Order


class OrderRepository:
    def __init__(self, db: Session) -> None:
        self.db = db

    def get_for_user(self, order_id: int, user_id: int) -> Optional[Order]:
        return self.db.scalars(
            select(Order).where(Order.id == order_id, Order.user_id == user_id)
        ).first()
