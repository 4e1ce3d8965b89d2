from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from app.api.deps import get_current_user, get_db
from app.api.errors import raise_for
from app.core.result import Failure, Success
from app.models.user import User
from app.schemas.order import OrderOut
from app.schemas.order_history import OrderHistoryOut
from app.services.order_history import OrderHistoryService

router = APIRouter(prefix="/orders", tags=["orders"])


@router.get("", response_model=OrderHistoryOut)
def list_my_orders(
    status: str | None = None,
    page: int = 1,
    size: int = 20,
    current_user: User = Depends(get_current_user),
    db: Session = Depends(get_db),
) -> OrderHistoryOut:
    result = OrderHistoryService(db).list_orders(
        user_id=current_user.id, status=status, page=page, size=size
    )
    match result:
        case Failure(error=error):
            raise_for(error)
        case Success(value=history):
            return OrderHistoryOut(
                items=[OrderOut.model_validate(order) for order in history.orders],
                page=history.page,
                size=history.size,
                total=history.total,
                pages=history.pages,
            )
