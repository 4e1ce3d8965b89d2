"""Order fulfilment: the paid and shipped transitions, each followed by a customer email.

The email is a notification, not part of the transaction: it is sent after the commit, and
a sender failure is logged while the transition still succeeds.
"""

import logging

from sqlalchemy.orm import Session

from app.integrations.email import EmailDeliveryError, EmailSender
from app.models.order import (
    ORDER_STATUS_PAID,
    ORDER_STATUS_PENDING,
    ORDER_STATUS_SHIPPED,
    Order,
)
from app.schemas.order import format_money

logger = logging.getLogger(__name__)

PAID_SUBJECT = "Payment received for order #{order_id}"
PAID_BODY = (
    "Hello,\n\nwe received your payment of {total} for order #{order_id}. "
    "We will let you know when it ships.\n"
)
SHIPPED_SUBJECT = "Your order #{order_id} has shipped"
SHIPPED_BODY = (
    "Hello,\n\nyour order #{order_id} is on its way. Tracking number: {tracking_number}.\n"
)


class FulfilmentError(Exception):
    """Base class for refused transitions."""


class OrderNotFound(FulfilmentError):
    def __init__(self, order_id: int) -> None:
        super().__init__(f"order {order_id} not found")
        self.order_id = order_id


class InvalidOrderStatus(FulfilmentError):
    def __init__(self, order: Order, expected: str) -> None:
        super().__init__(f"order {order.id} is {order.status}, expected {expected}")
        self.order_id = order.id
        self.status = order.status


class InvalidTrackingNumber(FulfilmentError):
    pass


class FulfilmentService:
    def __init__(self, db: Session, email_sender: EmailSender) -> None:
        self.db = db
        self.email_sender = email_sender

    async def mark_paid(self, order_id: int) -> Order:
        """pending -> paid, then a payment confirmation to the customer.

        Raises OrderNotFound or InvalidOrderStatus.
        """
        order = self._transition(order_id, ORDER_STATUS_PENDING, ORDER_STATUS_PAID)
        await self._notify(
            order,
            PAID_SUBJECT.format(order_id=order.id),
            PAID_BODY.format(order_id=order.id, total=format_money(order.total)),
        )
        return order

    async def mark_shipped(self, order_id: int, tracking_number: str) -> Order:
        """paid -> shipped, then a shipping notice with the tracking number.

        Raises InvalidTrackingNumber, OrderNotFound or InvalidOrderStatus.
        """
        if not tracking_number.strip():
            raise InvalidTrackingNumber("tracking_number is required")
        order = self._transition(order_id, ORDER_STATUS_PAID, ORDER_STATUS_SHIPPED)
        await self._notify(
            order,
            SHIPPED_SUBJECT.format(order_id=order.id),
            SHIPPED_BODY.format(order_id=order.id, tracking_number=tracking_number.strip()),
        )
        return order

    def _transition(self, order_id: int, from_status: str, to_status: str) -> Order:
        order = self.db.get(Order, order_id)
        if order is None:
            raise OrderNotFound(order_id)
        if order.status != from_status:
            raise InvalidOrderStatus(order, from_status)
        order.status = to_status
        self.db.commit()
        return order

    async def _notify(self, order: Order, subject: str, body: str) -> None:
        """Send, but never fail the (already committed) transition because of the email."""
        try:
            await self.email_sender.send(order.user.email, subject, body)
        except EmailDeliveryError:
            logger.warning("could not email %r for order %s", subject, order.id, exc_info=True)
