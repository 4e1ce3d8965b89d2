from decimal import Decimal

from pydantic import BaseModel, ConfigDict, field_serializer

from app.schemas.order import format_money


class ShippingQuoteOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    order_id: int
    country: str
    carrier: str
    amount: Decimal
    currency: str
    days: int

    @field_serializer("amount")
    def _serialize_amount(self, value: Decimal) -> str:
        return format_money(value)
