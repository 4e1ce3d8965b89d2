from pydantic import BaseModel

from app.schemas.order import OrderOut


class OrderHistoryOut(BaseModel):
    items: list[OrderOut]
    page: int
    size: int
    total: int
    pages: int
