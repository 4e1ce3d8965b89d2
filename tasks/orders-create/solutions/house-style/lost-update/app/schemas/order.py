from decimal import ROUND_HALF_UP, Decimal

from pydantic import BaseModel, ConfigDict, field_serializer

CENT = Decimal("0.01")


def format_money(value: Decimal) -> str:
    """Decimal as a string with exactly two decimals, e.g. Decimal("12.5") -> "12.50"."""
    return str(Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP))


class OrderItemIn(BaseModel):
    product_id: int
    quantity: int


class OrderCreate(BaseModel):
    items: list[OrderItemIn]


class OrderItemOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    product_id: int
    quantity: int
    unit_price: Decimal

    @field_serializer("unit_price")
    def _serialize_unit_price(self, value: Decimal) -> str:
        return format_money(value)


class OrderOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    status: str
    total: Decimal
    items: list[OrderItemOut] = []

    @field_serializer("total")
    def _serialize_total(self, value: Decimal) -> str:
        return format_money(value)
