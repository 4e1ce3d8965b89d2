from fastapi import APIRouter, Depends, Response, status
from sqlalchemy.orm import Session

from app.api.deps import get_current_user, get_db
from app.api.errors import unwrap
from app.models.user import User
from app.schemas.shipping import BulkShipIn, BulkShipOut
from app.services.order_shipping import OrderShippingService, ShipmentReport

router = APIRouter(prefix="/admin/orders", tags=["admin"])


@router.post("/bulk-ship", response_model=BulkShipOut)
def bulk_ship_orders(
    payload: BulkShipIn,
    response: Response,
    _staff: User = Depends(get_current_user),
    db: Session = Depends(get_db),
) -> ShipmentReport:
    report = unwrap(OrderShippingService(db).ship_orders(payload.order_ids))
    if report.skipped:
        response.status_code = status.HTTP_207_MULTI_STATUS
    return report
