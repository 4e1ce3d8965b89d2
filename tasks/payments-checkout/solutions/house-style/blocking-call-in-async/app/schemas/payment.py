from decimal import Decimal

from pydantic import BaseModel, ConfigDict, field_serializer

from app.schemas.order import format_money


class PaymentOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    order_id: int
    amount: Decimal
    status: str
    provider_reference: str | None

    @field_serializer("amount")
    def _serialize_amount(self, value: Decimal) -> str:
        return format_money(value)
