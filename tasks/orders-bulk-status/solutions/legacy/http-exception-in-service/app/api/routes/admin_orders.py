from fastapi import APIRouter, Depends, Response
from sqlalchemy.orm import Session

from app.api.deps import get_current_user, get_db
from app.models.user import User
from app.schemas.shipping import BulkShipIn, BulkShipOut
from app.services.order_shipping import OrderShippingService

router = APIRouter(prefix="/admin/orders", tags=["admin"])


@router.post("/bulk-ship", response_model=BulkShipOut)
def bulk_ship_orders(
    payload: BulkShipIn,
    response: Response,
    current_user: User = Depends(get_current_user),
    db: Session = Depends(get_db),
):
    report = OrderShippingService(db).ship_orders(payload.order_ids)
    if report.skipped:
        response.status_code = 207
    return report
