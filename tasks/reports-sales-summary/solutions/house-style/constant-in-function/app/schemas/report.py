from datetime import date
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field, field_serializer

from app.schemas.order import format_money


class DaySalesOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    day: date
    orders: int
    revenue: Decimal

    @field_serializer("revenue")
    def _serialize_revenue(self, value: Decimal) -> str:
        return format_money(value)


class ProductSalesOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    product_id: int
    sku: str
    units: int
    revenue: Decimal

    @field_serializer("revenue")
    def _serialize_revenue(self, value: Decimal) -> str:
        return format_money(value)


class SalesReportOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    date_from: date = Field(serialization_alias="from")
    date_to: date = Field(serialization_alias="to")
    orders: int
    revenue: Decimal
    by_day: list[DaySalesOut]
    by_status: dict[str, int]
    top_products: list[ProductSalesOut]

    @field_serializer("revenue")
    def _serialize_revenue(self, value: Decimal) -> str:
        return format_money(value)
