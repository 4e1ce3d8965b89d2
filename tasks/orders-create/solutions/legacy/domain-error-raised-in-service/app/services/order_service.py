"""Order placement: validate the lines, reserve stock and price the order in one transaction."""

from collections import Counter
from collections.abc import Mapping, Sequence
from decimal import Decimal

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.models.order import ORDER_STATUS_PENDING, Order, OrderItem
from app.models.product import Product

MIN_QUANTITY = 1
ZERO = Decimal("0.00")


class OrderError(Exception):
    """Base class for the reasons an order is refused."""


class InvalidOrderItems(OrderError):
    pass


class ProductNotFound(OrderError):
    def __init__(self, product_id: int) -> None:
        super().__init__(f"product {product_id} not found")
        self.product_id = product_id


class InsufficientStock(OrderError):
    def __init__(self, product_id: int, requested: int) -> None:
        super().__init__(f"product {product_id}: fewer than {requested} in stock")
        self.product_id = product_id
        self.requested = requested


class OrderService:
    def __init__(self, db: Session) -> None:
        self.db = db

    def create_order(self, user_id: int, items: Sequence[Mapping[str, int]]) -> Order:
        """Create a pending order for `user_id`. All or nothing: a refused order writes nothing.

        Raises InvalidOrderItems, ProductNotFound or InsufficientStock.
        """
        if not items:
            raise InvalidOrderItems("an order needs at least one item")
        if any(line["quantity"] < MIN_QUANTITY for line in items):
            raise InvalidOrderItems(f"quantity must be at least {MIN_QUANTITY}")

        demand: Counter[int] = Counter()
        for line in items:
            demand[line["product_id"]] += line["quantity"]
        products = {
            product.id: product
            for product in self.db.scalars(select(Product).where(Product.id.in_(demand)))
        }
        for product_id in demand:
            if product_id not in products:
                raise ProductNotFound(product_id)

        try:
            for product_id, quantity in demand.items():
                self._reserve(product_id, quantity)
        except InsufficientStock:
            self.db.rollback()  # give back what earlier lines reserved
            raise

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
        return order

    def _reserve(self, product_id: int, quantity: int) -> None:
        """One conditional UPDATE, so simultaneous orders cannot both take the last units."""
        reserved = self.db.execute(
            update(Product)
            .where(Product.id == product_id, Product.stock >= quantity)
            .values(stock=Product.stock - quantity)
            .execution_options(synchronize_session=False)
        )
        if reserved.rowcount != 1:
            raise InsufficientStock(product_id, quantity)
