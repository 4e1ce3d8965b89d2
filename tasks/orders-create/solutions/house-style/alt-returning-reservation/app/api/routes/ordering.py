from typing import Annotated

from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from app.api.deps import get_current_user, get_db
from app.api.errors import raise_for
from app.core.result import Failure, Success
from app.models.user import User
from app.schemas.order import OrderOut
from app.schemas.placement import PlaceOrderRequest
from app.services.order_service import OrderService

router = APIRouter(tags=["orders"])

CurrentUser = Annotated[User, Depends(get_current_user)]
DbSession = Annotated[Session, Depends(get_db)]


@router.post("/orders", status_code=201)
def place_order(body: PlaceOrderRequest, user: CurrentUser, db: DbSession) -> OrderOut:
    lines = [{"product_id": line.product_id, "quantity": line.quantity} for line in body.items]
    match OrderService(db).create_order(user.id, lines):
        case Success(value=order):
            return OrderOut.model_validate(order)
        case Failure(error=error):
            raise_for(error)
