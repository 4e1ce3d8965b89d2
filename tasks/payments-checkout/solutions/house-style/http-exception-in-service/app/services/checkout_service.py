"""Checkout: charge a pending order's total once per client idempotency key."""

from fastapi import HTTPException, status
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.integrations.payments import GatewayError, PaymentGateway
from app.models.order import ORDER_STATUS_PAID, ORDER_STATUS_PENDING, Order
from app.models.payment import PAYMENT_STATUS_SUCCEEDED, Payment

CHECKOUT_CURRENCY = "EUR"
MAX_IDEMPOTENCY_KEY_LENGTH = 255


class CheckoutService:
    def __init__(self, db: Session, gateway: PaymentGateway) -> None:
        self.db = db
        self.gateway = gateway

    async def checkout(self, order_id: int, user_id: int, idempotency_key: str) -> Payment:
        """Charge the order's total and mark it paid; a repeated key returns its payment."""
        if not idempotency_key.strip() or len(idempotency_key) > MAX_IDEMPOTENCY_KEY_LENGTH:
            raise HTTPException(status.HTTP_422_UNPROCESSABLE_ENTITY, "validation_failed")
        order = self.db.get(Order, order_id)
        if order is None or order.user_id != user_id:
            raise HTTPException(status.HTTP_404_NOT_FOUND, "not_found")

        previous = self.db.scalars(
            select(Payment).where(Payment.idempotency_key == idempotency_key)
        ).first()
        if previous is not None:
            if previous.order_id != order.id:
                raise HTTPException(status.HTTP_409_CONFLICT, "conflict")
            return previous
        if order.status != ORDER_STATUS_PENDING:
            raise HTTPException(status.HTTP_409_CONFLICT, "conflict")

        try:
            charge = await self.gateway.charge(
                amount=order.total, currency=CHECKOUT_CURRENCY, idempotency_key=idempotency_key
            )
        except GatewayError as exc:
            raise HTTPException(status.HTTP_502_BAD_GATEWAY, "payment_gateway_error") from exc

        payment = Payment(
            order_id=order.id,
            amount=order.total,
            status=PAYMENT_STATUS_SUCCEEDED,
            provider_reference=charge.reference,
            idempotency_key=idempotency_key,
        )
        order.status = ORDER_STATUS_PAID
        self.db.add(payment)
        self.db.commit()
        return payment
