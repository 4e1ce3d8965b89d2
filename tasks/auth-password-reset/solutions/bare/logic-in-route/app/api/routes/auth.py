import logging
from datetime import timedelta

from fastapi import APIRouter, BackgroundTasks, Depends, HTTPException, Response, status
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.api.deps import get_db, get_email_sender
from app.core.clock import utcnow
from app.core.security import generate_token, hash_password, hash_token
from app.integrations.email import EmailDeliveryError, EmailSender
from app.models.token import TOKEN_KIND_PASSWORD_RESET, Token
from app.models.user import User
from app.schemas.password_reset import (
    PasswordResetAccepted,
    PasswordResetConfirmIn,
    PasswordResetRequestIn,
)

RESET_TOKEN_TTL = timedelta(minutes=30)
MIN_PASSWORD_LENGTH = 8
RESET_EMAIL_SUBJECT = "Reset your password"
RESET_EMAIL_BODY = (
    "Someone asked to reset the password of your account.\n"
    "Use this token to choose a new password (valid for {minutes} minutes, once):\n\ntoken: {token}\n\n"
    "If it was not you, ignore this email."
)

logger = logging.getLogger(__name__)

router = APIRouter(prefix="/auth", tags=["auth"])


async def send_reset_email(sender: EmailSender, email: str, raw_token: str) -> None:
    """Send the reset token; a delivery failure is logged, never shown to the requester."""
    try:
        await sender.send(
            to=email,
            subject=RESET_EMAIL_SUBJECT,
            body=RESET_EMAIL_BODY.format(
                token=raw_token, minutes=RESET_TOKEN_TTL // timedelta(minutes=1)
            ),
        )
    except EmailDeliveryError:
        logger.warning("password reset email to %s could not be delivered", email)


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
    user = db.scalars(select(User).where(User.email == body.email)).first()
    if user is None or not user.is_active:
        return PasswordResetAccepted()

    # Only the newest link works: revoke every outstanding reset token of the user.
    db.execute(
        update(Token)
        .where(
            Token.user_id == user.id,
            Token.kind == TOKEN_KIND_PASSWORD_RESET,
            Token.revoked.is_(False),
            Token.used_at.is_(None),
        )
        .values(revoked=True)
    )
    raw_token = generate_token()
    db.add(
        Token(
            user_id=user.id,
            kind=TOKEN_KIND_PASSWORD_RESET,
            token_hash=hash_token(raw_token),
            expires_at=utcnow() + RESET_TOKEN_TTL,
        )
    )
    db.commit()
    background_tasks.add_task(send_reset_email, sender, user.email, raw_token)
    return PasswordResetAccepted()


@router.post("/password-reset/confirm", status_code=status.HTTP_204_NO_CONTENT)
def confirm_password_reset(body: PasswordResetConfirmIn, db: Session = Depends(get_db)) -> Response:
    """Set a new password with a valid reset token, then revoke all the user's tokens."""
    if len(body.new_password) < MIN_PASSWORD_LENGTH:
        raise HTTPException(
            status_code=422,
            detail=f"the password must have at least {MIN_PASSWORD_LENGTH} characters",
        )
    now = utcnow()
    reset_token = db.scalars(
        select(Token).where(
            Token.token_hash == hash_token(body.token),
            Token.kind == TOKEN_KIND_PASSWORD_RESET,
            Token.revoked.is_(False),
            Token.used_at.is_(None),
            Token.expires_at > now,
        )
    ).first()
    if reset_token is None or not reset_token.user.is_active:
        raise HTTPException(status_code=400, detail="invalid_token")

    user = reset_token.user
    user.hashed_password = hash_password(body.new_password)
    reset_token.used_at = now
    # A password reset signs the user out everywhere.
    db.execute(
        update(Token).where(Token.user_id == user.id, Token.revoked.is_(False)).values(revoked=True)
    )
    db.commit()
    return Response(status_code=status.HTTP_204_NO_CONTENT)
