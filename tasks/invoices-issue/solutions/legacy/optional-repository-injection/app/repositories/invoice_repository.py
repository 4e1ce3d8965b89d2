from typing import Optional

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models.invoice import Invoice


class InvoiceRepository:
    def __init__(self, db: Session) -> None:
        self.db = db

    def get_for_order(self, order_id: int) -> Optional[Invoice]:
        return self.db.scalars(select(Invoice).where(Invoice.order_id == order_id)).first()

    def highest_sequence(self, year: int) -> Optional[int]:
        return self.db.scalar(select(func.max(Invoice.sequence)).where(Invoice.year == year))

    def add(self, invoice: Invoice) -> Invoice:
        self.db.add(invoice)
        self.db.flush()
        return invoice
