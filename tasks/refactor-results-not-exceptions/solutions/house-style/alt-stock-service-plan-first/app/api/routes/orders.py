from fastapi import APIRouter, Depends, status
from sqlalchemy.orm import Session

from app.api.deps import get_current_user, get_db
from app.core.result import Failure, Success
from app.models.order import Order
from app.models.user import User
from app.schemas.order import OrderOut
from app.services.order_service import OrderService

router = APIRouter(prefix="/orders", tags=["orders"])


def _order_or_http_error(result: Success[Order] | Failure) -> Order:
    match result:
        case Success(value=order):
            return order
        case Failure(error=error):
            raise error.to_http_exception()
    raise TypeError(f"expected a Result, got {type(result).__name__}")


@router.get("/{order_id}", response_model=OrderOut)
def get_order(
    order_id: int,
    current_user: User = Depends(get_current_user),
    db: Session = Depends(get_db),
) -> Order:
    return _order_or_http_error(OrderService(db).get_order(current_user.id, order_id))


@router.post("/{order_id}/cancel", response_model=OrderOut)
def cancel_order(
    order_id: int,
    current_user: User = Depends(get_current_user),
    db: Session = Depends(get_db),
) -> Order:
    return _order_or_http_error(OrderService(db).cancel_order(current_user.id, order_id))


@router.post("/{order_id}/reorder", response_model=OrderOut, status_code=status.HTTP_201_CREATED)
def reorder(
    order_id: int,
    current_user: User = Depends(get_current_user),
    db: Session = Depends(get_db),
) -> Order:
    return _order_or_http_error(OrderService(db).reorder(current_user.id, order_id))
