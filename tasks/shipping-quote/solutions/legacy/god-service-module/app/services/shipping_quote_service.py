from typing import Optional

from sqlalchemy.orm import Session

from app.core.result import Result
from app.integrations.shipping import CarrierClient, get_carrier_client
from app.services import shipping
from app.services.shipping import ShippingQuote, ShippingQuoteError

__all__ = ["ShippingQuote", "ShippingQuoteService"]


class ShippingQuoteService:
    def __init__(self, db: Session, carrier: Optional[CarrierClient] = None) -> None:
        self.db = db
        self.carrier = carrier if carrier is not None else get_carrier_client()

    async def quote(
        self, user_id: int, order_id: int, country: str
    ) -> Result[ShippingQuote, ShippingQuoteError]:
        return await shipping.quote_order(
            self.db, self.carrier, user_id=user_id, order_id=order_id, country=country
        )
