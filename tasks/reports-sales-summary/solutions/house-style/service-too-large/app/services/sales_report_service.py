"""Back-office sales report: totals, sales per day, orders per status, best sellers."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import Row, func, select
from sqlalchemy.orm import Session

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
from app.models.product import Product

MAX_RANGE_DAYS = 366
TOP_PRODUCTS_LIMIT = 5
SALE_STATUSES = (ORDER_STATUS_PAID, ORDER_STATUS_SHIPPED)
ALL_STATUSES = (
    ORDER_STATUS_PENDING,
    ORDER_STATUS_PAID,
    ORDER_STATUS_SHIPPED,
    ORDER_STATUS_CANCELLED,
)
CENT = Decimal("0.01")


@dataclass(frozen=True)
class ReportWindow:
    """The calendar days asked for, and the datetimes they span: [since, until)."""

    start: date
    end: date
    since: datetime
    until: datetime


class SalesReportService:
    """Every figure of the back-office sales report, computed over one range of days.

    The report is made of five parts: the range itself, the totals of the sales (paid and
    shipped orders), the sales per calendar day, the number of orders per status (all
    statuses) and the best-selling products. Each part has its own query below; `summary`
    validates the range, runs them and assembles the JSON-ready report.

    Money is summed from the order lines (quantity x unit_price, the price stored on the
    line) and written as strings with two decimals. Pending and cancelled orders are never
    sales: they only show up in the per-status counts.
    """

    def __init__(self, db: Session) -> None:
        self.db = db

    def summary(
        self, date_from: str, date_to: str
    ) -> Result[dict[str, Any], ValidationFailedError]:
        """The whole report for `date_from` .. `date_to` (ISO dates, both included)."""
        window = self._window(date_from, date_to)
        if window is None:
            return failure(ValidationFailedError("invalid_range"))

        orders, revenue = self._totals(window)
        report = {
            "from": window.start.isoformat(),
            "to": window.end.isoformat(),
            "orders": orders,
            "revenue": self._format_money(revenue),
            "by_day": self._sales_by_day(window),
            "by_status": self._orders_by_status(window),
            "top_products": self._top_products(window),
        }
        return success(report)

    def _window(self, date_from: str, date_to: str) -> ReportWindow | None:
        """Parse and check the range; None when it is not a valid range.

        Both ends are included, so the datetimes run from `start` at midnight up to, not
        including, midnight after `end`: 2024-03-01 .. 2024-03-31 is
        [2024-03-01 00:00, 2024-04-01 00:00).
        """
        try:
            start = date.fromisoformat(date_from)
            end = date.fromisoformat(date_to)
        except ValueError:
            return None
        if start > end:
            return None
        if (end - start).days + 1 > MAX_RANGE_DAYS:
            return None
        return ReportWindow(
            start=start,
            end=end,
            since=datetime.combine(start, time.min),
            until=datetime.combine(end + timedelta(days=1), time.min),
        )

    def _totals(self, window: ReportWindow) -> tuple[int, Decimal]:
        """Number of sales in the window and their revenue."""
        orders = self.db.scalar(
            select(func.count(Order.id)).where(
                Order.status.in_(SALE_STATUSES),
                Order.created_at >= window.since,
                Order.created_at < window.until,
            )
        )
        revenue = self.db.scalar(
            select(func.sum(OrderItem.quantity * OrderItem.unit_price))
            .join(Order, Order.id == OrderItem.order_id)
            .where(
                Order.status.in_(SALE_STATUSES),
                Order.created_at >= window.since,
                Order.created_at < window.until,
            )
        )
        return int(orders or 0), self._to_decimal(revenue)

    def _sales_by_day(self, window: ReportWindow) -> list[dict[str, Any]]:
        """One entry per day with at least one sale, oldest first."""
        day = func.date(Order.created_at)
        rows = self.db.execute(
            select(
                day.label("day"),
                func.count(func.distinct(Order.id)).label("orders"),
                func.sum(OrderItem.quantity * OrderItem.unit_price).label("revenue"),
            )
            .join(OrderItem, OrderItem.order_id == Order.id)
            .where(
                Order.status.in_(SALE_STATUSES),
                Order.created_at >= window.since,
                Order.created_at < window.until,
            )
            .group_by(day)
            .order_by(day)
        ).all()
        return [
            {
                "day": str(row.day),
                "orders": int(row.orders),
                "revenue": self._format_money(self._to_decimal(row.revenue)),
            }
            for row in rows
        ]

    def _orders_by_status(self, window: ReportWindow) -> dict[str, int]:
        """Every order of the window counted by status, 0 for a status without orders."""
        rows = self.db.execute(
            select(Order.status, func.count(Order.id))
            .where(
                Order.created_at >= window.since,
                Order.created_at < window.until,
            )
            .group_by(Order.status)
        ).all()
        counts = dict.fromkeys(ALL_STATUSES, 0)
        for status, count in rows:
            if status in counts:
                counts[status] = int(count)
        return counts

    def _top_products(self, window: ReportWindow) -> list[dict[str, Any]]:
        """Best sellers of the window: units, then revenue, then product id."""
        units = func.sum(OrderItem.quantity).label("units")
        revenue = func.sum(OrderItem.quantity * OrderItem.unit_price).label("revenue")
        rows: list[Row[Any]] = list(
            self.db.execute(
                select(Product.id, Product.sku, units, revenue)
                .join(OrderItem, OrderItem.product_id == Product.id)
                .join(Order, Order.id == OrderItem.order_id)
                .where(
                    Order.status.in_(SALE_STATUSES),
                    Order.created_at >= window.since,
                    Order.created_at < window.until,
                )
                .group_by(Product.id, Product.sku)
                .order_by(units.desc(), revenue.desc(), Product.id)
                .limit(TOP_PRODUCTS_LIMIT)
            )
        )
        return [
            {
                "product_id": row.id,
                "sku": row.sku,
                "units": int(row.units),
                "revenue": self._format_money(self._to_decimal(row.revenue)),
            }
            for row in rows
        ]

    def _to_decimal(self, value: Any) -> Decimal:
        """A SUM as the database returns it (Decimal, float or None) as exact cents."""
        if value is None:
            return Decimal("0.00")
        if isinstance(value, Decimal):
            return value.quantize(CENT, rounding=ROUND_HALF_UP)
        return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)

    def _format_money(self, value: Decimal) -> str:
        """Money as the API writes it: a string with exactly two decimals."""
        return str(value.quantize(CENT, rounding=ROUND_HALF_UP))
