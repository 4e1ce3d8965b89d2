"""Order cancellation: an owner cancels a pending or paid order."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.result import Result, failure, success
from app.domain.exceptions import ConflictError, NotFoundError
from app.models.order import (
    ORDER_STATUS_CANCELLED,
    ORDER_STATUS_PAID,
    ORDER_STATUS_PENDING,
    Order,
)

CANCELLABLE_STATUSES = frozenset({ORDER_STATUS_PENDING, ORDER_STATUS_PAID})

CancelOrderError = NotFoundError | ConflictError


class OrderCancellationService:
    def __init__(self, db: Session) -> None:
        self.db = db

    def cancel(self, order_id: int, user_id: int) -> Result[Order, CancelOrderError]:
        """Cancel `user_id`'s order."""
        order = self.db.scalars(
            select(Order).where(Order.id == order_id, Order.user_id == user_id).with_for_update()
        ).first()
        if order is None:
            # Someone else's order is "not found" too: ids of other customers stay hidden.
            return failure(NotFoundError(f"order {order_id} not found"))
        if order.status not in CANCELLABLE_STATUSES:
            return failure(ConflictError(f"an order that is {order.status} cannot be cancelled"))

        order.status = ORDER_STATUS_CANCELLED
        self.db.commit()
        return success(order)
