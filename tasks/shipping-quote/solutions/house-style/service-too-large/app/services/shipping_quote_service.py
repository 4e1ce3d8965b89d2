"""Shipping quotes: what the carrier charges to ship a customer's order to a country."""

import asyncio
import logging
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.core.result import Result, failure, success
from app.domain.exceptions import (
    CarrierUnavailableError,
    NotFoundError,
    OrderCancelledError,
    UnsupportedCountryError,
)
from app.integrations.shipping import CarrierClient, CarrierUnavailable, Quote, get_carrier_client
from app.models.order import ORDER_STATUS_CANCELLED, Order

logger = logging.getLogger(__name__)

SHIPPING_COUNTRIES = frozenset({"AT", "BE", "DE", "ES", "FR", "IT", "NL", "PL", "PT"})
GRAMS_PER_UNIT = 500
CARRIER_ATTEMPTS = 3
CARRIER_RETRY_PAUSE_SECONDS = 0.2
CENT = Decimal("0.01")

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
    """Quotes the carrier's price for shipping one of a customer's orders.

    A quote goes through the same steps for the order page and for the nightly job that
    e-mails quotes for abandoned orders:

    1. the order is looked up among the orders of the user asking (someone else's order is
       not found, exactly like an order that does not exist);
    2. a cancelled order is refused; pending, paid and shipped orders are quoted;
    3. the country is normalised (trimmed, upper case) and must be one we ship to;
    4. the parcel weighs GRAMS_PER_UNIT per unit ordered, over every line of the order;
    5. the carrier is asked, up to CARRIER_ATTEMPTS times while it answers
       CarrierUnavailable, with a pause of CARRIER_RETRY_PAUSE_SECONDS before each new
       attempt;
    6. the carrier's price is rounded to the cent and returned with the order and country.

    Nothing is written and nothing is cached: every call asks the carrier again.
    """

    def __init__(self, db: Session, carrier: CarrierClient | None = None) -> None:
        self.db = db
        self.carrier = carrier if carrier is not None else get_carrier_client()

    async def quote(
        self, user_id: int, order_id: int, country: str
    ) -> Result[ShippingQuote, ShippingQuoteError]:
        """The carrier's price for shipping `user_id`'s order to `country`.

        The checks run in a fixed order (owner, status, country, carrier), so an order that
        is both cancelled and asked for an unsupported country is refused as cancelled.
        """
        order = self._load_order(user_id, order_id)
        if order is None:
            logger.info("shipping quote: order %s not found for user %s", order_id, user_id)
            return failure(NotFoundError())

        if order.status == ORDER_STATUS_CANCELLED:
            logger.info("shipping quote: order %s is cancelled", order.id)
            return failure(OrderCancelledError())

        destination = self._normalise_country(country)
        if destination is None:
            logger.info("shipping quote: country %r is not served", country)
            return failure(UnsupportedCountryError())

        weight_grams = self._parcel_weight(order)
        logger.debug(
            "shipping quote: order %s weighs %s g, asking the carrier for %s",
            order.id,
            weight_grams,
            destination,
        )

        carrier_quote = await self._ask_carrier(weight_grams, destination)
        if carrier_quote is None:
            logger.warning(
                "shipping quote: carrier unavailable for order %s to %s after %s attempts",
                order.id,
                destination,
                CARRIER_ATTEMPTS,
            )
            return failure(CarrierUnavailableError())

        return success(self._price(order, destination, carrier_quote))

    def _load_order(self, user_id: int, order_id: int) -> Order | None:
        """The order `order_id` if it belongs to `user_id`, with its lines loaded.

        The owner is part of the query rather than checked afterwards, so an order of
        another customer is never loaded at all and answers exactly like a missing one.
        """
        statement = (
            select(Order)
            .where(Order.id == order_id, Order.user_id == user_id)
            .options(selectinload(Order.items))
        )
        return self.db.scalars(statement).first()

    def _normalise_country(self, country: str) -> str | None:
        """The upper-case ISO code for `country`, or None when we do not ship there.

        `de`, `De` and ` DE ` are all DE. A code the carrier has rates for (CH, GB) is still
        refused when it is not one of our destinations.
        """
        if not country:
            return None
        code = country.strip().upper()
        if len(code) != 2 or not code.isalpha():
            return None
        if code not in SHIPPING_COUNTRIES:
            return None
        return code

    def _parcel_weight(self, order: Order) -> int:
        """The parcel's weight in grams: GRAMS_PER_UNIT for every unit ordered.

        The weight is per unit, not per line: a line of 2 mugs and a line of 1 T-shirt
        make 3 units, 1500 g.
        """
        units = 0
        for item in order.items:
            if item.quantity is None or item.quantity <= 0:
                logger.warning(
                    "shipping quote: order %s line %s has quantity %r, not weighed",
                    order.id,
                    item.id,
                    item.quantity,
                )
                continue
            units += item.quantity
        return units * GRAMS_PER_UNIT

    async def _ask_carrier(self, weight_grams: int, country: str) -> Quote | None:
        """The carrier's quote, or None when every attempt found it unavailable.

        The client is synchronous, so each call runs in a worker thread; the pause between
        attempts is awaited. The pause only comes before a new attempt: after the last
        failed one the caller answers at once.
        """
        last_error: CarrierUnavailable | None = None
        for attempt in range(1, CARRIER_ATTEMPTS + 1):
            try:
                carrier_quote = await asyncio.to_thread(self.carrier.quote, weight_grams, country)
            except CarrierUnavailable as error:
                last_error = error
                logger.info(
                    "shipping quote: carrier attempt %s/%s for %s g to %s failed: %s",
                    attempt,
                    CARRIER_ATTEMPTS,
                    weight_grams,
                    country,
                    error,
                )
                if attempt < CARRIER_ATTEMPTS:
                    await asyncio.sleep(CARRIER_RETRY_PAUSE_SECONDS)
                continue
            if attempt > 1:
                logger.info(
                    "shipping quote: carrier answered on attempt %s for %s g to %s",
                    attempt,
                    weight_grams,
                    country,
                )
            return carrier_quote
        logger.debug("shipping quote: giving up, last carrier error: %s", last_error)
        return None

    def _price(self, order: Order, country: str, carrier_quote: Quote) -> ShippingQuote:
        """The quote the customer sees: the carrier's price, rounded to the cent.

        The amount is kept as a Decimal (never a float) and the currency as the carrier
        sent it, in upper case; the days are the carrier's delivery estimate.
        """
        amount = Decimal(carrier_quote.amount).quantize(CENT, rounding=ROUND_HALF_UP)
        if amount < 0:
            logger.warning(
                "shipping quote: carrier returned a negative amount %s for order %s",
                carrier_quote.amount,
                order.id,
            )
            amount = Decimal("0.00")
        return ShippingQuote(
            order_id=order.id,
            country=country,
            carrier=carrier_quote.carrier,
            amount=amount,
            currency=carrier_quote.currency.upper(),
            days=int(carrier_quote.days),
        )
