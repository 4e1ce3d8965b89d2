"""Cancel an order with a conditional status update, so a cancel can only win once."""

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.core.result import Result, failure, success
from app.domain.exceptions import ConflictError, NotFoundError
from app.models.order import (
    ORDER_STATUS_CANCELLED,
    ORDER_STATUS_PAID,
    ORDER_STATUS_PENDING,
    Order,
    OrderItem,
)
from app.models.product import Product

STATUSES_ALLOWING_CANCEL = (ORDER_STATUS_PENDING, ORDER_STATUS_PAID)


class OrderCancellationService:
    def __init__(self, db: Session) -> None:
        self.db = db

    def cancel(self, order_id: int, user_id: int) -> Result[Order, NotFoundError | ConflictError]:
        owned = select(Order.id).where(Order.id == order_id, Order.user_id == user_id)
        if self.db.scalar(owned) is None:
            return failure(NotFoundError())

        claimed = self.db.execute(
            update(Order)
            .where(Order.id == order_id, Order.status.in_(STATUSES_ALLOWING_CANCEL))
            .values(status=ORDER_STATUS_CANCELLED)
        )
        if claimed.rowcount != 1:
            self.db.rollback()
            return failure(ConflictError("order can no longer be cancelled"))

        lines = self.db.execute(
            select(OrderItem.product_id, OrderItem.quantity).where(OrderItem.order_id == order_id)
        )
        for product_id, quantity in lines:
            self.db.execute(
                update(Product)
                .where(Product.id == product_id)
                .values(stock=Product.stock + quantity)
            )
        self.db.commit()
        return success(self.db.get_one(Order, order_id))
