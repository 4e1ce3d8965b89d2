from fastapi import APIRouter, Depends, HTTPException, status
from sqlalchemy.orm import Session

from app.api.deps import get_current_user, get_db
from app.models.order import Order
from app.models.user import User
from app.schemas.order import OrderCreate, OrderOut
from app.services.order_service import (
    InsufficientStock,
    InvalidOrderItems,
    OrderService,
    ProductNotFound,
)

router = APIRouter(prefix="/orders", tags=["orders"])


@router.post("", response_model=OrderOut, status_code=status.HTTP_201_CREATED)
def create_order(
    payload: OrderCreate,
    current_user: User = Depends(get_current_user),
    db: Session = Depends(get_db),
) -> Order:
    items = [item.model_dump() for item in payload.items]
    try:
        return OrderService(db).create_order(current_user.id, items)
    except InvalidOrderItems as exc:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_ENTITY, str(exc)) from exc
    except ProductNotFound as exc:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "not_found") from exc
    except InsufficientStock as exc:
        raise HTTPException(status.HTTP_409_CONFLICT, "insufficient_stock") from exc
