"""Customer emails about orders. Best effort: a delivery failure is logged, never raised."""

import logging
from dataclasses import dataclass

from app.integrations.email import EmailDeliveryError, EmailSender
from app.models.order import Order
from app.schemas.order import format_money

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Message:
    subject: str
    body: str


def payment_received(order: Order) -> Message:
    return Message(
        subject=f"Payment received for order #{order.id}",
        body=f"Thank you! Your payment of {format_money(order.total)} EUR has been received.",
    )


def shipped(order: Order, tracking_number: str) -> Message:
    return Message(
        subject=f"Your order #{order.id} has shipped",
        body=f"Track your parcel with tracking number {tracking_number}.",
    )


class OrderMailer:
    def __init__(self, sender: EmailSender) -> None:
        self._sender = sender

    async def deliver(self, order: Order, message: Message) -> bool:
        """True if the message was handed to the provider."""
        try:
            await self._sender.send(order.user.email, message.subject, message.body)
        except EmailDeliveryError:
            log.exception("order %s: %r not delivered", order.id, message.subject)
            return False
        return True
