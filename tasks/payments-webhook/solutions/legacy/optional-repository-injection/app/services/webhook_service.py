"""Payment provider webhooks: apply each delivered event to its payment exactly once."""

from typing import Optional

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.core.result import Result, failure, success
from app.domain.exceptions import NotFoundError
from app.models.order import ORDER_STATUS_PAID
from app.models.payment import (
    PAYMENT_STATUS_FAILED,
    PAYMENT_STATUS_SUCCEEDED,
    WebhookEvent,
)
from app.repositories.payment_repository import PaymentRepository

EVENT_PAYMENT_SUCCEEDED = "payment.succeeded"
EVENT_PAYMENT_FAILED = "payment.failed"
PAYMENT_STATUS_BY_EVENT = {
    EVENT_PAYMENT_SUCCEEDED: PAYMENT_STATUS_SUCCEEDED,
    EVENT_PAYMENT_FAILED: PAYMENT_STATUS_FAILED,
}

STATUS_PROCESSED = "processed"
STATUS_DUPLICATE = "duplicate"
STATUS_IGNORED = "ignored"


class WebhookService:
    def __init__(self, db: Session, payments: Optional[PaymentRepository] = None) -> None:
        self.db = db
        self.payments = payments or PaymentRepository(db)

    def handle(
        self, event_id: str, event_type: str, payment_id: int
    ) -> Result[str, NotFoundError]:
        """Apply one event: "processed", "duplicate" (seen before) or "ignored" (unknown type)."""
        if self.payments.get_webhook_event(event_id) is not None:
            return success(STATUS_DUPLICATE)
        payment_status = PAYMENT_STATUS_BY_EVENT.get(event_type)
        if payment_status is None:
            return success(STATUS_IGNORED)
        payment = self.payments.get(payment_id)
        if payment is None:
            return failure(NotFoundError(f"payment {payment_id} not found"))

        payment.status = payment_status
        if payment_status == PAYMENT_STATUS_SUCCEEDED:
            payment.order.status = ORDER_STATUS_PAID
        try:
            self.payments.add_webhook_event(WebhookEvent(event_id=event_id, type=event_type))
            self.db.commit()
        except IntegrityError:
            # A concurrent delivery of the same event was recorded first.
            self.db.rollback()
            return success(STATUS_DUPLICATE)
        return success(STATUS_PROCESSED)
