from typing import NamedTuple

from sqlalchemy.orm import Session

from app.core.result import Result, failure, success
from app.domain.exceptions import NotFoundError
from app.domain.shipping import (
    CarrierUnavailableError,
    OrderCancelledError,
    UnsupportedCountryError,
)
from app.integrations.shipping import CarrierClient, Quote, get_carrier_client
from app.models.order import ORDER_STATUS_CANCELLED, Order
from app.services.carrier_retry import quote_with_retries
from app.services.shipping_rules import parcel_weight_grams, served_country


class OrderShippingQuote(NamedTuple):
    order_id: int
    country: str
    quote: Quote


QuoteError = NotFoundError | OrderCancelledError | UnsupportedCountryError | CarrierUnavailableError


class ShippingQuoteService:
    def __init__(self, db: Session, carrier: CarrierClient | None = None) -> None:
        self.db = db
        self.carrier = carrier or get_carrier_client()

    async def quote(
        self, user_id: int, order_id: int, country: str
    ) -> Result[OrderShippingQuote, QuoteError]:
        order = self.db.get(Order, order_id)
        if order is None or order.user_id != user_id:
            return failure(NotFoundError())
        if order.status == ORDER_STATUS_CANCELLED:
            return failure(OrderCancelledError())
        destination = served_country(country)
        if destination is None:
            return failure(UnsupportedCountryError())
        weight = parcel_weight_grams(item.quantity for item in order.items)
        carrier_quote = await quote_with_retries(self.carrier, weight, destination)
        if carrier_quote is None:
            return failure(CarrierUnavailableError())
        return success(OrderShippingQuote(order.id, destination, carrier_quote))
