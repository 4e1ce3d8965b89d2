from fastapi import APIRouter, Depends, status
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session

from app.api.deps import get_current_user, get_db
from app.api.errors import raise_for
from app.core.result import Failure, Success
from app.models.user import User
from app.schemas.invoices import InvoiceRead
from app.services.invoice_service import InvoiceService

router = APIRouter(prefix="/orders", tags=["invoices"])


@router.post("/{order_id}/invoice", response_model=InvoiceRead, status_code=status.HTTP_201_CREATED)
def create_invoice(
    order_id: int,
    user: User = Depends(get_current_user),
    db: Session = Depends(get_db),
) -> JSONResponse:
    match InvoiceService(db).issue(order_id, user.id):
        case Failure(error=error):
            db.rollback()
            raise_for(error)
        case Success(value=outcome):
            db.commit()
            body = InvoiceRead.model_validate(outcome.invoice).model_dump(mode="json")
            code = status.HTTP_201_CREATED if outcome.created else status.HTTP_200_OK
            return JSONResponse(body, status_code=code)
