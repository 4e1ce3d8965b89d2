from fastapi import APIRouter, Depends, HTTPException, Response, status
from sqlalchemy.orm import Session

from app.api.deps import get_current_user, get_db
from app.models.invoice import Invoice
from app.models.user import User
from app.schemas.invoice import InvoiceOut
from app.services.invoice_service import (
    InvoiceNumberUnavailable,
    InvoiceService,
    OrderNotFound,
    OrderNotInvoiceable,
)

router = APIRouter(tags=["invoices"])


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
    try:
        issued = InvoiceService(db).issue(order_id=order_id, user_id=current_user.id)
    except OrderNotFound:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail="not_found")
    except (OrderNotInvoiceable, InvoiceNumberUnavailable) as exc:
        raise HTTPException(status_code=status.HTTP_409_CONFLICT, detail=str(exc))
    if not issued.created:
        response.status_code = status.HTTP_200_OK
    return issued.invoice
