"""Stock and sales figures for the back office."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, Dict, List, Optional, Tuple

from sqlalchemy import DateTime, bindparam, text
from sqlalchemy.orm import Session

MAX_REPORT_DAYS = 366
REPORT_STATUSES = ("pending", "paid", "shipped", "cancelled")


def _money(value: Any) -> Decimal:
    return Decimal(str(value or 0)).quantize(Decimal("0.01"))


def stock_report(db: Session, low_stock_threshold: int = 5) -> List[Dict[str, Any]]:
    """Every product with its stock value, lowest stock first."""
    rows = (
        db.execute(
            text(
                """
                SELECT p.id, p.sku, p.name, p.stock, p.price
                FROM products p
                ORDER BY p.stock ASC, p.id ASC
                """
            )
        )
        .mappings()
        .all()
    )
    report = []
    for row in rows:
        price = _money(row["price"])
        report.append(
            {
                "id": row["id"],
                "sku": row["sku"],
                "name": row["name"],
                "stock": row["stock"],
                "price": price,
                "stock_value": _money(price * row["stock"]),
                "low_stock": row["stock"] <= low_stock_threshold,
            }
        )
    return report


def sales_summary(db: Session, since: Optional[datetime] = None) -> Dict[str, Any]:
    """Number of orders, units sold and revenue of paid and shipped orders."""
    sql = """
        SELECT COUNT(DISTINCT o.id) AS orders,
               COALESCE(SUM(oi.quantity), 0) AS units,
               COALESCE(SUM(oi.quantity * oi.unit_price), 0) AS revenue
        FROM orders o
        JOIN order_items oi ON oi.order_id = o.id
        WHERE o.status IN ('paid', 'shipped')
    """
    if since is not None:
        sql += " AND o.created_at >= :since"
    statement = text(sql)
    if since is not None:
        statement = statement.bindparams(bindparam("since", since, type_=DateTime()))
    row = db.execute(statement).mappings().one()
    return {
        "orders": row["orders"],
        "units": int(row["units"]),
        "revenue": _money(row["revenue"]),
    }


def top_products(db: Session, limit: int = 10) -> List[Dict[str, Any]]:
    """Best sellers by units sold in paid and shipped orders."""
    rows = (
        db.execute(
            text(
                """
                SELECT p.id, p.sku, p.name,
                       SUM(oi.quantity) AS units,
                       SUM(oi.quantity * oi.unit_price) AS revenue
                FROM order_items oi
                JOIN orders o ON o.id = oi.order_id
                JOIN products p ON p.id = oi.product_id
                WHERE o.status IN ('paid', 'shipped')
                GROUP BY p.id, p.sku, p.name
                ORDER BY units DESC, p.id ASC
                LIMIT :limit
                """
            ),
            {"limit": limit},
        )
        .mappings()
        .all()
    )
    return [
        {
            "id": row["id"],
            "sku": row["sku"],
            "name": row["name"],
            "units": int(row["units"]),
            "revenue": _money(row["revenue"]),
        }
        for row in rows
    ]


def parse_report_dates(date_from: str, date_to: str) -> Optional[Tuple[date, date]]:
    """The two ISO dates of a report request, or None when one is not a date."""
    try:
        return date.fromisoformat(date_from), date.fromisoformat(date_to)
    except ValueError:
        return None


def day_start(day: date) -> datetime:
    return datetime.combine(day, time.min)


def report_period(start: date, end: date) -> Tuple[datetime, datetime]:
    """The datetimes covered by the days `start` .. `end`: [start 00:00, day after end 00:00)."""
    return day_start(start), day_start(end + timedelta(days=1))


def range_days(start: date, end: date) -> int:
    """Days in the range, both ends included."""
    return (end - start).days + 1


def is_ordered_range(start: date, end: date) -> bool:
    return start <= end


def check_report_range(start: date, end: date) -> Optional[str]:
    """The error code for a range that cannot be reported on, or None."""
    if not is_ordered_range(start, end) or range_days(start, end) > MAX_REPORT_DAYS:
        return "invalid_range"
    return None


def period_params(since: datetime, until: datetime) -> Dict[str, Any]:
    return {"since": since, "until": until}


def bind_period(statement: Any) -> Any:
    return statement.bindparams(
        bindparam("since", type_=DateTime()), bindparam("until", type_=DateTime())
    )


def sales_totals(db: Session, since: datetime, until: datetime) -> Dict[str, Any]:
    """Number of paid and shipped orders created in [since, until) and their revenue."""
    row = (
        db.execute(
            bind_period(
                text(
                    """
                    SELECT COUNT(DISTINCT o.id) AS orders,
                           COALESCE(SUM(oi.quantity * oi.unit_price), 0) AS revenue
                    FROM orders o
                    JOIN order_items oi ON oi.order_id = o.id
                    WHERE o.status IN ('paid', 'shipped')
                      AND o.created_at >= :since AND o.created_at < :until
                    """
                )
            ),
            period_params(since, until),
        )
        .mappings()
        .one()
    )
    return totals_row(row)


def totals_row(row: Any) -> Dict[str, Any]:
    return {"orders": row["orders"], "revenue": _money(row["revenue"])}


def day_row(row: Any) -> Dict[str, Any]:
    return {"day": str(row["day"]), "orders": row["orders"], "revenue": _money(row["revenue"])}


def sales_by_day(db: Session, since: datetime, until: datetime) -> List[Dict[str, Any]]:
    """Paid and shipped orders per day of creation, days without any left out."""
    rows = (
        db.execute(
            bind_period(
                text(
                    """
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
                )
            ),
            period_params(since, until),
        )
        .mappings()
        .all()
    )
    return [day_row(row) for row in rows]


def empty_status_counts() -> Dict[str, int]:
    return {status: 0 for status in REPORT_STATUSES}


def orders_by_status(db: Session, since: datetime, until: datetime) -> Dict[str, int]:
    """Every order created in [since, until), counted per status."""
    rows = db.execute(
        bind_period(
            text(
                """
                SELECT o.status, COUNT(*) AS orders
                FROM orders o
                WHERE o.created_at >= :since AND o.created_at < :until
                GROUP BY o.status
                """
            )
        ),
        period_params(since, until),
    ).all()
    counts = empty_status_counts()
    for status, orders in rows:
        if status in counts:
            counts[status] = orders
    return counts


def top_products_between(
    db: Session, since: datetime, until: datetime, limit: int = 5
) -> List[Dict[str, Any]]:
    """Best sellers of the paid and shipped orders created in [since, until)."""
    rows = (
        db.execute(
            bind_period(
                text(
                    """
                    SELECT p.id, p.sku,
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
                )
            ),
            {**period_params(since, until), "limit": limit},
        )
        .mappings()
        .all()
    )
    return [product_row(row) for row in rows]


def product_row(row: Any) -> Dict[str, Any]:
    return {
        "product_id": row["id"],
        "sku": row["sku"],
        "units": int(row["units"]),
        "revenue": _money(row["revenue"]),
    }


def report_header(start: date, end: date) -> Dict[str, Any]:
    return {"from": start.isoformat(), "to": end.isoformat()}


def sales_report(db: Session, start: date, end: date) -> Dict[str, Any]:
    """The back-office sales report for the days `start` .. `end`."""
    since, until = report_period(start, end)
    totals = sales_totals(db, since, until)
    return {
        **report_header(start, end),
        "orders": totals["orders"],
        "revenue": totals["revenue"],
        "by_day": sales_by_day(db, since, until),
        "by_status": orders_by_status(db, since, until),
        "top_products": top_products_between(db, since, until),
    }
