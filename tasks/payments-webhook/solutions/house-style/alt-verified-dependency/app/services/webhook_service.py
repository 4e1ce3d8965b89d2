from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.result import Result, failure, success
from app.domain.exceptions import NotFoundError
from app.models.order import ORDER_STATUS_PAID, Order
from app.models.payment import (
    PAYMENT_STATUS_FAILED,
    PAYMENT_STATUS_SUCCEEDED,
    Payment,
    WebhookEvent,
)

PAYMENT_SUCCEEDED = "payment.succeeded"
PAYMENT_FAILED = "payment.failed"
HANDLED_TYPES = frozenset({PAYMENT_SUCCEEDED, PAYMENT_FAILED})


class WebhookService:
    def __init__(self, db: Session) -> None:
        self.db = db

    def handle(self, event_id: str, event_type: str, payment_id: int) -> Result[str, NotFoundError]:
        seen = self.db.scalars(select(WebhookEvent).where(WebhookEvent.event_id == event_id)).first()
        if seen is not None:
            return success("duplicate")
        if event_type not in HANDLED_TYPES:
            return success("ignored")
        payment = self.db.scalars(select(Payment).where(Payment.id == payment_id)).first()
        if payment is None:
            return failure(NotFoundError("payment not found"))
        if event_type == PAYMENT_SUCCEEDED:
            payment.status = PAYMENT_STATUS_SUCCEEDED
            order = self.db.get(Order, payment.order_id)
            order.status = ORDER_STATUS_PAID
        else:
            payment.status = PAYMENT_STATUS_FAILED
        self.db.add(WebhookEvent(event_id=event_id, type=event_type))
        self.db.flush()
        return success("processed")
