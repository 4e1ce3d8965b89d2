"""Shipping quotes: what the carrier charges to ship a customer's order to a country."""

import asyncio
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.exceptions import (
    CarrierUnavailableError,
    NotFoundError,
    OrderCancelledError,
    UnsupportedCountryError,
)
from app.integrations.shipping import CarrierClient, CarrierUnavailable, Quote, get_carrier_client
from app.models.order import ORDER_STATUS_CANCELLED, Order

SHIPPING_COUNTRIES = frozenset({"AT", "BE", "DE", "ES", "FR", "IT", "NL", "PL", "PT"})
GRAMS_PER_UNIT = 500
CARRIER_ATTEMPTS = 3
CARRIER_RETRY_PAUSE_SECONDS = 0.2


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

    async def quote(self, user_id: int, order_id: int, country: str) -> ShippingQuote:
        """The carrier's price for shipping `user_id`'s order to `country`.

        Raises NotFoundError, OrderCancelledError, UnsupportedCountryError or
        CarrierUnavailableError.
        """
        order = self.db.scalars(
            select(Order).where(Order.id == order_id, Order.user_id == user_id)
        ).first()
        if order is None:
            raise NotFoundError()
        if order.status == ORDER_STATUS_CANCELLED:
            raise OrderCancelledError()
        destination = country.strip().upper()
        if destination not in SHIPPING_COUNTRIES:
            raise UnsupportedCountryError()

        weight = sum(item.quantity for item in order.items) * GRAMS_PER_UNIT
        carrier_quote = await self._ask_carrier(weight, destination)
        return ShippingQuote(
            order_id=order.id,
            country=destination,
            carrier=carrier_quote.carrier,
            amount=carrier_quote.amount,
            currency=carrier_quote.currency,
            days=carrier_quote.days,
        )

    async def _ask_carrier(self, weight_grams: int, country: str) -> Quote:
        for attempt in range(1, CARRIER_ATTEMPTS + 1):
            try:
                return await asyncio.to_thread(self.carrier.quote, weight_grams, country)
            except CarrierUnavailable:
                if attempt < CARRIER_ATTEMPTS:
                    await asyncio.sleep(CARRIER_RETRY_PAUSE_SECONDS)
        raise CarrierUnavailableError()
