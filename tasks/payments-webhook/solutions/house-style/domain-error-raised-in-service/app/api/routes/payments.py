from fastapi import APIRouter, Depends, Header, Request
from sqlalchemy.orm import Session

from app.api.deps import get_db
from app.api.errors import raise_for, unwrap
from app.core.config import get_settings
from app.core.signatures import verify_signature
from app.domain.exceptions import InvalidSignatureError
from app.schemas.webhook import WebhookAck, WebhookEventIn
from app.services.webhook_service import WebhookService

router = APIRouter(prefix="/payments", tags=["payments"])


async def require_webhook_signature(
    request: Request, x_signature: str | None = Header(None)
) -> None:
    """401 unless X-Signature signs the raw request body with the webhook secret."""
    body = await request.body()
    if not verify_signature(body, x_signature, get_settings().webhook_secret):
        raise_for(InvalidSignatureError())


@router.post(
    "/webhook",
    response_model=WebhookAck,
    dependencies=[Depends(require_webhook_signature)],
)
def payment_webhook(event: WebhookEventIn, db: Session = Depends(get_db)) -> WebhookAck:
    result = WebhookService(db).handle(event.id, event.type, event.data.payment_id)
    return WebhookAck(status=unwrap(result))
