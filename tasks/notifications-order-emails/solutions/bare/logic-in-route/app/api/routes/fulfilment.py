import hashlib
import hmac
import logging

from fastapi import APIRouter, Depends, Header, HTTPException, Request
from sqlalchemy.orm import Session

from app.api.deps import get_db, get_email_sender
from app.core.config import get_settings
from app.integrations.email import EmailDeliveryError, EmailSender
from app.models.order import ORDER_STATUS_PAID, ORDER_STATUS_SHIPPED, Order
from app.schemas.order import OrderOut
from app.schemas.shipment import ShipmentIn

logger = logging.getLogger(__name__)

router = APIRouter(prefix="/orders", tags=["fulfilment"])

SHIPPED_SUBJECT = "Your order #{order_id} has shipped"
SHIPPED_BODY = (
    "Hello,\n\nyour order #{order_id} is on its way. Tracking number: {tracking_number}.\n"
)


async def require_warehouse_signature(
    request: Request, x_signature: str | None = Header(None)
) -> None:
    """401 unless X-Signature is the hex HMAC-SHA256 of the raw body with the shared secret."""
    body = await request.body()
    expected = hmac.new(
        get_settings().webhook_secret.encode("utf-8"), body, hashlib.sha256
    ).hexdigest()
    if not x_signature or not hmac.compare_digest(
        expected.encode("ascii"), x_signature.encode("utf-8")
    ):
        raise HTTPException(status_code=401, detail="invalid_signature")


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
    tracking_number = shipment.tracking_number.strip()
    if not tracking_number:
        raise HTTPException(status_code=422, detail="tracking_number is required")
    order = db.get(Order, order_id)
    if order is None:
        raise HTTPException(status_code=404, detail="not_found")
    if order.status != ORDER_STATUS_PAID:
        raise HTTPException(status_code=409, detail=f"order is {order.status}, not paid")
    order.status = ORDER_STATUS_SHIPPED
    db.commit()

    # The email is a notification: the shipment is committed whether or not it goes out.
    try:
        await email_sender.send(
            order.user.email,
            SHIPPED_SUBJECT.format(order_id=order.id),
            SHIPPED_BODY.format(order_id=order.id, tracking_number=tracking_number),
        )
    except EmailDeliveryError:
        logger.warning("could not send the shipped email for order %s", order.id, exc_info=True)
    return order
