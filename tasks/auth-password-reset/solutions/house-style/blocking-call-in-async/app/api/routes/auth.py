from fastapi import APIRouter, Depends, Response, status
from sqlalchemy.orm import Session

from app.api.deps import get_db, get_email_sender
from app.api.errors import unwrap
from app.integrations.email import EmailSender
from app.schemas.password_reset import (
    PasswordResetAccepted,
    PasswordResetConfirmIn,
    PasswordResetRequestIn,
)
from app.services.password_reset_service import PasswordResetService

router = APIRouter(prefix="/auth", tags=["auth"])


@router.post(
    "/password-reset/request",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=PasswordResetAccepted,
)
async def request_password_reset(
    body: PasswordResetRequestIn,
    db: Session = Depends(get_db),
    sender: EmailSender = Depends(get_email_sender),
) -> PasswordResetAccepted:
    unwrap(await PasswordResetService(db).request_reset(body.email, sender))
    return PasswordResetAccepted()


@router.post("/password-reset/confirm", status_code=status.HTTP_204_NO_CONTENT)
def confirm_password_reset(body: PasswordResetConfirmIn, db: Session = Depends(get_db)) -> Response:
    unwrap(PasswordResetService(db).confirm_reset(body.token, body.new_password))
    return Response(status_code=status.HTTP_204_NO_CONTENT)
