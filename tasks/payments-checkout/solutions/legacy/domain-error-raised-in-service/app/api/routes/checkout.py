from fastapi import APIRouter, Depends, Header, HTTPException, status
from sqlalchemy.orm import Session

from app.api.deps import get_current_user, get_db, get_payment_gateway
from app.integrations.payments import PaymentGateway
from app.models.payment import Payment
from app.models.user import User
from app.schemas.payment import PaymentOut
from app.services.checkout_service import (
    CheckoutConflict,
    CheckoutService,
    InvalidIdempotencyKey,
    OrderNotFound,
    PaymentFailed,
)

router = APIRouter(prefix="/orders", tags=["checkout"])


@router.post("/{order_id}/checkout", response_model=PaymentOut)
async def checkout_order(
    order_id: int,
    idempotency_key: str = Header(alias="Idempotency-Key"),
    current_user: User = Depends(get_current_user),
    db: Session = Depends(get_db),
    gateway: PaymentGateway = Depends(get_payment_gateway),
) -> Payment:
    service = CheckoutService(db, gateway)
    try:
        return await service.checkout(order_id, current_user.id, idempotency_key)
    except InvalidIdempotencyKey as exc:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_ENTITY, str(exc)) from exc
    except OrderNotFound as exc:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "not_found") from exc
    except CheckoutConflict as exc:
        raise HTTPException(status.HTTP_409_CONFLICT, "conflict") from exc
    except PaymentFailed as exc:
        # never leak the provider's message
        raise HTTPException(status.HTTP_502_BAD_GATEWAY, "payment_gateway_error") from exc
