"""Placing orders. Stock is taken first, product by product; any refusal rolls the whole
transaction back, so a failed order leaves no trace."""

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal

from sqlalchemy.orm import Session

from app.core.result import Failure, Result, failure, success
from app.domain.exceptions import InsufficientStockError, NotFoundError, ValidationFailedError
from app.models.order import ORDER_STATUS_PENDING, Order, OrderItem
from app.services.inventory import product_exists, take_stock

PlacementError = NotFoundError | InsufficientStockError | ValidationFailedError


def _line_problem(items: Sequence[Mapping[str, int]]) -> str | None:
    if len(items) == 0:
        return "items must not be empty"
    for position, line in enumerate(items):
        if line["quantity"] <= 0:
            return f"items[{position}].quantity must be 1 or more"
    return None


def _quantities_by_product(items: Iterable[Mapping[str, int]]) -> dict[int, int]:
    """Total quantity per product, in ascending product id: every order takes its row
    locks in the same order, so two orders can never wait for each other (PostgreSQL)."""
    totals: dict[int, int] = {}
    for line in items:
        totals[line["product_id"]] = totals.get(line["product_id"], 0) + line["quantity"]
    return dict(sorted(totals.items()))


class OrderService:
    def __init__(self, db: Session) -> None:
        self._session = db

    def create_order(
        self, user_id: int, items: Sequence[Mapping[str, int]]
    ) -> Result[Order, PlacementError]:
        problem = _line_problem(items)
        if problem is not None:
            return failure(ValidationFailedError(problem))

        prices = self._take_all(_quantities_by_product(items))
        if isinstance(prices, Failure):
            self._session.rollback()
            return prices

        lines = [
            OrderItem(
                product_id=line["product_id"],
                quantity=line["quantity"],
                unit_price=prices.value[line["product_id"]],
            )
            for line in items
        ]
        total = sum((line.unit_price * line.quantity for line in lines), Decimal(0))
        order = Order(user_id=user_id, status=ORDER_STATUS_PENDING, total=total, items=lines)
        self._session.add(order)
        self._session.commit()
        return success(order)

    def _take_all(
        self, wanted: Mapping[int, int]
    ) -> Result[dict[int, Decimal], NotFoundError | InsufficientStockError]:
        prices: dict[int, Decimal] = {}
        for product_id, quantity in wanted.items():
            price = take_stock(self._session, product_id, quantity)
            if price is not None:
                prices[product_id] = price
            elif product_exists(self._session, product_id):
                return failure(InsufficientStockError(f"not enough stock for product {product_id}"))
            else:
                return failure(NotFoundError(f"no product with id {product_id}"))
        return success(prices)
