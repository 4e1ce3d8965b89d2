"""Checkout with a reservation: the Payment row (unique idempotency key) is written as
"pending" before the provider is called, so the database, not a read-then-write check,
decides which request owns a key. The charge then completes or removes the reservation."""

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.core.result import Failure, Result, failure, success
from app.domain.exceptions import (
    ConflictError,
    NotFoundError,
    PaymentGatewayError,
    ValidationFailedError,
)
from app.integrations.payments import GatewayError, PaymentGateway
from app.models.order import ORDER_STATUS_PAID, ORDER_STATUS_PENDING, Order
from app.models.payment import PAYMENT_STATUS_PENDING, PAYMENT_STATUS_SUCCEEDED, Payment

CURRENCY = "EUR"
IDEMPOTENCY_KEY_MAX_CHARS = 255


@dataclass(frozen=True)
class ChargeRequest:
    order_id: int
    amount: Decimal
    key: str


class CheckoutService:
    def __init__(self, db: Session, gateway: PaymentGateway) -> None:
        self.db = db
        self.gateway = gateway

    async def checkout(
        self, order_id: int, user_id: int, idempotency_key: str
    ) -> Result[Payment, NotFoundError | ConflictError | ValidationFailedError | PaymentGatewayError]:
        if not _valid_key(idempotency_key):
            return failure(ValidationFailedError("Idempotency-Key must be 1-255 visible characters"))
        order = self.db.scalars(
            select(Order).where(Order.id == order_id, Order.user_id == user_id)
        ).first()
        if order is None:
            return failure(NotFoundError("order not found"))

        reserved = self._reserve(order, idempotency_key)
        if not isinstance(reserved, Payment):
            return reserved
        request = ChargeRequest(order.id, order.total, idempotency_key)
        try:
            charge = await self.gateway.charge(request.amount, CURRENCY, request.key)
        except GatewayError:
            self.db.delete(reserved)
            self.db.commit()
            return failure(PaymentGatewayError())

        reserved.status = PAYMENT_STATUS_SUCCEEDED
        reserved.provider_reference = charge.reference
        order.status = ORDER_STATUS_PAID
        self.db.commit()
        return success(reserved)

    def _reserve(self, order: Order, key: str) -> Payment | Result[Payment, ConflictError]:
        """A new pending Payment for this key, or the outcome of an earlier use of the key."""
        earlier = self._by_key(key)
        if earlier is not None:
            return _replay(earlier, order)
        if order.status != ORDER_STATUS_PENDING:
            return failure(ConflictError(f"order is {order.status}"))
        reservation = Payment(
            order_id=order.id, amount=order.total, status=PAYMENT_STATUS_PENDING, idempotency_key=key
        )
        self.db.add(reservation)
        try:
            self.db.commit()
        except IntegrityError:  # another request reserved the key first
            self.db.rollback()
            earlier = self._by_key(key)
            return _replay(earlier, order) if earlier else failure(ConflictError("retry"))
        return reservation

    def _by_key(self, key: str) -> Payment | None:
        return self.db.scalars(select(Payment).where(Payment.idempotency_key == key)).first()


def _valid_key(key: str) -> bool:
    return bool(key.strip()) and len(key) <= IDEMPOTENCY_KEY_MAX_CHARS


def _replay(earlier: Payment, order: Order) -> Result[Payment, ConflictError]:
    if earlier.order_id != order.id:
        return Failure(ConflictError("Idempotency-Key was used for another order"))
    if earlier.status != PAYMENT_STATUS_SUCCEEDED:
        return Failure(ConflictError("a checkout with this key is in progress"))
    return success(earlier)
