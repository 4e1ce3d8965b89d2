"""Shipping quotes: the carrier's price for sending an order to a country."""

import asyncio
from dataclasses import dataclass
from decimal import Decimal
from typing import Optional, Union

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.result import Result, failure, success
from app.domain.exceptions import (
    CarrierUnavailableError,
    NotFoundError,
    OrderCancelledError,
    UnsupportedCountryError,
)
from app.integrations.shipping import CarrierClient, CarrierUnavailable, Quote
from app.models.order import ORDER_STATUS_CANCELLED, Order

SHIPPING_COUNTRIES = frozenset({"AT", "BE", "DE", "ES", "FR", "IT", "NL", "PL", "PT"})
GRAMS_PER_UNIT = 500
CARRIER_ATTEMPTS = 3
CARRIER_RETRY_PAUSE_SECONDS = 0.2

ShippingQuoteError = Union[
    NotFoundError, OrderCancelledError, UnsupportedCountryError, CarrierUnavailableError
]


@dataclass(frozen=True)
class ShippingQuote:
    order_id: int
    country: str
    carrier: str
    amount: Decimal
    currency: str
    days: int


def load_order(db: Session, order_id: int) -> Optional[Order]:
    """The order with that id, or None."""
    return db.scalars(select(Order).where(Order.id == order_id)).first()


def check_owner(order: Optional[Order], user_id: int) -> Optional[NotFoundError]:
    """Not found when there is no order or it is another customer's: both look the same."""
    if order is None or order.user_id != user_id:
        return NotFoundError()
    return None


def check_status(order: Order) -> Optional[OrderCancelledError]:
    """Cancelled orders are not quoted; pending, paid and shipped ones are."""
    if order.status == ORDER_STATUS_CANCELLED:
        return OrderCancelledError()
    return None


def normalise_country(country: str) -> str:
    """`de`, ` De ` and `DE` are all DE."""
    return country.strip().upper()


def check_country(country: str) -> Optional[UnsupportedCountryError]:
    """Only the countries we ship to, whatever rates the carrier has."""
    if country not in SHIPPING_COUNTRIES:
        return UnsupportedCountryError()
    return None


def count_units(order: Order) -> int:
    """Units ordered over all the order's lines."""
    return sum(item.quantity for item in order.items)


def order_weight(order: Order) -> int:
    """The parcel's weight in grams: 500 g per unit ordered."""
    return count_units(order) * GRAMS_PER_UNIT


async def call_carrier(carrier: CarrierClient, weight_grams: int, country: str) -> Quote:
    """One request to the carrier; its client is synchronous, so it runs in a thread."""
    return await asyncio.to_thread(carrier.quote, weight_grams, country)


async def quote_with_retries(
    carrier: CarrierClient, weight_grams: int, country: str
) -> Optional[Quote]:
    """The carrier's quote, asking up to 3 times; None when every attempt failed."""
    for attempt in range(1, CARRIER_ATTEMPTS + 1):
        try:
            return await call_carrier(carrier, weight_grams, country)
        except CarrierUnavailable:
            if attempt < CARRIER_ATTEMPTS:
                await asyncio.sleep(CARRIER_RETRY_PAUSE_SECONDS)
    return None


def to_quote(order: Order, country: str, carrier_quote: Quote) -> ShippingQuote:
    """What the customer is shown: the order, the country and the carrier's quote."""
    return ShippingQuote(
        order_id=order.id,
        country=country,
        carrier=carrier_quote.carrier,
        amount=carrier_quote.amount,
        currency=carrier_quote.currency,
        days=carrier_quote.days,
    )


async def quote_order(
    db: Session, carrier: CarrierClient, user_id: int, order_id: int, country: str
) -> Result[ShippingQuote, ShippingQuoteError]:
    """The shipping quote for `user_id`'s order `order_id` to `country`."""
    order = load_order(db, order_id)
    not_found = check_owner(order, user_id)
    if not_found is not None:
        return failure(not_found)
    cancelled = check_status(order)
    if cancelled is not None:
        return failure(cancelled)
    destination = normalise_country(country)
    unsupported = check_country(destination)
    if unsupported is not None:
        return failure(unsupported)
    carrier_quote = await quote_with_retries(carrier, order_weight(order), destination)
    if carrier_quote is None:
        return failure(CarrierUnavailableError())
    return success(to_quote(order, destination, carrier_quote))
