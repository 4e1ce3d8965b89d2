from collections.abc import Iterable

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.core.result import Failure, Result, success
from app.domain.exceptions import ValidationFailedError
from app.domain.shipping import NOT_FOUND, NOT_PAID, ShippingBatch, ShippingOutcome
from app.models.order import ORDER_STATUS_PAID, ORDER_STATUS_SHIPPED, Order


class OrderShippingService:
    def __init__(self, db: Session) -> None:
        self.db = db

    def ship_orders(
        self, order_ids: Iterable[int]
    ) -> Result[ShippingOutcome, ValidationFailedError]:
        parsed = ShippingBatch.parse(order_ids)
        if isinstance(parsed, Failure):
            return parsed
        batch = parsed.value

        rows = self.db.execute(select(Order.id, Order.status).where(Order.id.in_(batch.order_ids)))
        status_by_id = {order_id: status for order_id, status in rows}
        paid = [i for i in batch.order_ids if status_by_id.get(i) == ORDER_STATUS_PAID]
        claimed: set[int] = set()
        if paid:
            # Still conditional on "paid": a simultaneous batch may have shipped some since.
            claimed = set(
                self.db.scalars(
                    update(Order)
                    .where(Order.id.in_(paid), Order.status == ORDER_STATUS_PAID)
                    .values(status=ORDER_STATUS_SHIPPED)
                    .returning(Order.id)
                    .execution_options(synchronize_session=False)
                )
            )
        self.db.commit()

        outcome = ShippingOutcome()
        for order_id in batch.order_ids:
            if order_id in claimed:
                outcome.shipped.append(order_id)
            elif order_id in status_by_id:
                outcome.skipped.append((order_id, NOT_PAID))
            else:
                outcome.skipped.append((order_id, NOT_FOUND))
        return success(outcome)
