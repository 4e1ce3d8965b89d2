from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from app.api.deps import get_current_user, get_db
from app.core.result import Failure, Success
from app.models.user import User
from app.schemas.order import OrderOut
from app.services.order_cancellation import OrderCancellationService

router = APIRouter(prefix="/orders", tags=["orders"])


@router.post("/{order_id}/cancel")
def cancel(
    order_id: int, user: User = Depends(get_current_user), db: Session = Depends(get_db)
) -> OrderOut:
    match OrderCancellationService(db).cancel(order_id, user.id):
        case Success(value=order):
            return OrderOut.model_validate(order)
        case Failure(error=error):
            raise error.to_http_exception()
