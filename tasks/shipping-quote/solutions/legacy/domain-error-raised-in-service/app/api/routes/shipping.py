from fastapi import APIRouter, Depends, HTTPException, status
from sqlalchemy.orm import Session

from app.api.deps import get_current_user, get_db
from app.models.user import User
from app.schemas.shipping import ShippingQuoteOut
from app.services.shipping_quote_service import (
    CarrierDown,
    OrderCancelled,
    OrderNotFound,
    ShippingQuoteService,
    UnsupportedCountry,
)

router = APIRouter(prefix="/orders", tags=["shipping"])


@router.get("/{order_id}/shipping-quote", response_model=ShippingQuoteOut)
async def get_shipping_quote(
    order_id: int,
    country: str,
    current_user: User = Depends(get_current_user),
    db: Session = Depends(get_db),
):
    try:
        return await ShippingQuoteService(db).quote(
            user_id=current_user.id, order_id=order_id, country=country
        )
    except OrderNotFound:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail="not_found")
    except OrderCancelled:
        raise HTTPException(status_code=status.HTTP_409_CONFLICT, detail="order_cancelled")
    except UnsupportedCountry:
        raise HTTPException(
            status_code=status.HTTP_422_UNPROCESSABLE_ENTITY, detail="unsupported_country"
        )
    except CarrierDown:
        raise HTTPException(
            status_code=status.HTTP_503_SERVICE_UNAVAILABLE, detail="carrier_unavailable"
        )
