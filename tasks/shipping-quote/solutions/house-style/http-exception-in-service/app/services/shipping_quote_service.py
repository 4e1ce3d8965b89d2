"""Shipping quotes from the carrier for a customer's order."""

import asyncio
from typing import Any, Dict

from fastapi import HTTPException, status
from sqlalchemy.orm import Session

from app.integrations.shipping import CarrierClient, CarrierUnavailable, get_carrier_client
from app.models.order import ORDER_STATUS_CANCELLED, Order

SHIPPING_COUNTRIES = {"AT", "BE", "DE", "ES", "FR", "IT", "NL", "PL", "PT"}
GRAMS_PER_UNIT = 500
CARRIER_ATTEMPTS = 3
CARRIER_RETRY_DELAY_SECONDS = 0.2


class ShippingQuoteService:
    def __init__(self, db: Session, carrier: CarrierClient | None = None) -> None:
        self.db = db
        self.carrier = carrier or get_carrier_client()

    async def quote(self, user_id: int, order_id: int, country: str) -> Dict[str, Any]:
        order = self.db.get(Order, order_id)
        if order is None or order.user_id != user_id:
            raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail="not_found")
        if order.status == ORDER_STATUS_CANCELLED:
            raise HTTPException(status_code=status.HTTP_409_CONFLICT, detail="order_cancelled")
        country = country.upper()
        if country not in SHIPPING_COUNTRIES:
            raise HTTPException(
                status_code=status.HTTP_422_UNPROCESSABLE_ENTITY, detail="unsupported_country"
            )

        weight = sum(item.quantity for item in order.items) * GRAMS_PER_UNIT
        for attempt in range(CARRIER_ATTEMPTS):
            try:
                carrier_quote = self.carrier.quote(weight, country)
                break
            except CarrierUnavailable:
                if attempt + 1 == CARRIER_ATTEMPTS:
                    raise HTTPException(
                        status_code=status.HTTP_503_SERVICE_UNAVAILABLE,
                        detail="carrier_unavailable",
                    )
                await asyncio.sleep(CARRIER_RETRY_DELAY_SECONDS)

        return {
            "order_id": order.id,
            "country": country,
            "carrier": carrier_quote.carrier,
            "amount": carrier_quote.amount,
            "currency": carrier_quote.currency,
            "days": carrier_quote.days,
        }
