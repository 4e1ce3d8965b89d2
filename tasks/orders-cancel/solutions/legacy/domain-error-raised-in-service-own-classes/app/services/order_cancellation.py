"""Order cancellation: an owner cancels a pending or paid order and its stock is given back."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models.order import (
    ORDER_STATUS_CANCELLED,
    ORDER_STATUS_PAID,
    ORDER_STATUS_PENDING,
    Order,
)
from app.models.product import Product

CANCELLABLE_STATUSES = frozenset({ORDER_STATUS_PENDING, ORDER_STATUS_PAID})


class OrderNotFound(Exception):
    """No order with that id belongs to the user."""


class OrderNotCancellable(Exception):
    """The order's status does not allow a cancel."""


class OrderCancellationService:
    def __init__(self, db: Session) -> None:
        self.db = db

    def cancel(self, order_id: int, user_id: int) -> Order:
        """Cancel `user_id`'s order and restock its lines, all in one transaction.

        Raises OrderNotFound (unknown or someone else's order) or OrderNotCancellable.
        """
        order = self.db.scalars(
            select(Order).where(Order.id == order_id, Order.user_id == user_id)
        ).first()
        if order is None:
            raise OrderNotFound(order_id)
        if order.status not in CANCELLABLE_STATUSES:
            raise OrderNotCancellable(order.status)

        for item in order.items:
            product = self.db.get(Product, item.product_id)
            if product is not None:
                product.stock += item.quantity
        order.status = ORDER_STATUS_CANCELLED
        self.db.commit()
        return order
