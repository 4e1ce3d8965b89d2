from typing import Any

from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from app.api.deps import get_current_user, get_db
from app.api.errors import raise_for
from app.core.result import Failure, Success
from app.integrations.shipping import CarrierClient, get_carrier_client
from app.models.user import User
from app.schemas.order import format_money
from app.services.shipping_quote_service import ShippingQuoteService

router = APIRouter(tags=["shipping"])


@router.get("/orders/{order_id}/shipping-quote")
async def shipping_quote(
    order_id: int,
    country: str,
    current_user: User = Depends(get_current_user),
    db: Session = Depends(get_db),
    carrier: CarrierClient = Depends(get_carrier_client),
) -> dict[str, Any]:
    result = await ShippingQuoteService(db, carrier).quote(
        user_id=current_user.id, order_id=order_id, country=country
    )
    match result:
        case Failure(error=error):
            raise_for(error)
        case Success(value=found):
            return {
                "order_id": found.order_id,
                "country": found.country,
                "carrier": found.quote.carrier,
                "amount": format_money(found.quote.amount),
                "currency": found.quote.currency,
                "days": found.quote.days,
            }
    raise TypeError(f"unexpected result {result!r}")
