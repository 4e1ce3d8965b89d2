"""Checkout: charge a pending order's total once per client idempotency key."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.integrations.payments import GatewayError, PaymentGateway
from app.models.order import ORDER_STATUS_PAID, ORDER_STATUS_PENDING, Order
from app.models.payment import PAYMENT_STATUS_SUCCEEDED, Payment

CHECKOUT_CURRENCY = "EUR"
MAX_IDEMPOTENCY_KEY_LENGTH = 255


class CheckoutError(Exception):
    """Base class for the reasons a checkout is refused."""


class InvalidIdempotencyKey(CheckoutError):
    pass


class OrderNotFound(CheckoutError):
    pass


class CheckoutConflict(CheckoutError):
    pass


class PaymentFailed(CheckoutError):
    """The payment provider could not process the charge."""


class CheckoutService:
    def __init__(self, db: Session, gateway: PaymentGateway) -> None:
        self.db = db
        self.gateway = gateway

    async def checkout(self, order_id: int, user_id: int, idempotency_key: str) -> Payment:
        """Charge the order's total and mark it paid; a repeated key returns its payment.

        Raises InvalidIdempotencyKey, OrderNotFound, CheckoutConflict or PaymentFailed.
        """
        if not idempotency_key.strip() or len(idempotency_key) > MAX_IDEMPOTENCY_KEY_LENGTH:
            raise InvalidIdempotencyKey("invalid Idempotency-Key")
        order = self.db.get(Order, order_id)
        if order is None or order.user_id != user_id:
            raise OrderNotFound(f"order {order_id} not found")

        previous = self.db.scalars(
            select(Payment).where(Payment.idempotency_key == idempotency_key)
        ).first()
        if previous is not None:
            if previous.order_id != order.id:
                raise CheckoutConflict("idempotency key already used for another order")
            return previous
        if order.status != ORDER_STATUS_PENDING:
            raise CheckoutConflict(f"order {order_id} is {order.status}")

        try:
            charge = await self.gateway.charge(
                amount=order.total, currency=CHECKOUT_CURRENCY, idempotency_key=idempotency_key
            )
        except GatewayError as exc:
            raise PaymentFailed(str(exc)) from exc

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
