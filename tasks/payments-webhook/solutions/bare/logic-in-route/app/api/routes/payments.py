import hashlib
import hmac

from fastapi import APIRouter, Depends, Header, HTTPException, Request
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.api.deps import get_db
from app.core.config import get_settings
from app.models.order import ORDER_STATUS_PAID
from app.models.payment import (
    PAYMENT_STATUS_FAILED,
    PAYMENT_STATUS_SUCCEEDED,
    Payment,
    WebhookEvent,
)
from app.schemas.webhook import WebhookAck, WebhookEventIn

router = APIRouter(prefix="/payments", tags=["payments"])

PAYMENT_STATUS_BY_EVENT = {
    "payment.succeeded": PAYMENT_STATUS_SUCCEEDED,
    "payment.failed": PAYMENT_STATUS_FAILED,
}


async def require_webhook_signature(
    request: Request, x_signature: str | None = Header(None)
) -> None:
    """401 unless X-Signature is the hex HMAC-SHA256 of the raw body with the webhook secret."""
    body = await request.body()
    expected = hmac.new(
        get_settings().webhook_secret.encode("utf-8"), body, hashlib.sha256
    ).hexdigest()
    if not x_signature or not hmac.compare_digest(
        expected.encode("ascii"), x_signature.encode("utf-8")
    ):
        raise HTTPException(status_code=401, detail="invalid_signature")


@router.post(
    "/webhook",
    response_model=WebhookAck,
    dependencies=[Depends(require_webhook_signature)],
)
def payment_webhook(event: WebhookEventIn, db: Session = Depends(get_db)) -> WebhookAck:
    seen = db.scalar(select(WebhookEvent.id).where(WebhookEvent.event_id == event.id))
    if seen is not None:
        return WebhookAck(status="duplicate")
    payment_status = PAYMENT_STATUS_BY_EVENT.get(event.type)
    if payment_status is None:
        return WebhookAck(status="ignored")
    payment = db.get(Payment, event.data.payment_id)
    if payment is None:
        raise HTTPException(status_code=404, detail="not_found")

    payment.status = payment_status
    if payment_status == PAYMENT_STATUS_SUCCEEDED:
        payment.order.status = ORDER_STATUS_PAID
    db.add(WebhookEvent(event_id=event.id, type=event.type))
    try:
        db.commit()
    except IntegrityError:
        # A concurrent delivery of the same event was recorded first.
        db.rollback()
        return WebhookAck(status="duplicate")
    return WebhookAck(status="processed")
