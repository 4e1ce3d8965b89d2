from fastapi import APIRouter, Depends, HTTPException, status
from sqlalchemy.orm import Session

from app.api.deps import get_current_user, get_db
from app.models.order import Order
from app.models.user import User
from app.schemas.order import OrderOut
from app.services.order_cancellation import (
    OrderCancellationService,
    OrderNotCancellable,
    OrderNotFound,
)

router = APIRouter(prefix="/orders", tags=["orders"])


@router.post("/{order_id}/cancel", response_model=OrderOut)
def cancel_order(
    order_id: int,
    current_user: User = Depends(get_current_user),
    db: Session = Depends(get_db),
) -> Order:
    try:
        return OrderCancellationService(db).cancel(order_id=order_id, user_id=current_user.id)
    except OrderNotFound:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail="not_found")
    except OrderNotCancellable:
        raise HTTPException(status_code=status.HTTP_409_CONFLICT, detail="conflict")
