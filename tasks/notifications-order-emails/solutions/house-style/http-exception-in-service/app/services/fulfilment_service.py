"""Order fulfilment: the paid and shipped transitions, each followed by a customer email."""

import logging

from fastapi import HTTPException
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
PAID_BODY = "Hello,\n\nwe received your payment of {total} for order #{order_id}.\n"
SHIPPED_SUBJECT = "Your order #{order_id} has shipped"
SHIPPED_BODY = "Hello,\n\nyour order #{order_id} is on its way. Tracking number: {tracking_number}.\n"


class FulfilmentService:
    def __init__(self, db: Session, email_sender: EmailSender) -> None:
        self.db = db
        self.email_sender = email_sender

    async def mark_paid(self, order_id: int) -> Order:
        order = self._transition(order_id, ORDER_STATUS_PENDING, ORDER_STATUS_PAID)
        await self._notify(
            order,
            PAID_SUBJECT.format(order_id=order.id),
            PAID_BODY.format(order_id=order.id, total=format_money(order.total)),
        )
        return order

    async def mark_shipped(self, order_id: int, tracking_number: str) -> Order:
        if not tracking_number.strip():
            raise HTTPException(status_code=422, detail="validation_failed")
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
            raise HTTPException(status_code=404, detail="not_found")
        if order.status != from_status:
            raise HTTPException(status_code=409, detail="conflict")
        order.status = to_status
        self.db.commit()
        return order

    async def _notify(self, order: Order, subject: str, body: str) -> None:
        try:
            await self.email_sender.send(order.user.email, subject, body)
        except EmailDeliveryError:
            logger.warning("could not email %r for order %s", subject, order.id, exc_info=True)
