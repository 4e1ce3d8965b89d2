"""Sales report over a range of order dates for the back office."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, Dict, List

from fastapi import HTTPException, status
from sqlalchemy import DateTime, bindparam, text
from sqlalchemy.orm import Session

MAX_RANGE_DAYS = 366
TOP_PRODUCTS_LIMIT = 5
STATUSES = ("pending", "paid", "shipped", "cancelled")


def _money(value: Any) -> str:
    return str(Decimal(str(value or 0)).quantize(Decimal("0.01")))


class SalesReportService:
    def __init__(self, db: Session) -> None:
        self.db = db

    def summary(self, date_from: str, date_to: str) -> Dict[str, Any]:
        try:
            start = date.fromisoformat(date_from)
            end = date.fromisoformat(date_to)
        except ValueError:
            raise HTTPException(
                status_code=status.HTTP_422_UNPROCESSABLE_ENTITY, detail="invalid_range"
            ) from None
        if start > end or (end - start).days + 1 > MAX_RANGE_DAYS:
            raise HTTPException(
                status_code=status.HTTP_422_UNPROCESSABLE_ENTITY, detail="invalid_range"
            )

        params = {
            "since": datetime.combine(start, time.min),
            "until": datetime.combine(end + timedelta(days=1), time.min),
        }
        by_day = self._by_day(params)
        return {
            "from": start.isoformat(),
            "to": end.isoformat(),
            "orders": sum(day["orders"] for day in by_day),
            "revenue": _money(sum(Decimal(day["revenue"]) for day in by_day)),
            "by_day": by_day,
            "by_status": self._by_status(params),
            "top_products": self._top_products(params),
        }

    def _by_day(self, params: Dict[str, Any]) -> List[Dict[str, Any]]:
        sql = """
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
        return [
            {"day": str(row["day"]), "orders": row["orders"], "revenue": _money(row["revenue"])}
            for row in self.db.execute(
                text(sql).bindparams(
                    bindparam("since", type_=DateTime()), bindparam("until", type_=DateTime())
                ),
                params,
            ).mappings()
        ]

    def _by_status(self, params: Dict[str, Any]) -> Dict[str, int]:
        sql = """
            SELECT o.status, COUNT(*) AS orders
            FROM orders o
            WHERE o.created_at >= :since AND o.created_at < :until
            GROUP BY o.status
        """
        counts = {name: 0 for name in STATUSES}
        for row in self.db.execute(
            text(sql).bindparams(
                bindparam("since", type_=DateTime()), bindparam("until", type_=DateTime())
            ),
            params,
        ).mappings():
            if row["status"] in counts:
                counts[row["status"]] = row["orders"]
        return counts

    def _top_products(self, params: Dict[str, Any]) -> List[Dict[str, Any]]:
        sql = """
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
        rows = self.db.execute(
            text(sql).bindparams(
                bindparam("since", type_=DateTime()), bindparam("until", type_=DateTime())
            ),
            {**params, "limit": TOP_PRODUCTS_LIMIT},
        ).mappings()
        return [
            {
                "product_id": row["id"],
                "sku": row["sku"],
                "units": int(row["units"]),
                "revenue": _money(row["revenue"]),
            }
            for row in rows
        ]
