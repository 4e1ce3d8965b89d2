from typing import Annotated

from fastapi import APIRouter, Depends, Header
from sqlalchemy.orm import Session

from app.api.deps import get_current_user, get_db, get_payment_gateway
from app.api.errors import raise_for
from app.core.result import Failure
from app.integrations.payments import PaymentGateway
from app.models.user import User
from app.schemas.checkout import CheckoutReceipt
from app.services.checkout_service import CheckoutService

router = APIRouter(prefix="/orders", tags=["orders"])

CurrentUser = Annotated[User, Depends(get_current_user)]
Db = Annotated[Session, Depends(get_db)]
Gateway = Annotated[PaymentGateway, Depends(get_payment_gateway)]


@router.post("/{order_id}/checkout")
async def checkout(
    order_id: int,
    user: CurrentUser,
    db: Db,
    gateway: Gateway,
    idempotency_key: Annotated[str, Header(min_length=1, max_length=255)],
) -> CheckoutReceipt:
    result = await CheckoutService(db, gateway).checkout(
        order_id=order_id, user_id=user.id, idempotency_key=idempotency_key
    )
    if isinstance(result, Failure):
        raise_for(result.error)
    return CheckoutReceipt.of(result.value)
