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
from app.models.order import ORDER_STATUS_CANCELLED, Order, OrderItem

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


def is_owned_by(order: Optional[Order], user_id: int) -> bool:
    """Whether the order exists and belongs to the customer."""
    return order is not None and order.user_id == user_id


def check_owner(order: Optional[Order], user_id: int) -> Optional[NotFoundError]:
    """Not found when there is no order or it is another customer's: both look the same."""
    if not is_owned_by(order, user_id):
        return NotFoundError()
    return None


def is_cancelled(order: Order) -> bool:
    return order.status == ORDER_STATUS_CANCELLED


def check_status(order: Order) -> Optional[OrderCancelledError]:
    """Cancelled orders are not quoted; pending, paid and shipped ones are."""
    if is_cancelled(order):
        return OrderCancelledError()
    return None


def normalise_country(country: str) -> str:
    """`de`, ` De ` and `DE` are all DE."""
    return country.strip().upper()


def supported_countries() -> list[str]:
    """The countries we ship to, sorted (for the back office's country list)."""
    return sorted(SHIPPING_COUNTRIES)


def is_supported_country(country: str) -> bool:
    return country in SHIPPING_COUNTRIES


def check_country(country: str) -> Optional[UnsupportedCountryError]:
    """Only the countries we ship to, whatever rates the carrier has."""
    if not is_supported_country(country):
        return UnsupportedCountryError()
    return None


def validate_request(
    order: Optional[Order], user_id: int, country: str
) -> Optional[Union[NotFoundError, OrderCancelledError, UnsupportedCountryError]]:
    """The first reason not to quote: unknown or foreign order, cancelled, unsupported country."""
    not_found = check_owner(order, user_id)
    if not_found is not None or order is None:
        return not_found
    return check_status(order) or check_country(country)


def line_units(item: OrderItem) -> int:
    return item.quantity


def count_units(order: Order) -> int:
    """Units ordered over all the order's lines."""
    return sum(line_units(item) for item in order.items)


def grams_for_units(units: int) -> int:
    return units * GRAMS_PER_UNIT


def order_weight(order: Order) -> int:
    """The parcel's weight in grams: 500 g per unit ordered."""
    return grams_for_units(count_units(order))


async def call_carrier(carrier: CarrierClient, weight_grams: int, country: str) -> Quote:
    """One request to the carrier; its client is synchronous, so it runs in a thread."""
    return await asyncio.to_thread(carrier.quote, weight_grams, country)


def should_retry(attempt: int) -> bool:
    """Whether a failed attempt is followed by another one (3 attempts in all)."""
    return attempt < CARRIER_ATTEMPTS


def retry_pause(attempt: int) -> float:
    """Seconds to wait after a failed attempt before the next one."""
    return CARRIER_RETRY_PAUSE_SECONDS


async def quote_with_retries(
    carrier: CarrierClient, weight_grams: int, country: str
) -> Optional[Quote]:
    """The carrier's quote, asking up to 3 times; None when every attempt failed."""
    for attempt in range(1, CARRIER_ATTEMPTS + 1):
        try:
            return await call_carrier(carrier, weight_grams, country)
        except CarrierUnavailable:
            if should_retry(attempt):
                await asyncio.sleep(retry_pause(attempt))
    return None


async def quote_for_destination(
    carrier: CarrierClient, order: Order, destination: str
) -> Optional[Quote]:
    """The carrier's quote for this order's parcel to the destination, or None."""
    return await quote_with_retries(carrier, order_weight(order), destination)


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
    destination = normalise_country(country)
    refused = validate_request(order, user_id, destination)
    if refused is not None or order is None:
        return failure(refused or NotFoundError())
    carrier_quote = await quote_for_destination(carrier, order, destination)
    if carrier_quote is None:
        return failure(CarrierUnavailableError())
    return success(to_quote(order, destination, carrier_quote))
