"""Order history: one page of a customer's orders, newest first, with the overall count."""

from math import ceil
from typing import NamedTuple

from sqlalchemy import Select, func, select
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

KNOWN_STATUSES = (
    ORDER_STATUS_PENDING,
    ORDER_STATUS_PAID,
    ORDER_STATUS_SHIPPED,
    ORDER_STATUS_CANCELLED,
)
SMALLEST_PAGE_SIZE = 1
LARGEST_PAGE_SIZE = 50
INVALID_PAGE = "invalid_page"
INVALID_STATUS = "invalid_status"


class OrderHistory(NamedTuple):
    orders: list[Order]
    page: int
    size: int
    total: int
    pages: int


class OrderHistoryService:
    def __init__(self, db: Session) -> None:
        self.db = db

    def list_orders(
        self, user_id: int, status: str | None, page: int, size: int
    ) -> Result[OrderHistory, ValidationFailedError]:
        if page < 1 or not SMALLEST_PAGE_SIZE <= size <= LARGEST_PAGE_SIZE:
            return failure(ValidationFailedError(INVALID_PAGE))
        if status is not None and status not in KNOWN_STATUSES:
            return failure(ValidationFailedError(INVALID_STATUS))

        matching = select(Order.id).where(Order.user_id == user_id)
        if status is not None:
            matching = matching.where(Order.status == status)

        # One round trip for the page and the count: every row carries the full count.
        rows = self.db.execute(
            matching.add_columns(func.count().over().label("total"))
            .order_by(Order.created_at.desc(), Order.id.desc())
            .offset((page - 1) * size)
            .limit(size)
        ).all()
        total = rows[0].total if rows else self._count(matching)
        return success(
            OrderHistory(
                orders=self._load([row.id for row in rows]),
                page=page,
                size=size,
                total=total,
                pages=ceil(total / size),
            )
        )

    def _count(self, matching: Select[tuple[int]]) -> int:
        return self.db.scalar(select(func.count()).select_from(matching.subquery())) or 0

    def _load(self, order_ids: list[int]) -> list[Order]:
        if not order_ids:
            return []
        loaded = self.db.scalars(
            select(Order).where(Order.id.in_(order_ids)).options(selectinload(Order.items))
        )
        by_id = {order.id: order for order in loaded}
        return [by_id[order_id] for order_id in order_ids]
