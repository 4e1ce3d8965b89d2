"""Order cancellation: an owner cancels a pending or paid order and its stock is given back."""

from collections import Counter

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.result import Result, success
from app.domain.exceptions import ConflictError, NotFoundError
from app.models.order import (
    ORDER_STATUS_CANCELLED,
    ORDER_STATUS_PAID,
    ORDER_STATUS_PENDING,
    Order,
)
from app.models.product import Product

CANCELLABLE_STATUSES = frozenset({ORDER_STATUS_PENDING, ORDER_STATUS_PAID})

CancelOrderError = NotFoundError | ConflictError


class OrderCancellationService:
    def __init__(self, db: Session) -> None:
        self.db = db

    def cancel(self, order_id: int, user_id: int) -> Result[Order, CancelOrderError]:
        """Cancel `user_id`'s order and restock its lines; raises NotFoundError / ConflictError."""
        order = self.db.scalars(
            select(Order).where(Order.id == order_id, Order.user_id == user_id).with_for_update()
        ).first()
        if order is None:
            # Someone else's order is "not found" too: ids of other customers stay hidden.
            raise NotFoundError(f"order {order_id} not found")
        if order.status not in CANCELLABLE_STATUSES:
            raise ConflictError(f"an order that is {order.status} cannot be cancelled")

        returned: Counter[int] = Counter()
        for item in order.items:
            returned[item.product_id] += item.quantity
        products = self.db.scalars(
            select(Product).where(Product.id.in_(returned)).with_for_update()
        )
        for product in products:
            product.stock += returned[product.id]
        order.status = ORDER_STATUS_CANCELLED
        self.db.commit()
        return success(order)
