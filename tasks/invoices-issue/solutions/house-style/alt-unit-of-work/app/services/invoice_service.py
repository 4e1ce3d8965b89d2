"""Issue an order's invoice. The caller owns the transaction: this only adds and flushes."""

from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.clock import utcnow
from app.core.config import get_settings
from app.core.result import Result, failure, success
from app.domain.exceptions import ConflictError, NotFoundError
from app.models.invoice import Invoice
from app.models.order import ORDER_STATUS_PAID, ORDER_STATUS_SHIPPED, Order
from app.services.invoice_numbering import allocate_number
from app.services.vat import split_vat

PAID_STATUSES = (ORDER_STATUS_PAID, ORDER_STATUS_SHIPPED)


class IssueOutcome(NamedTuple):
    invoice: Invoice
    created: bool


class InvoiceService:
    def __init__(self, db: Session) -> None:
        self.db = db

    def issue(
        self, order_id: int, user_id: int
    ) -> Result[IssueOutcome, NotFoundError | ConflictError]:
        order = self.db.get(Order, order_id)
        if order is None or order.user_id != user_id:
            return failure(NotFoundError())
        invoice = self.db.scalar(select(Invoice).where(Invoice.order_id == order_id))
        if invoice is not None:
            return success(IssueOutcome(invoice, created=False))
        if order.status not in PAID_STATUSES:
            return failure(ConflictError("only paid orders can be invoiced"))

        issued_at = utcnow()
        number = allocate_number(self.db, issued_at.year)
        vat, gross = split_vat(order.total, get_settings().vat_rate)
        invoice = Invoice(
            order_id=order.id,
            number=number.number,
            year=number.year,
            sequence=number.sequence,
            net=order.total,
            vat=vat,
            gross=gross,
            issued_at=issued_at,
        )
        self.db.add(invoice)
        self.db.flush()
        return success(IssueOutcome(invoice, created=True))
