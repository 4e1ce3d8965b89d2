"""Password reset: issue single-use emailed tokens, and set a new password with one."""

import logging
import time
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.core.clock import utcnow
from app.core.result import Result, failure, success
from app.core.security import generate_token, hash_password, hash_token
from app.domain.exceptions import DomainError, InvalidTokenError, ValidationFailedError
from app.integrations.email import EmailDeliveryError, EmailSender
from app.models.token import TOKEN_KIND_PASSWORD_RESET, Token
from app.models.user import User

RESET_TOKEN_TTL = timedelta(minutes=30)
MIN_PASSWORD_LENGTH = 8
# Answering unknown emails instantly would tell them apart from real accounts (timing).
UNKNOWN_EMAIL_DELAY_SECONDS = 0.05
RESET_EMAIL_SUBJECT = "Reset your password"

logger = logging.getLogger(__name__)

ConfirmError = ValidationFailedError | InvalidTokenError


class PasswordResetService:
    def __init__(self, db: Session) -> None:
        self.db = db

    async def request_reset(self, email: str, sender: EmailSender) -> Result[None, DomainError]:
        """Email a reset token to an active user; always a success (no user enumeration)."""
        user = self.db.scalars(select(User).where(User.email == email)).first()
        if user is None or not user.is_active:
            time.sleep(UNKNOWN_EMAIL_DELAY_SECONDS)
            return success(None)
        self.db.execute(
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
        self.db.add(
            Token(
                user_id=user.id,
                kind=TOKEN_KIND_PASSWORD_RESET,
                token_hash=hash_token(raw_token),
                expires_at=utcnow() + RESET_TOKEN_TTL,
            )
        )
        self.db.commit()
        try:
            await sender.send(
                to=user.email, subject=RESET_EMAIL_SUBJECT, body=f"Your reset token: {raw_token}"
            )
        except EmailDeliveryError:
            logger.warning("password reset email to %s could not be delivered", user.email)
        return success(None)

    def confirm_reset(self, token: str, new_password: str) -> Result[None, ConfirmError]:
        """Set a new password with a valid reset token, then revoke all the user's tokens."""
        if len(new_password) < MIN_PASSWORD_LENGTH:
            return failure(
                ValidationFailedError(
                    f"the password must have at least {MIN_PASSWORD_LENGTH} characters"
                )
            )
        now = utcnow()
        reset_token = self.db.scalars(
            select(Token).where(
                Token.token_hash == hash_token(token),
                Token.kind == TOKEN_KIND_PASSWORD_RESET,
                Token.revoked.is_(False),
                Token.used_at.is_(None),
                Token.expires_at > now,
            )
        ).first()
        if reset_token is None or not reset_token.user.is_active:
            return failure(InvalidTokenError())

        user = reset_token.user
        user.hashed_password = hash_password(new_password)
        reset_token.used_at = now
        self.db.execute(
            update(Token)
            .where(Token.user_id == user.id, Token.revoked.is_(False))
            .values(revoked=True)
        )
        self.db.commit()
        return success(None)
