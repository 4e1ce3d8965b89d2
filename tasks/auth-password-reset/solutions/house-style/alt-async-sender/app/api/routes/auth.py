from fastapi import APIRouter, Depends, Response
from sqlalchemy.orm import Session

from app.api.deps import get_db, get_email_sender
from app.api.errors import raise_for
from app.core.result import Failure
from app.integrations.email import EmailSender
from app.schemas.auth import AcceptedOut, ForgotPasswordIn, ResetPasswordIn
from app.services.password_reset_service import PasswordResetService

router = APIRouter(prefix="/auth", tags=["auth"])


@router.post("/password-reset/request", status_code=202, response_model=AcceptedOut)
async def forgot_password(
    payload: ForgotPasswordIn,
    db: Session = Depends(get_db),
    sender: EmailSender = Depends(get_email_sender),
) -> AcceptedOut:
    await PasswordResetService(db).request_reset(payload.email, sender)
    return AcceptedOut()


@router.post("/password-reset/confirm", status_code=204, response_class=Response)
def reset_password(payload: ResetPasswordIn, db: Session = Depends(get_db)) -> None:
    result = PasswordResetService(db).confirm_reset(payload.token, payload.new_password)
    if isinstance(result, Failure):
        raise_for(result.error)
