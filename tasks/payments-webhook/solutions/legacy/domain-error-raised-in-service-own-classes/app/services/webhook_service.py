"""Payment provider webhooks: apply each delivered event to its payment exactly once."""

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.models.order import ORDER_STATUS_PAID
from app.models.payment import (
    PAYMENT_STATUS_FAILED,
    PAYMENT_STATUS_SUCCEEDED,
    Payment,
    WebhookEvent,
)

EVENT_PAYMENT_SUCCEEDED = "payment.succeeded"
EVENT_PAYMENT_FAILED = "payment.failed"
PAYMENT_STATUS_BY_EVENT = {
    EVENT_PAYMENT_SUCCEEDED: PAYMENT_STATUS_SUCCEEDED,
    EVENT_PAYMENT_FAILED: PAYMENT_STATUS_FAILED,
}

STATUS_PROCESSED = "processed"
STATUS_DUPLICATE = "duplicate"
STATUS_IGNORED = "ignored"


class PaymentNotFound(Exception):
    """The event names a payment we do not have."""

    def __init__(self, payment_id: int) -> None:
        super().__init__(f"payment {payment_id} not found")
        self.payment_id = payment_id


class WebhookService:
    def __init__(self, db: Session) -> None:
        self.db = db

    def handle(self, event_id: str, event_type: str, payment_id: int) -> str:
        """Apply one event and return "processed", "duplicate" or "ignored".

        Raises PaymentNotFound for an unknown payment id.
        """
        seen = self.db.scalar(select(WebhookEvent.id).where(WebhookEvent.event_id == event_id))
        if seen is not None:
            return STATUS_DUPLICATE
        payment_status = PAYMENT_STATUS_BY_EVENT.get(event_type)
        if payment_status is None:
            return STATUS_IGNORED
        payment = self.db.get(Payment, payment_id)
        if payment is None:
            raise PaymentNotFound(payment_id)

        payment.status = payment_status
        if payment_status == PAYMENT_STATUS_SUCCEEDED:
            payment.order.status = ORDER_STATUS_PAID
        self.db.add(WebhookEvent(event_id=event_id, type=event_type))
        try:
            self.db.commit()
        except IntegrityError:
            self.db.rollback()
            return STATUS_DUPLICATE
        return STATUS_PROCESSED
