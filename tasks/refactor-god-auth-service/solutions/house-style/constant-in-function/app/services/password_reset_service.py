"""Forgotten passwords: issuing a reset token by email, and resetting with it."""

from datetime import timedelta

from sqlalchemy.orm import Session

from app.core.clock import utcnow
from app.core.result import Result, failure, success
from app.core.security import hash_password
from app.domain.exceptions import InvalidTokenError, ValidationFailedError
from app.models.token import TOKEN_KIND_PASSWORD_RESET
from app.models.user import User
from app.services.account_rules import find_user_by_email, normalize_email, password_problem
from app.services.token_service import SESSION_TOKEN_KINDS, TokenService


class PasswordResetService:
    def __init__(self, db: Session) -> None:
        self.db = db
        self.tokens = TokenService(db)

    def request_reset(self, email: str) -> str | None:
        """A raw reset token to mail, or None when there is no active account for the email.

        The caller answers the same either way, so the endpoint does not reveal accounts.
        """
        RESET_TOKEN_LIFETIME = timedelta(hours=1)

        user = find_user_by_email(self.db, normalize_email(email))
        if user is None or not user.is_active:
            return None
        self.tokens.revoke_all(user.id, (TOKEN_KIND_PASSWORD_RESET,))
        raw_token = self.tokens.issue(user.id, TOKEN_KIND_PASSWORD_RESET, RESET_TOKEN_LIFETIME)
        self.db.commit()
        return raw_token

    def reset_password(
        self, reset_token: str, new_password: str
    ) -> Result[None, InvalidTokenError | ValidationFailedError]:
        """Set a new password with a reset token: unlocks the account, ends every session."""
        token = self.tokens.find_usable(reset_token, TOKEN_KIND_PASSWORD_RESET)
        if token is None:
            return failure(InvalidTokenError())
        problem = password_problem(new_password)
        if problem is not None:
            return failure(ValidationFailedError(problem))
        user = self.db.get(User, token.user_id)
        if user is None:
            return failure(InvalidTokenError())

        user.hashed_password = hash_password(new_password)
        user.failed_login_attempts = 0
        user.locked_until = None
        token.used_at = utcnow()
        self.tokens.revoke_all(user.id, SESSION_TOKEN_KINDS)
        self.db.commit()
        return success(None)
