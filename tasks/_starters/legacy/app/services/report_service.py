"""Stock and sales figures for the back office."""

from datetime import datetime
from decimal import Decimal
from typing import Any, Dict, List, Optional

from sqlalchemy import DateTime, bindparam, text
from sqlalchemy.orm import Session


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
