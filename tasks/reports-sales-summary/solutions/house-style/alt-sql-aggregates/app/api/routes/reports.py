from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from sqlalchemy.orm import Session

from app.api.deps import get_current_user, get_db
from app.api.errors import unwrap
from app.schemas.order import format_money
from app.services.sales_report_service import SalesReportService, SalesSummary

router = APIRouter(prefix="/reports", tags=["reports"], dependencies=[Depends(get_current_user)])


def _as_json(summary: SalesSummary) -> dict[str, Any]:
    return {
        "from": summary.days.first.isoformat(),
        "to": summary.days.last.isoformat(),
        "orders": summary.orders,
        "revenue": format_money(summary.revenue),
        "by_day": [
            {"day": day, "orders": orders, "revenue": format_money(revenue)}
            for day, orders, revenue in summary.per_day
        ],
        "by_status": summary.per_status,
        "top_products": [
            {"product_id": pid, "sku": sku, "units": units, "revenue": format_money(revenue)}
            for pid, sku, units, revenue in summary.best_sellers
        ],
    }


@router.get("/sales")
def sales(
    first: Annotated[date, Query(alias="from")],
    last: Annotated[date, Query(alias="to")],
    db: Annotated[Session, Depends(get_db)],
) -> dict[str, Any]:
    summary = unwrap(SalesReportService(db).summary(first.isoformat(), last.isoformat()))
    return _as_json(summary)
