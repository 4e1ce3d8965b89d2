from fastapi import APIRouter, Depends, Header, HTTPException
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.api.deps import get_current_user, get_db, get_payment_gateway
from app.integrations.payments import GatewayError, PaymentGateway
from app.models.order import ORDER_STATUS_PAID, ORDER_STATUS_PENDING, Order
from app.models.payment import PAYMENT_STATUS_SUCCEEDED, Payment
from app.models.user import User
from app.schemas.payment import PaymentOut

router = APIRouter(prefix="/orders", tags=["checkout"])

CHECKOUT_CURRENCY = "EUR"
MAX_IDEMPOTENCY_KEY_LENGTH = 255


@router.post("/{order_id}/checkout", response_model=PaymentOut)
async def checkout_order(
    order_id: int,
    idempotency_key: str = Header(alias="Idempotency-Key"),
    current_user: User = Depends(get_current_user),
    db: Session = Depends(get_db),
    gateway: PaymentGateway = Depends(get_payment_gateway),
) -> Payment:
    if not idempotency_key.strip() or len(idempotency_key) > MAX_IDEMPOTENCY_KEY_LENGTH:
        raise HTTPException(status_code=422, detail="invalid Idempotency-Key")
    order = db.get(Order, order_id)
    if order is None or order.user_id != current_user.id:
        raise HTTPException(status_code=404, detail="not_found")

    previous = db.scalars(select(Payment).where(Payment.idempotency_key == idempotency_key)).first()
    if previous is not None:
        if previous.order_id != order.id:
            raise HTTPException(
                status_code=409, detail="idempotency key already used for another order"
            )
        return previous
    if order.status != ORDER_STATUS_PENDING:
        raise HTTPException(status_code=409, detail=f"order is {order.status}")

    try:
        charge = await gateway.charge(
            amount=order.total, currency=CHECKOUT_CURRENCY, idempotency_key=idempotency_key
        )
    except GatewayError:
        raise HTTPException(status_code=502, detail="payment_gateway_error") from None

    payment = Payment(
        order_id=order.id,
        amount=order.total,
        status=PAYMENT_STATUS_SUCCEEDED,
        provider_reference=charge.reference,
        idempotency_key=idempotency_key,
    )
    order.status = ORDER_STATUS_PAID
    db.add(payment)
    db.commit()
    return payment
