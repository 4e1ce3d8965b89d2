from fastapi import APIRouter, Depends, Header, Request
from sqlalchemy.orm import Session

from app.api.deps import get_db, get_email_sender
from app.api.errors import raise_for, unwrap
from app.core.config import get_settings
from app.core.signatures import verify_signature
from app.domain.exceptions import InvalidSignatureError
from app.integrations.email import EmailSender
from app.models.order import Order
from app.schemas.order import OrderOut
from app.schemas.shipment import ShipmentIn
from app.services.fulfilment_service import FulfilmentService

router = APIRouter(prefix="/orders", tags=["fulfilment"])


async def require_warehouse_signature(
    request: Request, x_signature: str | None = Header(None)
) -> None:
    """401 unless X-Signature signs the raw request body with the shared secret."""
    body = await request.body()
    if not verify_signature(body, x_signature, get_settings().webhook_secret):
        raise_for(InvalidSignatureError())


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
    return unwrap(await service.mark_shipped(order_id, shipment.tracking_number))
