from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from app.api.deps import get_current_user, get_db
from app.api.errors import unwrap
from app.models.user import User
from app.schemas.shipping import ShippingQuoteOut
from app.services.shipping_quote_service import ShippingQuote, ShippingQuoteService

router = APIRouter(prefix="/orders", tags=["shipping"])


@router.get("/{order_id}/shipping-quote", response_model=ShippingQuoteOut)
async def get_shipping_quote(
    order_id: int,
    country: str,
    current_user: User = Depends(get_current_user),
    db: Session = Depends(get_db),
) -> ShippingQuote:
    service = ShippingQuoteService(db)
    return unwrap(await service.quote(user_id=current_user.id, order_id=order_id, country=country))
