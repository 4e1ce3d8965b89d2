from typing import Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models.payment import Payment, WebhookEvent


class PaymentRepository:
    def __init__(self, db: Session) -> None:
        self.db = db

    def get(self, payment_id: int) -> Optional[Payment]:
        return self.db.get(Payment, payment_id)

    def get_webhook_event(self, event_id: str) -> Optional[WebhookEvent]:
        return self.db.scalars(
            select(WebhookEvent).where(WebhookEvent.event_id == event_id)
        ).first()

    def add_webhook_event(self, event: WebhookEvent) -> WebhookEvent:
        self.db.add(event)
        self.db.flush()
        return event
