from fastapi import APIRouter, Depends, Header, HTTPException, Request, status
from sqlalchemy.orm import Session

from app.api.deps import get_db
from app.core.config import get_settings
from app.core.signatures import verify_signature
from app.schemas.webhook import WebhookAck, WebhookEventIn
from app.services.webhook_service import PaymentNotFound, WebhookService

router = APIRouter(prefix="/payments", tags=["payments"])


async def require_webhook_signature(
    request: Request, x_signature: str | None = Header(None)
) -> None:
    """401 unless X-Signature signs the raw request body with the webhook secret."""
    body = await request.body()
    if not verify_signature(body, x_signature, get_settings().webhook_secret):
        raise HTTPException(status_code=status.HTTP_401_UNAUTHORIZED, detail="invalid_signature")


@router.post(
    "/webhook",
    response_model=WebhookAck,
    dependencies=[Depends(require_webhook_signature)],
)
def payment_webhook(event: WebhookEventIn, db: Session = Depends(get_db)) -> WebhookAck:
    try:
        outcome = WebhookService(db).handle(event.id, event.type, event.data.payment_id)
    except PaymentNotFound as error:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail=str(error))
    return WebhookAck(status=outcome)
