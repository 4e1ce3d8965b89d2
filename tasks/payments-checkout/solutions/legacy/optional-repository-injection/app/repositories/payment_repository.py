from typing import Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models.payment import Payment


class PaymentRepository:
    def __init__(self, db: Session) -> None:
        self.db = db

    def get_by_idempotency_key(self, idempotency_key: str) -> Optional[Payment]:
        return self.db.scalars(
            select(Payment).where(Payment.idempotency_key == idempotency_key)
        ).first()

    def add(self, payment: Payment) -> Payment:
        self.db.add(payment)
        self.db.flush()
        return payment
