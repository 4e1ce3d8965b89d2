from fastapi import APIRouter, BackgroundTasks, Depends, HTTPException, Response, status
from sqlalchemy.orm import Session

from app.api.deps import get_db, get_email_sender
from app.integrations.email import EmailSender
from app.schemas.password_reset import (
    PasswordResetAccepted,
    PasswordResetConfirmIn,
    PasswordResetRequestIn,
)
from app.services.password_reset_email import send_reset_email
from app.services.password_reset_service import (
    InvalidResetToken,
    PasswordResetService,
    PasswordTooShort,
)

router = APIRouter(prefix="/auth", tags=["auth"])


@router.post(
    "/password-reset/request",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=PasswordResetAccepted,
)
def request_password_reset(
    body: PasswordResetRequestIn,
    background_tasks: BackgroundTasks,
    db: Session = Depends(get_db),
    sender: EmailSender = Depends(get_email_sender),
) -> PasswordResetAccepted:
    """Always 202: the answer never tells whether the email has an account."""
    ticket = PasswordResetService(db).request_reset(body.email)
    if ticket is not None:
        background_tasks.add_task(send_reset_email, sender, ticket)
    return PasswordResetAccepted()


@router.post("/password-reset/confirm", status_code=status.HTTP_204_NO_CONTENT)
def confirm_password_reset(body: PasswordResetConfirmIn, db: Session = Depends(get_db)) -> Response:
    try:
        PasswordResetService(db).confirm_reset(body.token, body.new_password)
    except PasswordTooShort as error:
        raise HTTPException(status_code=422, detail=str(error))
    except InvalidResetToken:
        raise HTTPException(status_code=status.HTTP_400_BAD_REQUEST, detail="invalid_token")
    return Response(status_code=status.HTTP_204_NO_CONTENT)
