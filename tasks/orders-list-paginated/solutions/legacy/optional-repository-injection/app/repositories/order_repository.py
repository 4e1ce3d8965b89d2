from typing import List, Optional

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, selectinload

from app.models.order import Order


class OrderRepository:
    def __init__(self, db: Session) -> None:
        self.db = db

    def _for_user(self, query: Select, user_id: int, status: Optional[str]) -> Select:
        query = query.where(Order.user_id == user_id)
        if status is not None:
            query = query.where(Order.status == status)
        return query

    def list_for_user(
        self, user_id: int, status: Optional[str], offset: int, limit: int
    ) -> List[Order]:
        query = self._for_user(select(Order), user_id, status)
        query = (
            query.options(selectinload(Order.items))
            .order_by(Order.created_at.desc(), Order.id.desc())
            .offset(offset)
            .limit(limit)
        )
        return list(self.db.scalars(query))

    def count_for_user(self, user_id: int, status: Optional[str]) -> int:
        query = self._for_user(select(func.count(Order.id)), user_id, status)
        return self.db.scalar(query) or 0
