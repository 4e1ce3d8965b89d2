from decimal import ROUND_HALF_UP, Decimal

from fastapi import APIRouter, Depends, HTTPException, Response, status
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.api.deps import get_current_user, get_db
from app.core.clock import utcnow
from app.core.config import get_settings
from app.models.invoice import Invoice
from app.models.order import ORDER_STATUS_PAID, ORDER_STATUS_SHIPPED, Order
from app.models.user import User
from app.schemas.invoice import InvoiceOut

router = APIRouter(tags=["invoices"])

CENT = Decimal("0.01")
INVOICE_NUMBER_FORMAT = "INV-{year}-{sequence:04d}"
INVOICEABLE_STATUSES = frozenset({ORDER_STATUS_PAID, ORDER_STATUS_SHIPPED})
# A concurrent request may take the number we computed (Invoice.number is unique): retry.
NUMBERING_ATTEMPTS = 3


@router.post(
    "/orders/{order_id}/invoice",
    response_model=InvoiceOut,
    status_code=status.HTTP_201_CREATED,
    responses={status.HTTP_200_OK: {"model": InvoiceOut, "description": "Already invoiced"}},
)
def issue_invoice(
    order_id: int,
    response: Response,
    current_user: User = Depends(get_current_user),
    db: Session = Depends(get_db),
) -> Invoice:
    for _ in range(NUMBERING_ATTEMPTS):
        order = db.scalars(
            select(Order).where(Order.id == order_id, Order.user_id == current_user.id)
        ).first()
        if order is None:
            raise HTTPException(status_code=404, detail="not_found")
        existing = db.scalars(select(Invoice).where(Invoice.order_id == order.id)).first()
        if existing is not None:
            response.status_code = status.HTTP_200_OK
            return existing
        if order.status not in INVOICEABLE_STATUSES:
            raise HTTPException(status_code=409, detail="order_not_paid")

        issued_at = utcnow()
        year = issued_at.year
        highest = db.scalar(select(func.max(Invoice.sequence)).where(Invoice.year == year))
        sequence = 1 if highest is None else highest + 1
        net = Decimal(order.total).quantize(CENT, rounding=ROUND_HALF_UP)
        vat = (net * get_settings().vat_rate).quantize(CENT, rounding=ROUND_HALF_UP)
        invoice = Invoice(
            order_id=order.id,
            number=INVOICE_NUMBER_FORMAT.format(year=year, sequence=sequence),
            year=year,
            sequence=sequence,
            net=net,
            vat=vat,
            gross=net + vat,
            issued_at=issued_at,
        )
        db.add(invoice)
        try:
            db.commit()
        except IntegrityError:
            db.rollback()
            continue
        return invoice
    raise HTTPException(status_code=409, detail="invoice_number_taken")
