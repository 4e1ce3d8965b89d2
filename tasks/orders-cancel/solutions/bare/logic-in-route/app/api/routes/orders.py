from collections import Counter

from fastapi import APIRouter, Depends, HTTPException
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.api.deps import get_current_user, get_db
from app.models.order import (
    ORDER_STATUS_CANCELLED,
    ORDER_STATUS_PAID,
    ORDER_STATUS_PENDING,
    Order,
)
from app.models.product import Product
from app.models.user import User
from app.schemas.order import OrderOut

router = APIRouter(prefix="/orders", tags=["orders"])

CANCELLABLE_STATUSES = frozenset({ORDER_STATUS_PENDING, ORDER_STATUS_PAID})


@router.post("/{order_id}/cancel", response_model=OrderOut)
def cancel_order(
    order_id: int,
    current_user: User = Depends(get_current_user),
    db: Session = Depends(get_db),
) -> Order:
    order = db.scalars(
        select(Order)
        .where(Order.id == order_id, Order.user_id == current_user.id)
        .with_for_update()
    ).first()
    if order is None:
        # Someone else's order is "not found" too: ids of other customers stay hidden.
        raise HTTPException(status_code=404, detail="not_found")
    if order.status not in CANCELLABLE_STATUSES:
        raise HTTPException(status_code=409, detail="order_not_cancellable")

    returned: Counter[int] = Counter()
    for item in order.items:
        returned[item.product_id] += item.quantity
    for product in db.scalars(select(Product).where(Product.id.in_(returned)).with_for_update()):
        product.stock += returned[product.id]
    order.status = ORDER_STATUS_CANCELLED
    db.commit()
    return order
