from fastapi import APIRouter, Depends, HTTPException, Response
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.api.deps import get_current_user, get_db
from app.models.order import ORDER_STATUS_PAID, ORDER_STATUS_SHIPPED, Order
from app.models.user import User
from app.schemas.shipping import BulkShipIn, BulkShipOut, SkippedOrderOut

router = APIRouter(prefix="/admin/orders", tags=["admin"])

MAX_ORDERS_PER_BATCH = 100


@router.post("/bulk-ship", response_model=BulkShipOut)
def bulk_ship_orders(
    payload: BulkShipIn,
    response: Response,
    _staff: User = Depends(get_current_user),
    db: Session = Depends(get_db),
) -> BulkShipOut:
    batch = list(dict.fromkeys(payload.order_ids))
    if not batch:
        raise HTTPException(status_code=422, detail="no_orders")
    if len(batch) > MAX_ORDERS_PER_BATCH:
        raise HTTPException(status_code=422, detail="too_many_orders")

    shipped_ids = set(
        db.scalars(
            update(Order)
            .where(Order.id.in_(batch), Order.status == ORDER_STATUS_PAID)
            .values(status=ORDER_STATUS_SHIPPED)
            .returning(Order.id)
            .execution_options(synchronize_session=False)
        )
    )
    existing_ids = set(db.scalars(select(Order.id).where(Order.id.in_(batch))))
    db.commit()

    result = BulkShipOut(
        shipped=[order_id for order_id in batch if order_id in shipped_ids],
        skipped=[
            SkippedOrderOut(
                id=order_id, reason="not_paid" if order_id in existing_ids else "not_found"
            )
            for order_id in batch
            if order_id not in shipped_ids
        ],
    )
    if result.skipped:
        response.status_code = 207
    return result
