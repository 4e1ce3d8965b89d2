"""Order cancellation: an owner cancels a pending or paid order and its stock is given back."""

from collections import Counter

from fastapi import HTTPException, status
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.result import Result, success
from app.models.order import (
    ORDER_STATUS_CANCELLED,
    ORDER_STATUS_PAID,
    ORDER_STATUS_PENDING,
    Order,
)
from app.models.product import Product

CANCELLABLE_STATUSES = frozenset({ORDER_STATUS_PENDING, ORDER_STATUS_PAID})


class OrderCancellationService:
    def __init__(self, db: Session) -> None:
        self.db = db

    def cancel(self, order_id: int, user_id: int) -> Result[Order, Exception]:
        """Cancel `user_id`'s order and restock its lines, all in one transaction."""
        order = self.db.scalars(
            select(Order).where(Order.id == order_id, Order.user_id == user_id)
        ).first()
        if order is None:
            raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail="Order not found")
        if order.status not in CANCELLABLE_STATUSES:
            raise HTTPException(
                status_code=status.HTTP_409_CONFLICT,
                detail=f"Order is {order.status} and cannot be cancelled",
            )

        returned: Counter[int] = Counter()
        for item in order.items:
            returned[item.product_id] += item.quantity
        for product in self.db.scalars(select(Product).where(Product.id.in_(returned))):
            product.stock += returned[product.id]
        order.status = ORDER_STATUS_CANCELLED
        self.db.commit()
        return success(order)
