from fastapi import APIRouter, Depends, Header, Request
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from sqlalchemy.orm import Session

from app.api.deps import get_db
from app.api.errors import unwrap
from app.core.config import get_settings
from app.schemas.payment_webhook import PaymentEvent, PaymentEventAck
from app.services.webhook_service import WebhookService
from app.services.webhook_signature import check_signature

router = APIRouter(prefix="/payments")


async def signed_event(request: Request, x_signature: str | None = Header(None)) -> PaymentEvent:
    body = unwrap(check_signature(await request.body(), x_signature, get_settings().webhook_secret))
    try:
        return PaymentEvent.model_validate_json(body)
    except ValidationError as exc:
        raise RequestValidationError(exc.errors()) from exc


@router.post("/webhook")
def webhook(event: PaymentEvent = Depends(signed_event), db: Session = Depends(get_db)) -> PaymentEventAck:
    status = unwrap(WebhookService(db).handle(event.id, event.type, event.data.payment_id))
    db.commit()
    return PaymentEventAck(status=status)
