from typing import Literal

from pydantic import BaseModel


class PaymentEventData(BaseModel):
    payment_id: int


class PaymentEvent(BaseModel):
    id: str
    type: str
    data: PaymentEventData


class PaymentEventAck(BaseModel):
    status: Literal["processed", "duplicate", "ignored"]
