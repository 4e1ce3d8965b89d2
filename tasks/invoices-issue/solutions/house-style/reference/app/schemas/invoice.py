from datetime import datetime
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, field_serializer

from app.schemas.order import format_money


class InvoiceOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    order_id: int
    number: str
    year: int
    sequence: int
    net: Decimal
    vat: Decimal
    gross: Decimal
    issued_at: datetime

    @field_serializer("net", "vat", "gross")
    def _serialize_money(self, value: Decimal) -> str:
        return format_money(value)
