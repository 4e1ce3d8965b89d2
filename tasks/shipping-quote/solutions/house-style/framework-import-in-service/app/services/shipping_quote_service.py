"""Shipping quotes: what the carrier charges to ship a customer's order to a country."""

import asyncio
from dataclasses import dataclass
from decimal import Decimal

from fastapi.concurrency import run_in_threadpool
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.core.result import Result, failure, success
from app.domain.exceptions import (
    CarrierUnavailableError,
    NotFoundError,
    OrderCancelledError,
    UnsupportedCountryError,
)
from app.integrations.shipping import CarrierClient, CarrierUnavailable, Quote, get_carrier_client
from app.models.order import ORDER_STATUS_CANCELLED, Order, OrderItem

SHIPPING_COUNTRIES = frozenset({"AT", "BE", "DE", "ES", "FR", "IT", "NL", "PL", "PT"})
GRAMS_PER_UNIT = 500
CARRIER_ATTEMPTS = 3
CARRIER_RETRY_PAUSE_SECONDS = 0.2

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
        order = self.db.scalars(
            select(Order).where(Order.id == order_id, Order.user_id == user_id)
        ).first()
        if order is None:
            # Someone else's order is "not found" too: ids of other customers stay hidden.
            return failure(NotFoundError())
        if order.status == ORDER_STATUS_CANCELLED:
            return failure(OrderCancelledError())
        destination = country.strip().upper()
        if destination not in SHIPPING_COUNTRIES:
            return failure(UnsupportedCountryError())

        units = self.db.scalar(
            select(func.coalesce(func.sum(OrderItem.quantity), 0)).where(
                OrderItem.order_id == order.id
            )
        )
        carrier_quote = await self._ask_carrier(units * GRAMS_PER_UNIT, destination)
        if carrier_quote is None:
            return failure(CarrierUnavailableError())
        return success(
            ShippingQuote(
                order_id=order.id,
                country=destination,
                carrier=carrier_quote.carrier,
                amount=carrier_quote.amount,
                currency=carrier_quote.currency,
                days=carrier_quote.days,
            )
        )

    async def _ask_carrier(self, weight_grams: int, country: str) -> Quote | None:
        """The carrier's quote, or None when every attempt found it unavailable."""
        for attempt in range(1, CARRIER_ATTEMPTS + 1):
            try:
                return await run_in_threadpool(self.carrier.quote, weight_grams, country)
            except CarrierUnavailable:
                if attempt < CARRIER_ATTEMPTS:
                    await asyncio.sleep(CARRIER_RETRY_PAUSE_SECONDS)
        return None
