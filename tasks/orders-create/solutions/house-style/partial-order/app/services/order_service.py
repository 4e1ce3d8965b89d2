"""Order placement: validate the lines, reserve stock and price the order."""

from collections.abc import Mapping, Sequence
from decimal import Decimal

from sqlalchemy import update
from sqlalchemy.orm import Session

from app.core.result import Result, failure, success
from app.domain.exceptions import InsufficientStockError, NotFoundError, ValidationFailedError
from app.models.order import ORDER_STATUS_PENDING, Order, OrderItem
from app.models.product import Product

MIN_QUANTITY = 1
ZERO = Decimal("0.00")

OrderLine = Mapping[str, int]
CreateOrderError = NotFoundError | InsufficientStockError | ValidationFailedError


class OrderService:
    def __init__(self, db: Session) -> None:
        self.db = db

    def create_order(
        self, user_id: int, items: Sequence[OrderLine]
    ) -> Result[Order, CreateOrderError]:
        """Create a pending order for `user_id`, line by line."""
        if not items:
            return failure(ValidationFailedError("an order needs at least one item"))
        if any(line["quantity"] < MIN_QUANTITY for line in items):
            return failure(ValidationFailedError(f"quantity must be at least {MIN_QUANTITY}"))

        order = Order(user_id=user_id, status=ORDER_STATUS_PENDING, total=ZERO)
        self.db.add(order)
        for line in items:
            product = self.db.get(Product, line["product_id"])
            if product is None:
                return failure(NotFoundError(f"product {line['product_id']} not found"))
            reserved = self.db.execute(
                update(Product)
                .where(Product.id == product.id, Product.stock >= line["quantity"])
                .values(stock=Product.stock - line["quantity"])
                .execution_options(synchronize_session=False)
            )
            if reserved.rowcount != 1:
                return failure(
                    InsufficientStockError(
                        f"product {product.id}: fewer than {line['quantity']} in stock"
                    )
                )
            order.items.append(
                OrderItem(
                    product_id=product.id, quantity=line["quantity"], unit_price=product.price
                )
            )
            order.total += product.price * line["quantity"]
            self.db.commit()
        return success(order)
