"""Shipping quotes: what the carrier charges to ship a customer's order to a country."""

import asyncio
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.result import Result, failure, success
from app.domain.exceptions import (
    CarrierUnavailableError,
    NotFoundError,
    OrderCancelledError,
    UnsupportedCountryError,
)
from app.integrations.shipping import CarrierClient, CarrierUnavailable, get_carrier_client
from app.models.order import ORDER_STATUS_CANCELLED, Order

ShippingQuoteError = (
    NotFoundError | OrderCancelledError | UnsupportedCountryError | CarrierUnavailableError
)


@dataclass(frozen=True)
class ShippingQuote:
    order_id: int
    country: str
    carrier: str
    amount: Decimal
    currency: str
    days: int


class ShippingQuoteService:
    def __init__(self, db: Session, carrier: CarrierClient | None = None) -> None:
        self.db = db
        self.carrier = carrier if carrier is not None else get_carrier_client()

    async def quote(
        self, user_id: int, order_id: int, country: str
    ) -> Result[ShippingQuote, ShippingQuoteError]:
        """The carrier's price for shipping `user_id`'s order to `country`."""
        SUPPORTED_COUNTRIES = {"AT", "BE", "DE", "ES", "FR", "IT", "NL", "PL", "PT"}
        GRAMS_PER_UNIT = 500
        MAX_ATTEMPTS = 3
        RETRY_DELAY = 0.2

        order = self.db.scalars(
            select(Order).where(Order.id == order_id, Order.user_id == user_id)
        ).first()
        if order is None:
            return failure(NotFoundError())
        if order.status == ORDER_STATUS_CANCELLED:
            return failure(OrderCancelledError())
        country = country.upper()
        if country not in SUPPORTED_COUNTRIES:
            return failure(UnsupportedCountryError())

        weight = sum(item.quantity for item in order.items) * GRAMS_PER_UNIT
        for attempt in range(MAX_ATTEMPTS):
            try:
                carrier_quote = await asyncio.to_thread(self.carrier.quote, weight, country)
                break
            except CarrierUnavailable:
                if attempt == MAX_ATTEMPTS - 1:
                    return failure(CarrierUnavailableError())
                await asyncio.sleep(RETRY_DELAY)

        return success(
            ShippingQuote(
                order_id=order.id,
                country=country,
                carrier=carrier_quote.carrier,
                amount=carrier_quote.amount,
                currency=carrier_quote.currency,
                days=carrier_quote.days,
            )
        )
