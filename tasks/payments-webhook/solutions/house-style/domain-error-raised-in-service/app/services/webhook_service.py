"""Payment provider webhooks: apply each delivered event to its payment exactly once."""

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.core.result import Result, success
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
STATUS_DUPLICATE = "duplicate"
STATUS_IGNORED = "ignored"


class WebhookService:
    def __init__(self, db: Session) -> None:
        self.db = db

    def handle(
        self, event_id: str, event_type: str, payment_id: int
    ) -> Result[str, NotFoundError]:
        """Apply one event: "processed", "duplicate" (seen before) or "ignored" (unknown type)."""
        if self._already_handled(event_id):
            return success(STATUS_DUPLICATE)
        payment_status = PAYMENT_STATUS_BY_EVENT.get(event_type)
        if payment_status is None:
            return success(STATUS_IGNORED)
        payment = self.db.get(Payment, payment_id)
        if payment is None:
            raise NotFoundError(f"payment {payment_id} not found")

        payment.status = payment_status
        if payment_status == PAYMENT_STATUS_SUCCEEDED:
            payment.order.status = ORDER_STATUS_PAID
        self.db.add(WebhookEvent(event_id=event_id, type=event_type))
        try:
            self.db.commit()
        except IntegrityError:
            # A concurrent delivery of the same event was recorded first.
            self.db.rollback()
            return success(STATUS_DUPLICATE)
        return success(STATUS_PROCESSED)

    def _already_handled(self, event_id: str) -> bool:
        query = select(WebhookEvent.id).where(WebhookEvent.event_id == event_id)
        return self.db.scalar(query) is not None
