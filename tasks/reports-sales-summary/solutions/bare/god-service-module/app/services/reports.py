"""Back-office reports: sales over a range of days."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

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
LINE_TOTAL = OrderItem.quantity * OrderItem.unit_price


def to_cents(value: Any) -> Decimal:
    return Decimal(str(value or 0)).quantize(Decimal("0.01"))


def money(value: Any) -> str:
    return str(to_cents(value))


def parse_iso_date(text: str) -> date:
    return date.fromisoformat(text)


def parse_report_dates(date_from: str, date_to: str) -> tuple[date, date] | None:
    try:
        return parse_iso_date(date_from), parse_iso_date(date_to)
    except ValueError:
        return None


def range_days(start: date, end: date) -> int:
    """Days in the range, both ends included."""
    return (end - start).days + 1


def is_ordered_range(start: date, end: date) -> bool:
    return start <= end


def is_valid_range(start: date, end: date) -> bool:
    return is_ordered_range(start, end) and range_days(start, end) <= MAX_RANGE_DAYS


def day_start(day: date) -> datetime:
    return datetime.combine(day, time.min)


def report_window(start: date, end: date) -> tuple[datetime, datetime]:
    return day_start(start), day_start(end + timedelta(days=1))


def created_between(since: datetime, until: datetime) -> list[Any]:
    """The conditions of an order created in the window."""
    return [Order.created_at >= since, Order.created_at < until]


def sale_conditions(since: datetime, until: datetime) -> list[Any]:
    """The conditions of a sale: a paid or shipped order created in the window."""
    return [Order.status.in_(SALE_STATUSES), *created_between(since, until)]


def count_sales(db: Session, since: datetime, until: datetime) -> int:
    return db.scalar(select(func.count(Order.id)).where(*sale_conditions(since, until)))


def total_revenue(db: Session, since: datetime, until: datetime) -> str:
    return money(
        db.scalar(
            select(func.sum(LINE_TOTAL))
            .join(Order, Order.id == OrderItem.order_id)
            .where(*sale_conditions(since, until))
        )
    )


def day_row(day: Any, orders: int, revenue: Any) -> dict[str, Any]:
    return {"day": str(day), "orders": orders, "revenue": money(revenue)}


def sales_by_day(db: Session, since: datetime, until: datetime) -> list[dict[str, Any]]:
    day = func.date(Order.created_at)
    rows = db.execute(
        select(day, func.count(func.distinct(Order.id)), func.sum(LINE_TOTAL))
        .join(OrderItem, OrderItem.order_id == Order.id)
        .where(*sale_conditions(since, until))
        .group_by(day)
        .order_by(day)
    )
    return [day_row(d, n, r) for d, n, r in rows]


def empty_status_counts() -> dict[str, int]:
    return dict.fromkeys(ALL_STATUSES, 0)


def orders_by_status(db: Session, since: datetime, until: datetime) -> dict[str, int]:
    rows = db.execute(
        select(Order.status, func.count(Order.id))
        .where(*created_between(since, until))
        .group_by(Order.status)
    )
    counts = empty_status_counts()
    for status, n in rows:
        if status in counts:
            counts[status] = n
    return counts


def product_row(product_id: int, sku: str, units: Any, revenue: Any) -> dict[str, Any]:
    return {"product_id": product_id, "sku": sku, "units": int(units), "revenue": money(revenue)}


def top_products(db: Session, since: datetime, until: datetime) -> list[dict[str, Any]]:
    units = func.sum(OrderItem.quantity)
    revenue = func.sum(LINE_TOTAL)
    rows = db.execute(
        select(Product.id, Product.sku, units, revenue)
        .join(OrderItem, OrderItem.product_id == Product.id)
        .join(Order, Order.id == OrderItem.order_id)
        .where(*sale_conditions(since, until))
        .group_by(Product.id, Product.sku)
        .order_by(units.desc(), revenue.desc(), Product.id)
        .limit(TOP_PRODUCTS_LIMIT)
    )
    return [product_row(pid, sku, u, r) for pid, sku, u, r in rows]


def report_header(start: date, end: date) -> dict[str, Any]:
    return {"from": start.isoformat(), "to": end.isoformat()}


def build_sales_report(db: Session, start: date, end: date) -> dict[str, Any]:
    since, until = report_window(start, end)
    return {
        **report_header(start, end),
        "orders": count_sales(db, since, until),
        "revenue": total_revenue(db, since, until),
        "by_day": sales_by_day(db, since, until),
        "by_status": orders_by_status(db, since, until),
        "top_products": top_products(db, since, until),
    }
