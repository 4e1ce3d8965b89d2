from fastapi import APIRouter, Body, Depends
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session

from app.api.deps import get_current_user, get_db
from app.api.errors import unwrap
from app.models.user import User
from app.services.order_shipping import OrderShippingService

router = APIRouter(prefix="/admin/orders", tags=["warehouse"])

MULTI_STATUS = 207


@router.post("/bulk-ship")
def bulk_ship(
    order_ids: list[int] = Body(..., embed=True),
    _user: User = Depends(get_current_user),
    db: Session = Depends(get_db),
) -> JSONResponse:
    outcome = unwrap(OrderShippingService(db).ship_orders(order_ids))
    return JSONResponse(outcome.as_json(), status_code=200 if outcome.complete else MULTI_STATUS)
