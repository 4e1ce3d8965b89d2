"""A customer's existing orders: viewing, cancelling, ordering the same again."""

from decimal import Decimal

from sqlalchemy.orm import Session

from app.core.result import Failure, Result, failure, success
from app.domain.exceptions import ConflictError, InsufficientStockError, NotFoundError
from app.models.order import ORDER_STATUS_CANCELLED, ORDER_STATUS_PENDING, Order, OrderItem
from app.services.catalog_service import CatalogService

ZERO = Decimal("0.00")


class OrderService:
    def __init__(self, db: Session) -> None:
        self.db = db
        self.catalog = CatalogService(db)

    def get_order(self, user_id: int, order_id: int) -> Result[Order, NotFoundError]:
        """The user's order; someone else's order is "not found" too."""
        order = self.db.get(Order, order_id)
        if order is None or order.user_id != user_id:
            return failure(NotFoundError("order not found"))
        return success(order)

    def cancel_order(
        self, user_id: int, order_id: int
    ) -> Result[Order, NotFoundError | ConflictError]:
        """Cancel a pending order and put its items back in stock."""
        found = self.get_order(user_id, order_id)
        if isinstance(found, Failure):
            return found
        order = found.value
        if order.status != ORDER_STATUS_PENDING:
            return failure(
                ConflictError(f"order {order.id} is {order.status} and cannot be cancelled")
            )
        for item in order.items:
            item.product.stock += item.quantity
        order.status = ORDER_STATUS_CANCELLED
        self.db.commit()
        return success(order)

    def reorder(
        self, user_id: int, order_id: int
    ) -> Result[Order, NotFoundError | InsufficientStockError]:
        """A new pending order with the same lines, at today's prices, stock reserved.

        All or nothing: when a line cannot be reserved, the reservations already made for
        the earlier lines are rolled back before the failure is returned.
        """
        found = self.get_order(user_id, order_id)
        if isinstance(found, Failure):
            return found
        original = found.value
        new_order = Order(user_id=user_id, status=ORDER_STATUS_PENDING)
        for line in original.items:
            reserved = self.catalog.reserve_stock(line.product_id, line.quantity)
            if isinstance(reserved, Failure):
                self.db.rollback()
                return reserved
            product = reserved.value
            new_order.items.append(
                OrderItem(product_id=product.id, quantity=line.quantity, unit_price=product.price)
            )
        new_order.total = sum(
            (item.unit_price * item.quantity for item in new_order.items), ZERO
        )
        self.db.add(new_order)
        self.db.commit()
        return success(new_order)
