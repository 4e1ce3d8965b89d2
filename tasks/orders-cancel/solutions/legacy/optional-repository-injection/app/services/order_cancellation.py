"""Order cancellation: an owner cancels a pending or paid order and its stock is given back."""

from typing import Optional

from sqlalchemy.orm import Session

from app.core.result import Result, failure, success
from app.domain.exceptions import ConflictError, NotFoundError
from app.models.order import (
    ORDER_STATUS_CANCELLED,
    ORDER_STATUS_PAID,
    ORDER_STATUS_PENDING,
    Order,
)
from app.repositories.order_repository import OrderRepository
from app.repositories.product_repository import ProductRepository

CANCELLABLE_STATUSES = frozenset({ORDER_STATUS_PENDING, ORDER_STATUS_PAID})

CancelOrderError = NotFoundError | ConflictError


class OrderCancellationService:
    def __init__(
        self,
        db: Session,
        orders: Optional[OrderRepository] = None,
        products: Optional[ProductRepository] = None,
    ) -> None:
        self.db = db
        self.orders = orders or OrderRepository(db)
        self.products = products or ProductRepository(db)

    def cancel(self, order_id: int, user_id: int) -> Result[Order, CancelOrderError]:
        """Cancel `user_id`'s order and restock its lines, all in one transaction."""
        order = self.orders.get_for_user(order_id, user_id)
        if order is None:
            # Someone else's order is "not found" too: ids of other customers stay hidden.
            return failure(NotFoundError(f"order {order_id} not found"))
        if order.status not in CANCELLABLE_STATUSES:
            return failure(ConflictError(f"an order that is {order.status} cannot be cancelled"))

        for item in order.items:
            product = self.products.get(item.product_id)
            if product is not None:
                product.stock += item.quantity
        order.status = ORDER_STATUS_CANCELLED
        self.db.commit()
        return success(order)
