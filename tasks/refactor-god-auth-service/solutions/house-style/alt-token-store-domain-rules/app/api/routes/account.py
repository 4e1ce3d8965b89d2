"""Account lifecycle under /auth: sign-up, passwords, email verification."""

from fastapi import APIRouter, BackgroundTasks, Depends, Response, status
from sqlalchemy.orm import Session

from app.api.deps import get_current_user, get_db, get_email_sender
from app.api.errors import unwrap
from app.api.routes.auth import bearer_token
from app.domain.accounts import canonical_email
from app.integrations.email import EmailSender
from app.models.user import User
from app.schemas.auth import (
    AcceptedOut,
    EmailVerificationIn,
    PasswordChangeIn,
    PasswordResetConfirmIn,
    PasswordResetRequestIn,
    RegisterIn,
)
from app.schemas.user import UserOut
from app.services.account_service import AccountService
from app.services.email_verification_service import EmailVerificationService
from app.services.password_service import PasswordService

router = APIRouter(prefix="/auth", tags=["account"])

VERIFY_SUBJECT = "Confirm your email address"
RESET_SUBJECT = "Reset your password"
NO_CONTENT = status.HTTP_204_NO_CONTENT


@router.post("/register", response_model=UserOut, status_code=status.HTTP_201_CREATED)
def register(
    payload: RegisterIn,
    background: BackgroundTasks,
    db: Session = Depends(get_db),
    sender: EmailSender = Depends(get_email_sender),
) -> User:
    account = unwrap(
        AccountService(db).register(payload.email, payload.password, payload.full_name)
    )
    background.add_task(
        sender.send,
        account.user.email,
        VERIFY_SUBJECT,
        f"Your verification code: {account.verification_token}",
    )
    return account.user


@router.post("/password/change", status_code=NO_CONTENT)
def change_password(
    payload: PasswordChangeIn,
    current_user: User = Depends(get_current_user),
    raw_token: str = Depends(bearer_token),
    db: Session = Depends(get_db),
) -> Response:
    service = PasswordService(db)
    unwrap(service.change(current_user, payload.current_password, payload.new_password, raw_token))
    return Response(status_code=NO_CONTENT)


@router.post(
    "/password-reset/request", response_model=AcceptedOut, status_code=status.HTTP_202_ACCEPTED
)
def request_password_reset(
    payload: PasswordResetRequestIn,
    background: BackgroundTasks,
    db: Session = Depends(get_db),
    sender: EmailSender = Depends(get_email_sender),
) -> AcceptedOut:
    raw = PasswordService(db).start_reset(payload.email)
    if raw is not None:
        background.add_task(
            sender.send, canonical_email(payload.email), RESET_SUBJECT, f"Your reset code: {raw}"
        )
    return AcceptedOut()


@router.post("/password-reset/confirm", status_code=NO_CONTENT)
def confirm_password_reset(
    payload: PasswordResetConfirmIn, db: Session = Depends(get_db)
) -> Response:
    unwrap(PasswordService(db).finish_reset(payload.token, payload.new_password))
    return Response(status_code=NO_CONTENT)


@router.post(
    "/verify-email/request", response_model=AcceptedOut, status_code=status.HTTP_202_ACCEPTED
)
def request_email_verification(
    background: BackgroundTasks,
    current_user: User = Depends(get_current_user),
    db: Session = Depends(get_db),
    sender: EmailSender = Depends(get_email_sender),
) -> AcceptedOut:
    raw = unwrap(EmailVerificationService(db).request(current_user))
    background.add_task(
        sender.send, current_user.email, VERIFY_SUBJECT, f"Your verification code: {raw}"
    )
    return AcceptedOut()


@router.post("/verify-email", response_model=UserOut)
def verify_email(payload: EmailVerificationIn, db: Session = Depends(get_db)) -> User:
    return unwrap(EmailVerificationService(db).confirm(payload.token))
