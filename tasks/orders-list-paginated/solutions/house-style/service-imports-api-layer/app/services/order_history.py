"""A customer's order history: their orders, newest first, one page at a time."""

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.api.pagination import MAX_PAGE_SIZE, Page, PageParams, paginate
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


class OrderHistoryService:
    def __init__(self, db: Session) -> None:
        self.db = db

    def list_orders(
        self, user_id: int, status: str | None, page: int, size: int
    ) -> Result[Page[Any], ValidationFailedError]:
        """One page of `user_id`'s orders (all of them, or those with `status`), newest first."""
        if page < 1 or not 1 <= size <= MAX_PAGE_SIZE:
            return failure(ValidationFailedError("invalid_page"))
        if status is not None and status not in ORDER_STATUSES:
            return failure(ValidationFailedError("invalid_status"))

        query = (
            select(Order)
            .where(Order.user_id == user_id)
            .options(selectinload(Order.items))
            .order_by(Order.created_at.desc(), Order.id.desc())
        )
        if status is not None:
            query = query.where(Order.status == status)
        return success(paginate(query, PageParams(page=page, size=size), self.db))
