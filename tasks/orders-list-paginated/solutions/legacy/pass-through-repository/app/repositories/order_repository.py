from typing import Any, List, Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from app.models.order import Order


class OrderRepository:
    def __init__(self, db: Session) -> None:
        self.db = db

    def find_page(self, filters: List[Any], offset: int, limit: int) -> Sequence[Order]:
        return self.db.scalars(
            select(Order)
            .where(*filters)
            .options(selectinload(Order.items))
            .order_by(Order.created_at.desc(), Order.id.desc())
            .offset(offset)
            .limit(limit)
        ).all()

    def count(self, filters: List[Any]) -> int:
        return self.db.scalar(select(func.count(Order.id)).where(*filters))
