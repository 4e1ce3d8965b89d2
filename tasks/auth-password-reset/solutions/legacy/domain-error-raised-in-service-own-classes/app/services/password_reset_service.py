"""Password reset: issue single-use emailed tokens, and set a new password with one."""

from dataclasses import dataclass
from datetime import timedelta
from typing import Optional

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.core.clock import utcnow
from app.core.security import generate_token, hash_password, hash_token
from app.models.token import TOKEN_KIND_PASSWORD_RESET, Token
from app.models.user import User

RESET_TOKEN_TTL = timedelta(minutes=30)
MIN_PASSWORD_LENGTH = 8


class PasswordTooShort(Exception):
    """The new password has fewer than MIN_PASSWORD_LENGTH characters."""


class InvalidResetToken(Exception):
    """Unknown, expired, revoked or used reset token, or its user is inactive."""


@dataclass(frozen=True)
class ResetTicket:
    """What the reset email needs: the recipient and the raw (never stored) token."""

    email: str
    raw_token: str


class PasswordResetService:
    def __init__(self, db: Session) -> None:
        self.db = db

    def request_reset(self, email: str) -> Optional[ResetTicket]:
        """Issue a reset token for an active user; None when there is nobody to email."""
        user = self.db.scalars(select(User).where(User.email == email)).first()
        if user is None or not user.is_active:
            return None
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
        return ResetTicket(email=user.email, raw_token=raw_token)

    def confirm_reset(self, token: str, new_password: str) -> None:
        """Set a new password with a valid reset token, then revoke all the user's tokens.

        Raises PasswordTooShort or InvalidResetToken.
        """
        if len(new_password) < MIN_PASSWORD_LENGTH:
            raise PasswordTooShort(
                f"the password must have at least {MIN_PASSWORD_LENGTH} characters"
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
            raise InvalidResetToken()

        user = reset_token.user
        user.hashed_password = hash_password(new_password)
        reset_token.used_at = now
        self.db.execute(
            update(Token)
            .where(Token.user_id == user.id, Token.revoked.is_(False))
            .values(revoked=True)
        )
        self.db.commit()
