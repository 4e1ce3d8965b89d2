"""Issuing invoices: one per paid order, numbered per calendar year without gaps."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.core.clock import utcnow
from app.core.config import get_settings
from app.core.result import Result, failure, success
from app.domain.exceptions import ConflictError, NotFoundError
from app.domain.invoicing import format_invoice_number, invoice_amounts, next_sequence
from app.models.invoice import Invoice
from app.models.order import ORDER_STATUS_PAID, ORDER_STATUS_SHIPPED, Order

INVOICEABLE_STATUSES = frozenset({ORDER_STATUS_PAID, ORDER_STATUS_SHIPPED})
# A concurrent request may take the number we computed (Invoice.number is unique): retry.
NUMBERING_ATTEMPTS = 3

IssueInvoiceError = NotFoundError | ConflictError


@dataclass(frozen=True)
class IssuedInvoice:
    invoice: Invoice
    created: bool


class InvoiceService:
    def __init__(self, db: Session) -> None:
        self.db = db

    def issue(self, order_id: int, user_id: int) -> Result[IssuedInvoice, IssueInvoiceError]:
        """The invoice of `user_id`'s order: the existing one, or a new one if it is paid."""
        for _ in range(NUMBERING_ATTEMPTS):
            order = self.db.scalars(
                select(Order).where(Order.id == order_id, Order.user_id == user_id)
            ).first()
            if order is None:
                return failure(NotFoundError(f"order {order_id} not found"))
            existing = self.db.scalars(select(Invoice).where(Invoice.order_id == order.id)).first()
            if existing is not None:
                return success(IssuedInvoice(invoice=existing, created=False))
            if order.status not in INVOICEABLE_STATUSES:
                return failure(ConflictError(f"order {order_id} is {order.status}, not paid"))

            invoice = self._build_invoice(order, utcnow())
            self.db.add(invoice)
            try:
                self.db.commit()
            except IntegrityError:
                self.db.rollback()
                continue
            return success(IssuedInvoice(invoice=invoice, created=True))
        return failure(ConflictError("could not allocate an invoice number; try again"))

    def _build_invoice(self, order: Order, issued_at: datetime) -> Invoice:
        year = order.created_at.year
        highest = self.db.scalar(select(func.max(Invoice.sequence)).where(Invoice.year == year))
        sequence = next_sequence(highest)
        amounts = invoice_amounts(order.total, get_settings().vat_rate)
        return Invoice(
            order_id=order.id,
            number=format_invoice_number(year, sequence),
            year=year,
            sequence=sequence,
            net=amounts.net,
            vat=amounts.vat,
            gross=amounts.gross,
            issued_at=issued_at,
        )
