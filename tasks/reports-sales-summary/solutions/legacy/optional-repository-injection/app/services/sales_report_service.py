"""Sales figures over a range of order days, for the back office."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Optional

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.core.result import Result, failure, success
from app.domain.exceptions import ValidationFailedError
from app.models.order import (
    ORDER_STATUS_CANCELLED,
    ORDER_STATUS_PAID,
    ORDER_STATUS_PENDING,
    ORDER_STATUS_SHIPPED,
    Order,
    OrderItem,
)
from app.repositories import ProductRepository

MAX_RANGE_DAYS = 366
TOP_PRODUCTS_LIMIT = 5
SALE_STATUSES = frozenset({ORDER_STATUS_PAID, ORDER_STATUS_SHIPPED})
REPORTED_STATUSES = (
    ORDER_STATUS_PENDING,
    ORDER_STATUS_PAID,
    ORDER_STATUS_SHIPPED,
    ORDER_STATUS_CANCELLED,
)
ZERO = Decimal("0.00")


@dataclass(frozen=True)
class DaySales:
    day: date
    orders: int
    revenue: Decimal


@dataclass(frozen=True)
class ProductSales:
    product_id: int
    sku: str
    units: int
    revenue: Decimal


@dataclass(frozen=True)
class SalesReport:
    date_from: date
    date_to: date
    orders: int
    revenue: Decimal
    by_day: list[DaySales]
    by_status: dict[str, int]
    top_products: list[ProductSales]


def _line_revenue(item: OrderItem) -> Decimal:
    return item.quantity * item.unit_price


class SalesReportService:
    def __init__(self, db: Session, products: Optional[ProductRepository] = None) -> None:
        self.db = db
        self.products = products or ProductRepository(db)

    def summary(self, date_from: str, date_to: str) -> Result[SalesReport, ValidationFailedError]:
        try:
            start, end = date.fromisoformat(date_from), date.fromisoformat(date_to)
        except ValueError:
            return failure(ValidationFailedError("invalid_date"))
        if start > end or (end - start).days + 1 > MAX_RANGE_DAYS:
            return failure(ValidationFailedError("invalid_range"))

        orders = self._orders_between(start, end)
        sales = [order for order in orders if order.status in SALE_STATUSES]
        by_status = dict.fromkeys(REPORTED_STATUSES, 0)
        for order in orders:
            if order.status in by_status:
                by_status[order.status] += 1

        return success(
            SalesReport(
                date_from=start,
                date_to=end,
                orders=len(sales),
                revenue=sum((_line_revenue(i) for o in sales for i in o.items), ZERO),
                by_day=self._by_day(sales),
                by_status=by_status,
                top_products=self._top_products(sales),
            )
        )

    def _orders_between(self, start: date, end: date) -> list[Order]:
        """Orders created from `start` 00:00 up to, not including, the day after `end`."""
        since = datetime.combine(start, time.min)
        until = datetime.combine(end + timedelta(days=1), time.min)
        statement = (
            select(Order)
            .where(Order.created_at >= since, Order.created_at < until)
            .options(selectinload(Order.items).selectinload(OrderItem.product))
            .order_by(Order.created_at, Order.id)
        )
        return list(self.db.scalars(statement))

    def _by_day(self, sales: list[Order]) -> list[DaySales]:
        orders: dict[date, int] = defaultdict(int)
        revenue: dict[date, Decimal] = defaultdict(lambda: ZERO)
        for order in sales:
            day = order.created_at.date()
            orders[day] += 1
            revenue[day] += sum((_line_revenue(item) for item in order.items), ZERO)
        return [DaySales(day, orders[day], revenue[day]) for day in sorted(orders)]

    def _top_products(self, sales: list[Order]) -> list[ProductSales]:
        units: dict[int, int] = defaultdict(int)
        revenue: dict[int, Decimal] = defaultdict(lambda: ZERO)
        skus: dict[int, str] = {}
        for item in (item for order in sales for item in order.items):
            units[item.product_id] += item.quantity
            revenue[item.product_id] += _line_revenue(item)
            if item.product_id not in skus:
                product = self.products.get(item.product_id)
                skus[item.product_id] = product.sku if product is not None else ""
        ranked = sorted(units, key=lambda pid: (-units[pid], -revenue[pid], pid))
        return [
            ProductSales(pid, skus[pid], units[pid], revenue[pid])
            for pid in ranked[:TOP_PRODUCTS_LIMIT]
        ]
