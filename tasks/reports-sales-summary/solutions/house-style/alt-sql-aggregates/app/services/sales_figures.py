"""Aggregate queries over the orders of a day range."""

from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session

from app.domain.report_range import DayRange
from app.models.order import ORDER_STATUS_PAID, ORDER_STATUS_SHIPPED, Order, OrderItem
from app.models.product import Product

SOLD_STATUSES = (ORDER_STATUS_PAID, ORDER_STATUS_SHIPPED)
LINE_REVENUE = OrderItem.quantity * OrderItem.unit_price
CENTS = Decimal("0.01")


def cents(value: Any) -> Decimal:
    """A SUM as the driver returns it (Decimal, float, int or None), in exact cents."""
    return Decimal(str(value if value is not None else 0)).quantize(CENTS)


class SalesFigures:
    def __init__(self, db: Session) -> None:
        self.db = db

    def per_day(self, days: DayRange) -> list[tuple[str, int, Decimal]]:
        day = func.date(Order.created_at)
        query = (
            select(day, func.count(func.distinct(Order.id)), func.sum(LINE_REVENUE))
            .join(Order.items)
            .where(*self._sold_in(days))
            .group_by(day)
            .order_by(day)
        )
        return [(str(d), int(n), cents(r)) for d, n, r in self.db.execute(query)]

    def per_status(self, days: DayRange) -> dict[str, int]:
        query = (
            select(Order.status, func.count(Order.id))
            .where(Order.created_at >= days.since, Order.created_at < days.until)
            .group_by(Order.status)
        )
        return {status: int(n) for status, n in self.db.execute(query)}

    def best_sellers(self, days: DayRange, limit: int) -> list[tuple[int, str, int, Decimal]]:
        units = func.sum(OrderItem.quantity)
        revenue = func.sum(LINE_REVENUE)
        query: Select[Any] = (
            select(Product.id, Product.sku, units, revenue)
            .join(OrderItem, OrderItem.product_id == Product.id)
            .join(Order, Order.id == OrderItem.order_id)
            .where(*self._sold_in(days))
            .group_by(Product.id, Product.sku)
            .order_by(units.desc(), revenue.desc(), Product.id.asc())
            .limit(limit)
        )
        return [(pid, sku, int(u), cents(r)) for pid, sku, u, r in self.db.execute(query)]

    @staticmethod
    def _sold_in(days: DayRange) -> tuple[ColumnElement[bool], ...]:
        return (
            Order.status.in_(SOLD_STATUSES),
            Order.created_at >= days.since,
            Order.created_at < days.until,
        )
