from datetime import date
from decimal import Decimal
from typing import Any, Dict, List

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field, field_serializer
from sqlalchemy.orm import Session

from app.api.deps import get_current_user, get_db
from app.api.errors import unwrap
from app.models.user import User
from app.schemas.order import format_money
from app.services.sales_report_service import SalesReportService

router = APIRouter(prefix="/reports", tags=["reports"])


class DaySalesOut(BaseModel):
    day: str
    orders: int
    revenue: Decimal

    @field_serializer("revenue")
    def _serialize_revenue(self, value: Decimal) -> str:
        return format_money(value)


class ProductSalesOut(BaseModel):
    product_id: int
    sku: str
    units: int
    revenue: Decimal

    @field_serializer("revenue")
    def _serialize_revenue(self, value: Decimal) -> str:
        return format_money(value)


class SalesReportOut(BaseModel):
    date_from: str = Field(alias="from")
    date_to: str = Field(alias="to")
    orders: int
    revenue: Decimal
    by_day: List[DaySalesOut]
    by_status: Dict[str, int]
    top_products: List[ProductSalesOut]

    @field_serializer("revenue")
    def _serialize_revenue(self, value: Decimal) -> str:
        return format_money(value)


@router.get("/sales", response_model=SalesReportOut)
def sales_report(
    date_from: date = Query(alias="from"),
    date_to: date = Query(alias="to"),
    current_user: User = Depends(get_current_user),
    db: Session = Depends(get_db),
) -> Any:
    report = unwrap(SalesReportService(db).summary(date_from.isoformat(), date_to.isoformat()))
    return SalesReportOut.model_validate(report)
