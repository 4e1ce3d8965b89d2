"""Request body of POST /orders (the response is app.schemas.order.OrderOut)."""

from pydantic import BaseModel


class OrderLineRequest(BaseModel):
    product_id: int
    quantity: int


class PlaceOrderRequest(BaseModel):
    items: list[OrderLineRequest]
