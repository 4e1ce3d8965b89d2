from collections import defaultdict
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Query
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.api.deps import get_current_user, get_db
from app.models.order import Order, OrderItem
from app.models.user import User
from app.schemas.order import format_money

router = APIRouter(prefix="/reports", tags=["reports"])

MAX_RANGE_DAYS = 366
TOP_PRODUCTS = 5
STATUSES = ("pending", "paid", "shipped", "cancelled")
SOLD = ("paid", "shipped")


@router.get("/sales")
def sales_report(
    date_from: date = Query(alias="from"),
    date_to: date = Query(alias="to"),
    _: User = Depends(get_current_user),
    db: Session = Depends(get_db),
) -> dict[str, Any]:
    if date_from > date_to or (date_to - date_from).days + 1 > MAX_RANGE_DAYS:
        raise HTTPException(status_code=422, detail="invalid_range")

    orders = db.scalars(
        select(Order)
        .where(
            Order.created_at >= datetime.combine(date_from, time.min),
            Order.created_at < datetime.combine(date_to + timedelta(days=1), time.min),
        )
        .options(selectinload(Order.items).selectinload(OrderItem.product))
    ).all()

    by_status = dict.fromkeys(STATUSES, 0)
    days: dict[date, list[Any]] = defaultdict(lambda: [0, Decimal("0")])
    products: dict[int, list[Any]] = {}
    for order in orders:
        if order.status in by_status:
            by_status[order.status] += 1
        if order.status not in SOLD:
            continue
        day = days[order.created_at.date()]
        day[0] += 1
        for item in order.items:
            amount = item.quantity * item.unit_price
            day[1] += amount
            entry = products.setdefault(item.product_id, [item.product.sku, 0, Decimal("0")])
            entry[1] += item.quantity
            entry[2] += amount

    ranked = sorted(products.items(), key=lambda kv: (-kv[1][1], -kv[1][2], kv[0]))
    return {
        "from": date_from.isoformat(),
        "to": date_to.isoformat(),
        "orders": sum(count for count, _ in days.values()),
        "revenue": format_money(sum((revenue for _, revenue in days.values()), Decimal("0"))),
        "by_day": [
            {"day": day.isoformat(), "orders": count, "revenue": format_money(revenue)}
            for day, (count, revenue) in sorted(days.items())
        ],
        "by_status": by_status,
        "top_products": [
            {"product_id": pid, "sku": sku, "units": units, "revenue": format_money(revenue)}
            for pid, (sku, units, revenue) in ranked[:TOP_PRODUCTS]
        ],
    }
