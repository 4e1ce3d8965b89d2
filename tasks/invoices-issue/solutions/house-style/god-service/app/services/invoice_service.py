"""Invoices: issuing, numbering, VAT, lookups and listings."""

from dataclasses import dataclass
from datetime import datetime
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
INVOICE_NUMBER_FORMAT = "INV-{year}-{sequence:04d}"
CENT = Decimal("0.01")


@dataclass(frozen=True)
class IssuedInvoice:
    invoice: Invoice
    created: bool


class InvoiceService:
    """Everything about invoices in one place."""

    def __init__(self, db: Session) -> None:
        self.db = db

    # --- issuing -------------------------------------------------------------------------

    def issue(
        self, order_id: int, user_id: int
    ) -> Result[IssuedInvoice, NotFoundError | ConflictError]:
        order = self.find_owned_order(order_id, user_id)
        if order is None:
            return failure(NotFoundError(f"order {order_id} not found"))
        existing = self.find_invoice_for_order(order.id)
        if existing is not None:
            return success(IssuedInvoice(invoice=existing, created=False))
        if not self.is_invoiceable(order):
            return failure(ConflictError(f"order {order_id} is {order.status}, not paid"))
        invoice = self.build_invoice(order, utcnow())
        self.db.add(invoice)
        self.db.commit()
        return success(IssuedInvoice(invoice=invoice, created=True))

    # --- lookups -------------------------------------------------------------------------

    def get_for_order(self, order_id: int, user_id: int) -> Result[Invoice, NotFoundError]:
        order = self.find_owned_order(order_id, user_id)
        invoice = self.find_invoice_for_order(order.id) if order is not None else None
        if invoice is None:
            return failure(NotFoundError(f"no invoice for order {order_id}"))
        return success(invoice)

    def list_for_user(self, user_id: int) -> list[Invoice]:
        query = (
            select(Invoice)
            .join(Order, Order.id == Invoice.order_id)
            .where(Order.user_id == user_id)
            .order_by(Invoice.year, Invoice.sequence)
        )
        return list(self.db.scalars(query))

    def list_for_year(self, year: int) -> list[Invoice]:
        query = select(Invoice).where(Invoice.year == year).order_by(Invoice.sequence)
        return list(self.db.scalars(query))

    # --- rules, public so that other services and admin scripts can reuse them -----------

    def find_owned_order(self, order_id: int, user_id: int) -> Order | None:
        query = select(Order).where(Order.id == order_id, Order.user_id == user_id)
        return self.db.scalars(query).first()

    def find_invoice_for_order(self, order_id: int) -> Invoice | None:
        return self.db.scalars(select(Invoice).where(Invoice.order_id == order_id)).first()

    def is_invoiceable(self, order: Order) -> bool:
        return order.status in INVOICEABLE_STATUSES

    def next_sequence(self, year: int) -> int:
        highest = self.db.scalar(select(func.max(Invoice.sequence)).where(Invoice.year == year))
        return (highest or 0) + 1

    def format_number(self, year: int, sequence: int) -> str:
        return INVOICE_NUMBER_FORMAT.format(year=year, sequence=sequence)

    def calculate_vat(self, net: Decimal) -> Decimal:
        return (net * get_settings().vat_rate).quantize(CENT, rounding=ROUND_HALF_UP)

    def calculate_gross(self, net: Decimal, vat: Decimal) -> Decimal:
        return net + vat

    def build_invoice(self, order: Order, issued_at: datetime) -> Invoice:
        year = issued_at.year
        sequence = self.next_sequence(year)
        net = order.total
        vat = self.calculate_vat(net)
        return Invoice(
            order_id=order.id,
            number=self.format_number(year, sequence),
            year=year,
            sequence=sequence,
            net=net,
            vat=vat,
            gross=self.calculate_gross(net, vat),
            issued_at=issued_at,
        )
