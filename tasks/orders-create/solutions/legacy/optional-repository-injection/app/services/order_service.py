"""Order placement: validate the lines, reserve stock and price the order in one transaction."""

from collections import Counter
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Optional

from sqlalchemy import update
from sqlalchemy.orm import Session

from app.core.result import Result, failure, success
from app.domain.exceptions import InsufficientStockError, NotFoundError, ValidationFailedError
from app.models.order import ORDER_STATUS_PENDING, Order, OrderItem
from app.models.product import Product
from app.repositories.product_repository import ProductRepository

MIN_QUANTITY = 1
ZERO = Decimal("0.00")

OrderLine = Mapping[str, int]
CreateOrderError = NotFoundError | InsufficientStockError | ValidationFailedError


class OrderService:
    def __init__(self, db: Session, products: Optional[ProductRepository] = None) -> None:
        self.db = db
        self.products = products or ProductRepository(db)

    def create_order(
        self, user_id: int, items: Sequence[OrderLine]
    ) -> Result[Order, CreateOrderError]:
        """Create a pending order for `user_id`. All or nothing: a failure writes nothing."""
        if not items:
            return failure(ValidationFailedError("an order needs at least one item"))
        if any(line["quantity"] < MIN_QUANTITY for line in items):
            return failure(ValidationFailedError(f"quantity must be at least {MIN_QUANTITY}"))

        demand: Counter[int] = Counter()
        for line in items:
            demand[line["product_id"]] += line["quantity"]
        products: dict[int, Product] = {}
        for product_id in demand:
            product = self.products.get(product_id)
            if product is None:
                return failure(NotFoundError(f"product {product_id} not found"))
            products[product_id] = product

        for product_id, quantity in demand.items():
            if not self._reserve(product_id, quantity):
                self.db.rollback()  # earlier lines' reservations are undone: all or nothing
                return failure(
                    InsufficientStockError(f"product {product_id}: fewer than {quantity} in stock")
                )

        order = Order(user_id=user_id, status=ORDER_STATUS_PENDING)
        for line in items:
            product = products[line["product_id"]]
            order.items.append(
                OrderItem(
                    product_id=product.id, quantity=line["quantity"], unit_price=product.price
                )
            )
        order.total = sum((item.unit_price * item.quantity for item in order.items), ZERO)
        self.db.add(order)
        self.db.commit()
        return success(order)

    def _reserve(self, product_id: int, quantity: int) -> bool:
        """Take `quantity` off the stock in one conditional UPDATE, so that simultaneous
        orders cannot both see the last units (SQLite ignores SELECT ... FOR UPDATE)."""
        reserved = self.db.execute(
            update(Product)
            .where(Product.id == product_id, Product.stock >= quantity)
            .values(stock=Product.stock - quantity)
            .execution_options(synchronize_session=False)
        )
        return reserved.rowcount == 1
