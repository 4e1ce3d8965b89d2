from fastapi import APIRouter, BackgroundTasks, Depends, Header, Response, status
from sqlalchemy.orm import Session

from app.api.deps import get_current_user, get_db, get_email_sender
from app.api.errors import unwrap
from app.integrations.email import EmailSender
from app.models.token import Token
from app.models.user import User
from app.schemas.auth import (
    AcceptedOut,
    EmailVerificationIn,
    LoginIn,
    PasswordChangeIn,
    PasswordResetConfirmIn,
    PasswordResetRequestIn,
    RefreshIn,
    RegisterIn,
    SessionTokenOut,
    TokenPairOut,
)
from app.schemas.user import UserOut
from app.services.account_rules import normalize_email
from app.services.account_service import AccountService
from app.services.auth_service import AuthService
from app.services.email_verification_service import EmailVerificationService
from app.services.registration_service import RegistrationService
from app.services.token_service import TokenPair

router = APIRouter(prefix="/auth", tags=["auth"])

VERIFY_SUBJECT = "Confirm your email address"
RESET_SUBJECT = "Reset your password"


def bearer_token(authorization: str | None = Header(None)) -> str:
    """The raw token of `Authorization: Bearer <token>` (validated by get_current_user)."""
    _, _, raw_token = (authorization or "").partition(" ")
    return raw_token.strip()


def _token_pair_out(pair: TokenPair) -> TokenPairOut:
    return TokenPairOut(
        access_token=pair.access_token,
        refresh_token=pair.refresh_token,
        expires_in=pair.expires_in,
    )


@router.post("/register", response_model=UserOut, status_code=status.HTTP_201_CREATED)
def register(
    payload: RegisterIn,
    background: BackgroundTasks,
    db: Session = Depends(get_db),
    sender: EmailSender = Depends(get_email_sender),
) -> User:
    registration = unwrap(
        RegistrationService(db).register(payload.email, payload.password, payload.full_name)
    )
    background.add_task(
        sender.send,
        registration.user.email,
        VERIFY_SUBJECT,
        f"Your verification code: {registration.verification_token}",
    )
    return registration.user


@router.post("/login", response_model=TokenPairOut)
def login(payload: LoginIn, db: Session = Depends(get_db)) -> TokenPairOut:
    return _token_pair_out(unwrap(AuthService(db).login(payload.email, payload.password)))


@router.post("/refresh", response_model=TokenPairOut)
def refresh(payload: RefreshIn, db: Session = Depends(get_db)) -> TokenPairOut:
    return _token_pair_out(unwrap(AuthService(db).refresh(payload.refresh_token)))


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT)
def logout(
    _user: User = Depends(get_current_user),
    raw_token: str = Depends(bearer_token),
    db: Session = Depends(get_db),
) -> Response:
    unwrap(AuthService(db).logout(raw_token))
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/tokens", response_model=list[SessionTokenOut])
def list_tokens(
    current_user: User = Depends(get_current_user), db: Session = Depends(get_db)
) -> list[Token]:
    return AccountService(db).list_tokens(current_user.id)


@router.delete("/tokens/{token_id}", status_code=status.HTTP_204_NO_CONTENT)
def revoke_token(
    token_id: int,
    current_user: User = Depends(get_current_user),
    db: Session = Depends(get_db),
) -> Response:
    unwrap(AccountService(db).revoke_token(current_user.id, token_id))
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/password/change", status_code=status.HTTP_204_NO_CONTENT)
def change_password(
    payload: PasswordChangeIn,
    current_user: User = Depends(get_current_user),
    raw_token: str = Depends(bearer_token),
    db: Session = Depends(get_db),
) -> Response:
    unwrap(
        AccountService(db).change_password(
            current_user, payload.current_password, payload.new_password, raw_token
        )
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/password-reset/request", response_model=AcceptedOut, status_code=status.HTTP_202_ACCEPTED
)
def request_password_reset(
    payload: PasswordResetRequestIn,
    background: BackgroundTasks,
    db: Session = Depends(get_db),
    sender: EmailSender = Depends(get_email_sender),
) -> AcceptedOut:
    raw_token = AccountService(db).request_password_reset(payload.email)
    if raw_token is not None:
        background.add_task(
            sender.send,
            normalize_email(payload.email),
            RESET_SUBJECT,
            f"Your reset code: {raw_token}",
        )
    return AcceptedOut()


@router.post("/password-reset/confirm", status_code=status.HTTP_204_NO_CONTENT)
def confirm_password_reset(
    payload: PasswordResetConfirmIn, db: Session = Depends(get_db)
) -> Response:
    unwrap(AccountService(db).reset_password(payload.token, payload.new_password))
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/verify-email/request", response_model=AcceptedOut, status_code=status.HTTP_202_ACCEPTED
)
def request_email_verification(
    background: BackgroundTasks,
    current_user: User = Depends(get_current_user),
    db: Session = Depends(get_db),
    sender: EmailSender = Depends(get_email_sender),
) -> AcceptedOut:
    raw_token = unwrap(EmailVerificationService(db).request_verification(current_user))
    background.add_task(
        sender.send, current_user.email, VERIFY_SUBJECT, f"Your verification code: {raw_token}"
    )
    return AcceptedOut()


@router.post("/verify-email", response_model=UserOut)
def verify_email(payload: EmailVerificationIn, db: Session = Depends(get_db)) -> User:
    return unwrap(EmailVerificationService(db).verify(payload.token))
