"""A customer's order history: their orders, newest first, one page at a time."""

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from app.core.result import Result, failure, success
from app.domain.exceptions import ValidationFailedError
from app.models.order import (
    ORDER_STATUS_CANCELLED,
    ORDER_STATUS_PAID,
    ORDER_STATUS_PENDING,
    ORDER_STATUS_SHIPPED,
    Order,
)

ORDER_STATUSES = frozenset(
    {ORDER_STATUS_PENDING, ORDER_STATUS_PAID, ORDER_STATUS_SHIPPED, ORDER_STATUS_CANCELLED}
)
MAX_PAGE_SIZE = 50


@dataclass(frozen=True)
class OrderHistoryPage:
    orders: list[Order]
    total: int


class OrderHistoryService:
    def __init__(self, db: Session) -> None:
        self.db = db

    def list_orders(
        self, user_id: int, status: str | None, page: int, size: int
    ) -> Result[OrderHistoryPage, ValidationFailedError]:
        """One page of `user_id`'s orders (all of them, or those with `status`), newest first."""
        if page < 1 or not 1 <= size <= MAX_PAGE_SIZE:
            return failure(ValidationFailedError("invalid_page"))
        if status is not None and status not in ORDER_STATUSES:
            return failure(ValidationFailedError("invalid_status"))

        conditions = [Order.user_id == user_id]
        if status is not None:
            conditions.append(Order.status == status)
        total = self.db.scalar(select(func.count(Order.id)).where(*conditions)) or 0
        orders = self.db.scalars(
            select(Order)
            .where(*conditions)
            .options(selectinload(Order.items))
            .order_by(Order.created_at.desc(), Order.id.desc())
            .offset((page - 1) * size)
            .limit(size)
        ).all()
        return success(OrderHistoryPage(orders=list(orders), total=total))
