"""Checkout: charge a pending order's total once per client idempotency key."""

import time

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.result import Result, failure, success
from app.domain.exceptions import (
    ConflictError,
    NotFoundError,
    PaymentGatewayError,
    ValidationFailedError,
)
from app.integrations.payments import GatewayError, PaymentGateway
from app.models.order import ORDER_STATUS_PAID, ORDER_STATUS_PENDING, Order
from app.models.payment import PAYMENT_STATUS_SUCCEEDED, Payment

CHECKOUT_CURRENCY = "EUR"
MAX_IDEMPOTENCY_KEY_LENGTH = 255
GATEWAY_ATTEMPTS = 3
GATEWAY_RETRY_DELAY_SECONDS = 0.05

CheckoutError = NotFoundError | ConflictError | ValidationFailedError | PaymentGatewayError


class CheckoutService:
    def __init__(self, db: Session, gateway: PaymentGateway) -> None:
        self.db = db
        self.gateway = gateway

    async def checkout(
        self, order_id: int, user_id: int, idempotency_key: str
    ) -> Result[Payment, CheckoutError]:
        """Charge the order's total and mark it paid; a repeated key returns its payment."""
        if not idempotency_key.strip() or len(idempotency_key) > MAX_IDEMPOTENCY_KEY_LENGTH:
            return failure(ValidationFailedError("invalid Idempotency-Key"))
        order = self.db.get(Order, order_id)
        if order is None or order.user_id != user_id:
            return failure(NotFoundError(f"order {order_id} not found"))

        previous = self.db.scalars(
            select(Payment).where(Payment.idempotency_key == idempotency_key)
        ).first()
        if previous is not None:
            if previous.order_id != order.id:
                return failure(ConflictError("idempotency key already used for another order"))
            return success(previous)
        if order.status != ORDER_STATUS_PENDING:
            return failure(ConflictError(f"order {order_id} is {order.status}"))

        charge = None
        for attempt in range(GATEWAY_ATTEMPTS):
            try:
                charge = await self.gateway.charge(
                    amount=order.total, currency=CHECKOUT_CURRENCY, idempotency_key=idempotency_key
                )
                break
            except GatewayError:
                if attempt + 1 < GATEWAY_ATTEMPTS:
                    time.sleep(GATEWAY_RETRY_DELAY_SECONDS * (attempt + 1))
        if charge is None:
            return failure(PaymentGatewayError())

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
        return success(payment)
