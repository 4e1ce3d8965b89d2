"""Forgot-password flow: the emailed single-use token, and setting the new password."""

import logging
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.clock import utcnow
from app.core.password_policy import is_acceptable_password
from app.core.result import Result, failure, success
from app.core.security import generate_token, hash_password, hash_token
from app.domain.exceptions import DomainError, InvalidTokenError, ValidationFailedError
from app.integrations.email import EmailDeliveryError, EmailSender
from app.models.token import TOKEN_KIND_PASSWORD_RESET, Token
from app.models.user import User

RESET_LINK_LIFETIME = timedelta(minutes=30)
SUBJECT = "Reset your password"

log = logging.getLogger(__name__)


def _usable(token: Token | None, now: datetime) -> bool:
    return (
        token is not None
        and token.kind == TOKEN_KIND_PASSWORD_RESET
        and not token.revoked
        and token.used_at is None
        and token.expires_at > now
        and token.user.is_active
    )


class PasswordResetService:
    def __init__(self, db: Session) -> None:
        self.db = db

    async def request_reset(self, email: str, sender: EmailSender) -> Result[None, DomainError]:
        """Email a fresh reset token to an active account; the same success for anyone else."""
        user = self.db.scalars(select(User).where(User.email == email)).first()
        if user is None or not user.is_active:
            return success(None)
        for old in self._live_tokens(user.id, TOKEN_KIND_PASSWORD_RESET):
            old.revoked = True
        raw = generate_token()
        self.db.add(
            Token(
                user_id=user.id,
                kind=TOKEN_KIND_PASSWORD_RESET,
                token_hash=hash_token(raw),
                expires_at=utcnow() + RESET_LINK_LIFETIME,
            )
        )
        self.db.commit()
        try:
            await sender.send(user.email, SUBJECT, f"Your password reset token: {raw}")
        except EmailDeliveryError:
            log.exception("could not deliver the password reset email")
        return success(None)

    def confirm_reset(
        self, token: str, new_password: str
    ) -> Result[None, ValidationFailedError | InvalidTokenError]:
        if not is_acceptable_password(new_password):
            return failure(ValidationFailedError())
        now = utcnow()
        row = self.db.scalars(select(Token).where(Token.token_hash == hash_token(token))).first()
        if not _usable(row, now):
            return failure(InvalidTokenError())
        row.user.hashed_password = hash_password(new_password)
        row.used_at = now
        for live in self._live_tokens(row.user_id):
            live.revoked = True
        self.db.commit()
        return success(None)

    def _live_tokens(self, user_id: int, kind: str | None = None) -> list[Token]:
        query = select(Token).where(Token.user_id == user_id, Token.revoked.is_(False))
        if kind is not None:
            query = query.where(Token.kind == kind, Token.used_at.is_(None))
        return list(self.db.scalars(query))
