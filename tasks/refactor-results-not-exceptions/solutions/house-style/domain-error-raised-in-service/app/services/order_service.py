"""A customer's existing orders: viewing, cancelling, ordering the same again."""

from decimal import Decimal

from sqlalchemy.orm import Session

from app.domain.exceptions import ConflictError, NotFoundError
from app.models.order import ORDER_STATUS_CANCELLED, ORDER_STATUS_PENDING, Order, OrderItem
from app.services.catalog_service import CatalogService

ZERO = Decimal("0.00")


class OrderService:
    def __init__(self, db: Session) -> None:
        self.db = db
        self.catalog = CatalogService(db)

    def get_order(self, user_id: int, order_id: int) -> Order:
        """The user's order; someone else's order is "not found" too."""
        order = self.db.get(Order, order_id)
        if order is None or order.user_id != user_id:
            raise NotFoundError("order not found")
        return order

    def cancel_order(self, user_id: int, order_id: int) -> Order:
        """Cancel a pending order and put its items back in stock."""
        order = self.get_order(user_id, order_id)
        if order.status != ORDER_STATUS_PENDING:
            raise ConflictError(f"order {order.id} is {order.status} and cannot be cancelled")
        for item in order.items:
            item.product.stock += item.quantity
        order.status = ORDER_STATUS_CANCELLED
        self.db.commit()
        return order

    def reorder(self, user_id: int, order_id: int) -> Order:
        """A new pending order with the same lines, at today's prices, stock reserved."""
        original = self.get_order(user_id, order_id)
        new_order = Order(user_id=user_id, status=ORDER_STATUS_PENDING)
        try:
            for line in original.items:
                product = self.catalog.reserve_stock(line.product_id, line.quantity)
                new_order.items.append(
                    OrderItem(
                        product_id=product.id, quantity=line.quantity, unit_price=product.price
                    )
                )
        except Exception:
            self.db.rollback()
            raise
        new_order.total = sum(
            (item.unit_price * item.quantity for item in new_order.items), ZERO
        )
        self.db.add(new_order)
        self.db.commit()
        return new_order
