from pydantic import BaseModel


class WebhookData(BaseModel):
    payment_id: int


class WebhookEventIn(BaseModel):
    id: str
    type: str
    data: WebhookData


class WebhookAck(BaseModel):
    status: str
