from decimal import Decimal

from pydantic import BaseModel, ConfigDict, field_serializer

from app.schemas.order import format_money


class ProductOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    sku: str
    name: str
    price: Decimal
    stock: int

    @field_serializer("price")
    def _serialize_price(self, value: Decimal) -> str:
        return format_money(value)
