"""Password reset: issue single-use emailed tokens, and set a new password with one."""

from dataclasses import dataclass
from datetime import timedelta
from typing import Optional

from sqlalchemy.orm import Session

from app.core.clock import utcnow
from app.core.result import Result, failure, success
from app.core.security import generate_token, hash_password, hash_token
from app.domain.exceptions import DomainError, InvalidTokenError, ValidationFailedError
from app.models.token import TOKEN_KIND_PASSWORD_RESET, Token
from app.repositories.token_repository import TokenRepository
from app.repositories.user_repository import UserRepository

RESET_TOKEN_TTL = timedelta(minutes=30)
MIN_PASSWORD_LENGTH = 8

ConfirmError = ValidationFailedError | InvalidTokenError


@dataclass(frozen=True)
class ResetTicket:
    """What the reset email needs: the recipient and the raw (never stored) token."""

    email: str
    raw_token: str


class PasswordResetService:
    def __init__(
        self,
        db: Session,
        users: Optional[UserRepository] = None,
        tokens: Optional[TokenRepository] = None,
    ) -> None:
        self.db = db
        self.users = users or UserRepository(db)
        self.tokens = tokens or TokenRepository(db)

    def request_reset(self, email: str) -> Result[ResetTicket | None, DomainError]:
        """Issue a reset token for an active user; `success(None)` when there is nobody to
        email. Never a failure: callers must not be able to tell the two cases apart."""
        user = self.users.get_by_email(email)
        if user is None or not user.is_active:
            return success(None)
        for outstanding in self.tokens.list_for_user(user.id, kind=TOKEN_KIND_PASSWORD_RESET):
            if not outstanding.revoked and outstanding.used_at is None:
                outstanding.revoked = True
        raw_token = generate_token()
        self.tokens.add(
            Token(
                user_id=user.id,
                kind=TOKEN_KIND_PASSWORD_RESET,
                token_hash=hash_token(raw_token),
                expires_at=utcnow() + RESET_TOKEN_TTL,
            )
        )
        self.db.commit()
        return success(ResetTicket(email=user.email, raw_token=raw_token))

    def confirm_reset(self, token: str, new_password: str) -> Result[None, ConfirmError]:
        """Set a new password with a valid reset token, then revoke all the user's tokens."""
        if len(new_password) < MIN_PASSWORD_LENGTH:
            return failure(
                ValidationFailedError(
                    f"the password must have at least {MIN_PASSWORD_LENGTH} characters"
                )
            )
        reset_token = self.tokens.get_valid(hash_token(token), TOKEN_KIND_PASSWORD_RESET)
        if reset_token is None or reset_token.used_at is not None:
            return failure(InvalidTokenError())
        user = self.users.get(reset_token.user_id)
        if user is None or not user.is_active:
            return failure(InvalidTokenError())

        user.hashed_password = hash_password(new_password)
        reset_token.used_at = utcnow()
        for session_token in self.tokens.list_for_user(user.id):
            if not session_token.revoked:
                session_token.revoked = True
        self.db.commit()
        return success(None)
