from pydantic import BaseModel, ConfigDict


class BulkShipIn(BaseModel):
    order_ids: list[int]


class SkippedOrderOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    reason: str


class BulkShipOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    shipped: list[int]
    skipped: list[SkippedOrderOut]
