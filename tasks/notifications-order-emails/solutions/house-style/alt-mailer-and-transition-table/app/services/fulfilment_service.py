"""Paid / shipped transitions of an order; the customer is emailed after each commit."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.result import Failure, Result, failure, success
from app.domain.exceptions import ConflictError, NotFoundError, ValidationFailedError
from app.integrations.email import EmailSender
from app.models.order import (
    ORDER_STATUS_PAID,
    ORDER_STATUS_PENDING,
    ORDER_STATUS_SHIPPED,
    Order,
)
from app.services.order_mailer import OrderMailer, payment_received, shipped

ALLOWED_FROM = {
    ORDER_STATUS_PAID: ORDER_STATUS_PENDING,
    ORDER_STATUS_SHIPPED: ORDER_STATUS_PAID,
}


class FulfilmentService:
    def __init__(self, db: Session, email_sender: EmailSender) -> None:
        self.db = db
        self.mailer = OrderMailer(email_sender)

    async def mark_paid(self, order_id: int) -> Result[Order, NotFoundError | ConflictError]:
        moved = self._move(order_id, ORDER_STATUS_PAID)
        if isinstance(moved, Failure):
            return moved
        await self.mailer.deliver(moved.value, payment_received(moved.value))
        return moved

    async def mark_shipped(
        self, order_id: int, tracking_number: str
    ) -> Result[Order, NotFoundError | ConflictError | ValidationFailedError]:
        tracking = tracking_number.strip()
        if not tracking:
            return failure(ValidationFailedError("a tracking number is required"))
        moved = self._move(order_id, ORDER_STATUS_SHIPPED)
        if isinstance(moved, Failure):
            return moved
        await self.mailer.deliver(moved.value, shipped(moved.value, tracking))
        return moved

    def _move(self, order_id: int, target: str) -> Result[Order, NotFoundError | ConflictError]:
        order = self.db.scalar(select(Order).where(Order.id == order_id))
        if order is None:
            return failure(NotFoundError("order not found"))
        if order.status != ALLOWED_FROM[target]:
            return failure(ConflictError(f"cannot go from {order.status} to {target}"))
        order.status = target
        self.db.commit()
        self.db.refresh(order)
        return success(order)
