"""A customer's order history: their orders, newest first, one page at a time."""

from dataclasses import dataclass
from typing import List, Optional

from sqlalchemy.orm import Session

from app.core.result import Result, failure, success
from app.domain.exceptions import ValidationFailedError
from app.models.order import (
    ORDER_STATUS_CANCELLED,
    ORDER_STATUS_PAID,
    ORDER_STATUS_PENDING,
    ORDER_STATUS_SHIPPED,
    Order,
)
from app.repositories.order_repository import OrderRepository

ORDER_STATUSES = frozenset(
    {ORDER_STATUS_PENDING, ORDER_STATUS_PAID, ORDER_STATUS_SHIPPED, ORDER_STATUS_CANCELLED}
)
MAX_PAGE_SIZE = 50


@dataclass(frozen=True)
class OrderHistoryPage:
    orders: List[Order]
    total: int


class OrderHistoryService:
    def __init__(self, db: Session, orders: Optional[OrderRepository] = None) -> None:
        self.db = db
        self.orders = orders or OrderRepository(db)

    def list_orders(
        self, user_id: int, status: Optional[str], page: int, size: int
    ) -> Result[OrderHistoryPage, ValidationFailedError]:
        if page < 1 or not 1 <= size <= MAX_PAGE_SIZE:
            return failure(ValidationFailedError("invalid_page"))
        if status is not None and status not in ORDER_STATUSES:
            return failure(ValidationFailedError("invalid_status"))

        orders = self.orders.list_for_user(user_id, status, offset=(page - 1) * size, limit=size)
        total = self.orders.count_for_user(user_id, status)
        return success(OrderHistoryPage(orders=orders, total=total))
