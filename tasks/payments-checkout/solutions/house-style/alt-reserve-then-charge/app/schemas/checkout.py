from pydantic import BaseModel

from app.models.payment import Payment
from app.schemas.order import format_money


class CheckoutReceipt(BaseModel):
    id: int
    order_id: int
    amount: str
    status: str
    provider_reference: str | None

    @classmethod
    def of(cls, payment: Payment) -> "CheckoutReceipt":
        return cls(
            id=payment.id,
            order_id=payment.order_id,
            amount=format_money(payment.amount),
            status=payment.status,
            provider_reference=payment.provider_reference,
        )
