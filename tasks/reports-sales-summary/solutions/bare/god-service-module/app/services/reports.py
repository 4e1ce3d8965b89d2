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


def money(value: Any) -> str:
    return str(Decimal(str(value or 0)).quantize(Decimal("0.01")))


def parse_report_dates(date_from: str, date_to: str) -> tuple[date, date] | None:
    try:
        return date.fromisoformat(date_from), date.fromisoformat(date_to)
    except ValueError:
        return None


def is_valid_range(start: date, end: date) -> bool:
    return start <= end and (end - start).days + 1 <= MAX_RANGE_DAYS


def report_window(start: date, end: date) -> tuple[datetime, datetime]:
    return datetime.combine(start, time.min), datetime.combine(end + timedelta(days=1), time.min)


def count_sales(db: Session, since: datetime, until: datetime) -> int:
    return db.scalar(
        select(func.count(Order.id)).where(
            Order.status.in_(SALE_STATUSES), Order.created_at >= since, Order.created_at < until
        )
    )


def total_revenue(db: Session, since: datetime, until: datetime) -> str:
    return money(
        db.scalar(
            select(func.sum(LINE_TOTAL))
            .join(Order, Order.id == OrderItem.order_id)
            .where(
                Order.status.in_(SALE_STATUSES),
                Order.created_at >= since,
                Order.created_at < until,
            )
        )
    )


def sales_by_day(db: Session, since: datetime, until: datetime) -> list[dict[str, Any]]:
    day = func.date(Order.created_at)
    rows = db.execute(
        select(day, func.count(func.distinct(Order.id)), func.sum(LINE_TOTAL))
        .join(OrderItem, OrderItem.order_id == Order.id)
        .where(Order.status.in_(SALE_STATUSES), Order.created_at >= since, Order.created_at < until)
        .group_by(day)
        .order_by(day)
    )
    return [{"day": str(d), "orders": n, "revenue": money(r)} for d, n, r in rows]


def orders_by_status(db: Session, since: datetime, until: datetime) -> dict[str, int]:
    rows = db.execute(
        select(Order.status, func.count(Order.id))
        .where(Order.created_at >= since, Order.created_at < until)
        .group_by(Order.status)
    )
    counts = dict.fromkeys(ALL_STATUSES, 0)
    for status, n in rows:
        if status in counts:
            counts[status] = n
    return counts


def top_products(db: Session, since: datetime, until: datetime) -> list[dict[str, Any]]:
    units = func.sum(OrderItem.quantity)
    revenue = func.sum(LINE_TOTAL)
    rows = db.execute(
        select(Product.id, Product.sku, units, revenue)
        .join(OrderItem, OrderItem.product_id == Product.id)
        .join(Order, Order.id == OrderItem.order_id)
        .where(Order.status.in_(SALE_STATUSES), Order.created_at >= since, Order.created_at < until)
        .group_by(Product.id, Product.sku)
        .order_by(units.desc(), revenue.desc(), Product.id)
        .limit(TOP_PRODUCTS_LIMIT)
    )
    return [
        {"product_id": pid, "sku": sku, "units": int(u), "revenue": money(r)}
        for pid, sku, u, r in rows
    ]


def build_sales_report(db: Session, start: date, end: date) -> dict[str, Any]:
    since, until = report_window(start, end)
    return {
        "from": start.isoformat(),
        "to": end.isoformat(),
        "orders": count_sales(db, since, until),
        "revenue": total_revenue(db, since, until),
        "by_day": sales_by_day(db, since, until),
        "by_status": orders_by_status(db, since, until),
        "top_products": top_products(db, since, until),
    }
