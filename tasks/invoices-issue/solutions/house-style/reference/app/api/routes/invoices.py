from fastapi import APIRouter, Depends, Response, status
from sqlalchemy.orm import Session

from app.api.deps import get_current_user, get_db
from app.api.errors import unwrap
from app.models.invoice import Invoice
from app.models.user import User
from app.schemas.invoice import InvoiceOut
from app.services.invoice_service import InvoiceService

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
    issued = unwrap(InvoiceService(db).issue(order_id=order_id, user_id=current_user.id))
    if not issued.created:
        response.status_code = status.HTTP_200_OK
    return issued.invoice
