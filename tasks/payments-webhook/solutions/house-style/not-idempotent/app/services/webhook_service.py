"""Payment provider webhooks: apply each delivered event to its payment."""

from sqlalchemy.orm import Session

from app.core.result import Result, failure, success
from app.domain.exceptions import NotFoundError
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
STATUS_IGNORED = "ignored"


class WebhookService:
    def __init__(self, db: Session) -> None:
        self.db = db

    def handle(
        self, event_id: str, event_type: str, payment_id: int
    ) -> Result[str, NotFoundError]:
        """Apply one event: "processed", or "ignored" for an event type we do not handle."""
        payment_status = PAYMENT_STATUS_BY_EVENT.get(event_type)
        if payment_status is None:
            return success(STATUS_IGNORED)
        payment = self.db.get(Payment, payment_id)
        if payment is None:
            return failure(NotFoundError(f"payment {payment_id} not found"))

        payment.status = payment_status
        if payment_status == PAYMENT_STATUS_SUCCEEDED:
            payment.order.status = ORDER_STATUS_PAID
        self.db.add(WebhookEvent(event_id=event_id, type=event_type))
        self.db.commit()
        return success(STATUS_PROCESSED)
