"""Order fulfilment: the paid and shipped transitions, each followed by a customer email.

The email is a notification, not part of the transaction: it is sent after the commit, and
a sender failure is logged while the transition still succeeds.
"""

import logging
import time

from sqlalchemy.orm import Session

from app.core.result import Result, Success, failure, success
from app.domain.exceptions import ConflictError, NotFoundError, ValidationFailedError
from app.integrations.email import EmailDeliveryError, EmailSender
from app.models.order import (
    ORDER_STATUS_PAID,
    ORDER_STATUS_PENDING,
    ORDER_STATUS_SHIPPED,
    Order,
)
from app.schemas.order import format_money

logger = logging.getLogger(__name__)

EMAIL_ATTEMPTS = 3
EMAIL_RETRY_SECONDS = 0.05

PAID_SUBJECT = "Payment received for order #{order_id}"
PAID_BODY = (
    "Hello,\n\nwe received your payment of {total} for order #{order_id}. "
    "We will let you know when it ships.\n"
)
SHIPPED_SUBJECT = "Your order #{order_id} has shipped"
SHIPPED_BODY = (
    "Hello,\n\nyour order #{order_id} is on its way. Tracking number: {tracking_number}.\n"
)


class FulfilmentService:
    def __init__(self, db: Session, email_sender: EmailSender) -> None:
        self.db = db
        self.email_sender = email_sender

    async def mark_paid(self, order_id: int) -> Result[Order, NotFoundError | ConflictError]:
        """pending -> paid, then a payment confirmation to the customer."""
        result = self._transition(order_id, ORDER_STATUS_PENDING, ORDER_STATUS_PAID)
        if isinstance(result, Success):
            order = result.value
            await self._notify(
                order,
                PAID_SUBJECT.format(order_id=order.id),
                PAID_BODY.format(order_id=order.id, total=format_money(order.total)),
            )
        return result

    async def mark_shipped(
        self, order_id: int, tracking_number: str
    ) -> Result[Order, NotFoundError | ConflictError | ValidationFailedError]:
        """paid -> shipped, then a shipping notice with the tracking number."""
        if not tracking_number.strip():
            return failure(ValidationFailedError("tracking_number is required"))
        result = self._transition(order_id, ORDER_STATUS_PAID, ORDER_STATUS_SHIPPED)
        if isinstance(result, Success):
            order = result.value
            await self._notify(
                order,
                SHIPPED_SUBJECT.format(order_id=order.id),
                SHIPPED_BODY.format(order_id=order.id, tracking_number=tracking_number.strip()),
            )
        return result

    def _transition(
        self, order_id: int, from_status: str, to_status: str
    ) -> Result[Order, NotFoundError | ConflictError]:
        order = self.db.get(Order, order_id)
        if order is None:
            return failure(NotFoundError(f"order {order_id} not found"))
        if order.status != from_status:
            return failure(
                ConflictError(f"order {order_id} is {order.status}, expected {from_status}")
            )
        order.status = to_status
        self.db.commit()
        return success(order)

    async def _notify(self, order: Order, subject: str, body: str) -> None:
        """Send, but never fail the (already committed) transition because of the email."""
        for attempt in range(1, EMAIL_ATTEMPTS + 1):
            try:
                await self.email_sender.send(order.user.email, subject, body)
                return
            except EmailDeliveryError:
                logger.warning("email attempt %s for order %s failed", attempt, order.id)
                if attempt < EMAIL_ATTEMPTS:
                    time.sleep(EMAIL_RETRY_SECONDS)
        logger.error("giving up on email %r for order %s", subject, order.id)
