"""Authentication: password login with lockout, refresh-token rotation, logout."""

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from app.core.clock import utcnow
from app.core.result import Result, failure, success
from app.core.security import verify_password
from app.domain.exceptions import (
    AccountLockedError,
    InvalidCredentialsError,
    InvalidTokenError,
    PermissionDeniedError,
)
from app.models.token import TOKEN_KIND_ACCESS, TOKEN_KIND_REFRESH
from app.models.user import User
from app.services.account_rules import find_user_by_email, normalize_email
from app.services.token_service import TokenPair, TokenService

MAX_FAILED_LOGIN_ATTEMPTS = 5
LOCKOUT_DURATION = timedelta(minutes=15)

LoginError = InvalidCredentialsError | AccountLockedError | PermissionDeniedError


class AuthService:
    def __init__(self, db: Session) -> None:
        self.db = db
        self.tokens = TokenService(db)

    def login(self, email: str, password: str) -> Result[TokenPair, LoginError]:
        """Password login. Five consecutive failures lock the account for 15 minutes."""
        user = find_user_by_email(self.db, normalize_email(email))
        if user is None:
            return failure(InvalidCredentialsError())
        now = utcnow()
        if user.locked_until is not None and user.locked_until > now:
            return failure(AccountLockedError())
        if not verify_password(password, user.hashed_password):
            self._record_failed_login(user, now)
            self.db.commit()
            return failure(InvalidCredentialsError())
        if not user.is_active:
            return failure(PermissionDeniedError())

        user.failed_login_attempts = 0
        user.locked_until = None
        pair = self.tokens.issue_pair(user)
        self.db.commit()
        return success(pair)

    def refresh(
        self, refresh_token: str
    ) -> Result[TokenPair, InvalidTokenError | PermissionDeniedError]:
        """Rotate a refresh token: the old one is spent, a new access + refresh pair issued."""
        token = self.tokens.find_usable(refresh_token, TOKEN_KIND_REFRESH)
        if token is None:
            return failure(InvalidTokenError())
        user = self.db.get(User, token.user_id)
        if user is None:
            return failure(InvalidTokenError())
        if not user.is_active:
            return failure(PermissionDeniedError())

        token.used_at = utcnow()
        token.revoked = True
        pair = self.tokens.issue_pair(user)
        self.db.commit()
        return success(pair)

    def logout(self, access_token: str) -> Result[None, InvalidTokenError]:
        """Revoke the access token the request was made with (other sessions stay)."""
        token = self.tokens.find_usable(access_token, TOKEN_KIND_ACCESS)
        if token is None:
            return failure(InvalidTokenError())
        token.revoked = True
        self.db.commit()
        return success(None)

    @staticmethod
    def _record_failed_login(user: User, now: datetime) -> None:
        # A lock that has expired starts a fresh series of attempts.
        previous = 0 if user.locked_until is not None else user.failed_login_attempts
        user.failed_login_attempts = previous + 1
        user.locked_until = None
        if user.failed_login_attempts >= MAX_FAILED_LOGIN_ATTEMPTS:
            user.locked_until = now + LOCKOUT_DURATION
