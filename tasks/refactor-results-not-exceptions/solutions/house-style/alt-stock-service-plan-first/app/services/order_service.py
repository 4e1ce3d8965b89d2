"""A customer's existing orders: viewing, cancelling, ordering the same again."""

from collections import defaultdict
from decimal import Decimal

from sqlalchemy.orm import Session

from app.core.result import Failure, Result, Success, failure, success
from app.domain.exceptions import ConflictError, InsufficientStockError, NotFoundError
from app.models.order import ORDER_STATUS_CANCELLED, ORDER_STATUS_PENDING, Order, OrderItem
from app.models.product import Product
from app.services.catalog_service import CatalogService
from app.services.stock_service import shortage_error

ZERO = Decimal("0.00")

ReorderPlan = list[tuple[Product, int]]


class OrderService:
    def __init__(self, db: Session) -> None:
        self.db = db
        self.catalog = CatalogService(db)

    def get_order(self, user_id: int, order_id: int) -> Result[Order, NotFoundError]:
        order = self.db.get(Order, order_id)
        if order is None or order.user_id != user_id:
            return failure(NotFoundError("order not found"))
        return success(order)

    def cancel_order(
        self, user_id: int, order_id: int
    ) -> Result[Order, NotFoundError | ConflictError]:
        match self.get_order(user_id, order_id):
            case Failure() as missing:
                return missing
            case Success(value=order) if order.status != ORDER_STATUS_PENDING:
                return failure(
                    ConflictError(f"order {order.id} is {order.status} and cannot be cancelled")
                )
            case Success(value=order):
                for item in order.items:
                    item.product.stock += item.quantity
                order.status = ORDER_STATUS_CANCELLED
                self.db.commit()
                return success(order)

    def reorder(
        self, user_id: int, order_id: int
    ) -> Result[Order, NotFoundError | InsufficientStockError]:
        """Plan every line first (nothing is touched), then reserve and save in one go."""
        match self.get_order(user_id, order_id):
            case Failure() as missing:
                return missing
            case Success(value=original):
                planned = self._plan(original)
        if isinstance(planned, Failure):
            return planned
        new_order = Order(user_id=user_id, status=ORDER_STATUS_PENDING)
        for product, quantity in planned.value:
            product.stock -= quantity
            new_order.items.append(
                OrderItem(product_id=product.id, quantity=quantity, unit_price=product.price)
            )
        new_order.total = sum((i.unit_price * i.quantity for i in new_order.items), ZERO)
        self.db.add(new_order)
        self.db.commit()
        return success(new_order)

    def _plan(
        self, original: Order
    ) -> Result[ReorderPlan, NotFoundError | InsufficientStockError]:
        """The lines in order with their products, checked against the stock that would be
        left after the earlier lines, without changing anything."""
        taken: defaultdict[int, int] = defaultdict(int)
        plan: ReorderPlan = []
        for line in original.items:
            found = self.catalog.get_product(line.product_id)
            if isinstance(found, Failure):
                return found
            product = found.value
            available = product.stock - taken[product.id]
            if available < line.quantity:
                return failure(shortage_error(product, line.quantity, available))
            taken[product.id] += line.quantity
            plan.append((product, line.quantity))
        return success(plan)
