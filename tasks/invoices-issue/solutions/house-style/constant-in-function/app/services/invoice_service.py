"""Issuing invoices: one per paid order, numbered per calendar year without gaps."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.core.clock import utcnow
from app.core.config import get_settings
from app.core.result import Result, failure, success
from app.domain.exceptions import ConflictError, NotFoundError
from app.models.invoice import Invoice
from app.models.order import ORDER_STATUS_PAID, ORDER_STATUS_SHIPPED, Order

INVOICEABLE_STATUSES = frozenset({ORDER_STATUS_PAID, ORDER_STATUS_SHIPPED})


@dataclass(frozen=True)
class IssuedInvoice:
    invoice: Invoice
    created: bool


class InvoiceService:
    def __init__(self, db: Session) -> None:
        self.db = db

    def issue(
        self, order_id: int, user_id: int
    ) -> Result[IssuedInvoice, NotFoundError | ConflictError]:
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

        invoice = self._build_invoice(order)
        self.db.add(invoice)
        self.db.commit()
        return success(IssuedInvoice(invoice=invoice, created=True))

    def _build_invoice(self, order: Order) -> Invoice:
        NUMBER_FORMAT = "INV-{year}-{sequence:04d}"
        CENT = Decimal("0.01")

        issued_at = utcnow()
        year = issued_at.year
        highest = self.db.scalar(select(func.max(Invoice.sequence)).where(Invoice.year == year))
        sequence = (highest or 0) + 1
        net = order.total
        vat = (net * get_settings().vat_rate).quantize(CENT, rounding=ROUND_HALF_UP)
        return Invoice(
            order_id=order.id,
            number=NUMBER_FORMAT.format(year=year, sequence=sequence),
            year=year,
            sequence=sequence,
            net=net,
            vat=vat,
            gross=net + vat,
            issued_at=issued_at,
        )
