from fastapi import APIRouter, Depends, Header, HTTPException, Request, status
from sqlalchemy.orm import Session

from app.api.deps import get_db, get_email_sender
from app.core.config import get_settings
from app.core.signatures import verify_signature
from app.integrations.email import EmailSender
from app.models.order import Order
from app.schemas.order import OrderOut
from app.schemas.shipment import ShipmentIn
from app.services.fulfilment_service import (
    FulfilmentService,
    InvalidOrderStatus,
    InvalidTrackingNumber,
    OrderNotFound,
)

router = APIRouter(prefix="/orders", tags=["fulfilment"])


async def require_warehouse_signature(
    request: Request, x_signature: str | None = Header(None)
) -> None:
    """401 unless X-Signature signs the raw request body with the shared secret."""
    body = await request.body()
    if not verify_signature(body, x_signature, get_settings().webhook_secret):
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "invalid_signature")


@router.post(
    "/{order_id}/ship",
    response_model=OrderOut,
    dependencies=[Depends(require_warehouse_signature)],
)
async def ship_order(
    order_id: int,
    shipment: ShipmentIn,
    db: Session = Depends(get_db),
    email_sender: EmailSender = Depends(get_email_sender),
) -> Order:
    service = FulfilmentService(db, email_sender)
    try:
        return await service.mark_shipped(order_id, shipment.tracking_number)
    except InvalidTrackingNumber as exc:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_ENTITY, str(exc)) from exc
    except OrderNotFound as exc:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "not_found") from exc
    except InvalidOrderStatus as exc:
        raise HTTPException(status.HTTP_409_CONFLICT, "conflict") from exc
