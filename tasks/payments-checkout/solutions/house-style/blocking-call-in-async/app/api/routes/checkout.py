from fastapi import APIRouter, Depends, Header
from sqlalchemy.orm import Session

from app.api.deps import get_current_user, get_db, get_payment_gateway
from app.api.errors import unwrap
from app.integrations.payments import PaymentGateway
from app.models.payment import Payment
from app.models.user import User
from app.schemas.payment import PaymentOut
from app.services.checkout_service import CheckoutService

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
    return unwrap(await service.checkout(order_id, current_user.id, idempotency_key))
