from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from app.api.deps import get_db
from app.api.errors import unwrap
from app.schemas.webhook import WebhookAck, WebhookEventIn
from app.services.webhook_service import WebhookService

router = APIRouter(prefix="/payments", tags=["payments"])


@router.post("/webhook", response_model=WebhookAck)
def payment_webhook(event: WebhookEventIn, db: Session = Depends(get_db)) -> WebhookAck:
    result = WebhookService(db).handle(event.id, event.type, event.data.payment_id)
    return WebhookAck(status=unwrap(result))
