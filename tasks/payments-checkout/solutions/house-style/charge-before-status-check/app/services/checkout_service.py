"""Checkout: charge a pending order's total once per client idempotency key."""

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
        try:
            charge = await self.gateway.charge(
                amount=order.total, currency=CHECKOUT_CURRENCY, idempotency_key=idempotency_key
            )
        except GatewayError:
            return failure(PaymentGatewayError())

        return self._record_payment(order, charge.reference, idempotency_key)

    def _record_payment(
        self, order: Order, reference: str, idempotency_key: str
    ) -> Result[Payment, ConflictError]:
        """Move the order pending -> paid and store its payment."""
        if order.status != ORDER_STATUS_PENDING:
            return failure(ConflictError(f"order {order.id} is {order.status}"))
        payment = Payment(
            order_id=order.id,
            amount=order.total,
            status=PAYMENT_STATUS_SUCCEEDED,
            provider_reference=reference,
            idempotency_key=idempotency_key,
        )
        order.status = ORDER_STATUS_PAID
        self.db.add(payment)
        self.db.commit()
        return success(payment)
