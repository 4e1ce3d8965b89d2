from datetime import datetime
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, PlainSerializer

from app.schemas.order import format_money

Money = Annotated[Decimal, PlainSerializer(format_money, return_type=str)]


class InvoiceRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    order_id: int
    number: str
    year: int
    sequence: int
    net: Money
    vat: Money
    gross: Money
    issued_at: datetime
