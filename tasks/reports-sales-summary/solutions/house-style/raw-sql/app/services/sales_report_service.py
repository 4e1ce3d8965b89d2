"""Sales figures over a range of order days, for the back office."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import DateTime, TextClause, bindparam, text
from sqlalchemy.orm import Session

from app.core.result import Result, failure, success
from app.domain.exceptions import ValidationFailedError

MAX_RANGE_DAYS = 366
TOP_PRODUCTS_LIMIT = 5
REPORTED_STATUSES = ("pending", "paid", "shipped", "cancelled")
CENT = Decimal("0.01")

SALES_BY_DAY_SQL = """
    SELECT date(o.created_at) AS day,
           COUNT(DISTINCT o.id) AS orders,
           COALESCE(SUM(oi.quantity * oi.unit_price), 0) AS revenue
    FROM orders o
    JOIN order_items oi ON oi.order_id = o.id
    WHERE o.status IN ('paid', 'shipped')
      AND o.created_at >= :since AND o.created_at < :until
    GROUP BY date(o.created_at)
    ORDER BY day
"""

ORDERS_BY_STATUS_SQL = """
    SELECT o.status, COUNT(*) AS orders
    FROM orders o
    WHERE o.created_at >= :since AND o.created_at < :until
    GROUP BY o.status
"""

TOP_PRODUCTS_SQL = """
    SELECT p.id AS product_id, p.sku,
           SUM(oi.quantity) AS units,
           SUM(oi.quantity * oi.unit_price) AS revenue
    FROM order_items oi
    JOIN orders o ON o.id = oi.order_id
    JOIN products p ON p.id = oi.product_id
    WHERE o.status IN ('paid', 'shipped')
      AND o.created_at >= :since AND o.created_at < :until
    GROUP BY p.id, p.sku
    ORDER BY units DESC, revenue DESC, p.id ASC
    LIMIT :limit
"""


def _money(value: Any) -> Decimal:
    return Decimal(str(value or 0)).quantize(CENT)


def _window(statement: TextClause) -> TextClause:
    return statement.bindparams(
        bindparam("since", type_=DateTime()), bindparam("until", type_=DateTime())
    )


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


class SalesReportService:
    def __init__(self, db: Session) -> None:
        self.db = db

    def summary(self, date_from: str, date_to: str) -> Result[SalesReport, ValidationFailedError]:
        try:
            start, end = date.fromisoformat(date_from), date.fromisoformat(date_to)
        except ValueError:
            return failure(ValidationFailedError("invalid_date"))
        if start > end or (end - start).days + 1 > MAX_RANGE_DAYS:
            return failure(ValidationFailedError("invalid_range"))

        params = {
            "since": datetime.combine(start, time.min),
            "until": datetime.combine(end + timedelta(days=1), time.min),
        }
        by_day = [
            DaySales(date.fromisoformat(str(row.day)), row.orders, _money(row.revenue))
            for row in self.db.execute(_window(text(SALES_BY_DAY_SQL)), params)
        ]
        by_status = dict.fromkeys(REPORTED_STATUSES, 0)
        for row in self.db.execute(_window(text(ORDERS_BY_STATUS_SQL)), params):
            if row.status in by_status:
                by_status[row.status] = row.orders
        top_products = [
            ProductSales(row.product_id, row.sku, int(row.units), _money(row.revenue))
            for row in self.db.execute(
                _window(text(TOP_PRODUCTS_SQL)), {**params, "limit": TOP_PRODUCTS_LIMIT}
            )
        ]
        return success(
            SalesReport(
                date_from=start,
                date_to=end,
                orders=sum(day.orders for day in by_day),
                revenue=sum((day.revenue for day in by_day), Decimal("0.00")),
                by_day=by_day,
                by_status=by_status,
                top_products=top_products,
            )
        )
