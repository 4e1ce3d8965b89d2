import asyncio
from typing import Any

from fastapi import APIRouter, Depends, HTTPException
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.api.deps import get_current_user, get_db
from app.integrations.shipping import CarrierUnavailable, get_carrier_client
from app.models.order import ORDER_STATUS_CANCELLED, Order
from app.models.user import User
from app.schemas.order import format_money

router = APIRouter(prefix="/orders", tags=["shipping"])

SHIPPING_COUNTRIES = {"AT", "BE", "DE", "ES", "FR", "IT", "NL", "PL", "PT"}
GRAMS_PER_UNIT = 500
CARRIER_ATTEMPTS = 3
CARRIER_RETRY_DELAY_SECONDS = 0.2


@router.get("/{order_id}/shipping-quote")
async def get_shipping_quote(
    order_id: int,
    country: str,
    current_user: User = Depends(get_current_user),
    db: Session = Depends(get_db),
) -> dict[str, Any]:
    order = db.scalars(select(Order).where(Order.id == order_id)).first()
    if order is None or order.user_id != current_user.id:
        raise HTTPException(status_code=404, detail="not_found")
    if order.status == ORDER_STATUS_CANCELLED:
        raise HTTPException(status_code=409, detail="order_cancelled")
    country = country.upper()
    if country not in SHIPPING_COUNTRIES:
        raise HTTPException(status_code=422, detail="unsupported_country")

    weight = sum(item.quantity for item in order.items) * GRAMS_PER_UNIT
    carrier = get_carrier_client()
    for attempt in range(CARRIER_ATTEMPTS):
        try:
            quote = carrier.quote(weight, country)
            break
        except CarrierUnavailable:
            if attempt + 1 == CARRIER_ATTEMPTS:
                raise HTTPException(status_code=503, detail="carrier_unavailable")
            await asyncio.sleep(CARRIER_RETRY_DELAY_SECONDS)

    return {
        "order_id": order.id,
        "country": country,
        "carrier": quote.carrier,
        "amount": format_money(quote.amount),
        "currency": quote.currency,
        "days": quote.days,
    }
