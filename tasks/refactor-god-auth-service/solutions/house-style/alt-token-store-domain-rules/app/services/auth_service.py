"""Authentication only: who you are (login with lockout), staying signed in, signing out."""

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.clock import utcnow
from app.core.result import Result, failure, success
from app.core.security import verify_password
from app.domain.accounts import canonical_email
from app.domain.exceptions import (
    AccountLockedError,
    InvalidCredentialsError,
    InvalidTokenError,
    PermissionDeniedError,
)
from app.models.token import TOKEN_KIND_ACCESS, TOKEN_KIND_REFRESH
from app.models.user import User
from app.services.token_store import IssuedSession, TokenStore

LOCK_AFTER_FAILURES = 5
LOCK_FOR = timedelta(minutes=15)

LoginFailure = InvalidCredentialsError | AccountLockedError | PermissionDeniedError


class AuthService:
    def __init__(self, db: Session) -> None:
        self.db = db
        self.store = TokenStore(db)

    def login(self, email: str, password: str) -> Result[IssuedSession, LoginFailure]:
        user = self.db.scalars(select(User).where(User.email == canonical_email(email))).first()
        if user is None:
            return failure(InvalidCredentialsError())
        now = utcnow()
        lock = user.locked_until
        if lock is not None and lock > now:
            return failure(AccountLockedError())
        if not verify_password(password, user.hashed_password):
            # An expired lock means this failure starts a new series.
            series = 0 if lock is not None else user.failed_login_attempts
            user.failed_login_attempts = series + 1
            locks = user.failed_login_attempts >= LOCK_AFTER_FAILURES
            user.locked_until = now + LOCK_FOR if locks else None
            self.db.commit()
            return failure(InvalidCredentialsError())
        if not user.is_active:
            return failure(PermissionDeniedError())
        user.failed_login_attempts, user.locked_until = 0, None
        issued = self.store.open_session(user)
        self.db.commit()
        return success(issued)

    def refresh(
        self, refresh_token: str
    ) -> Result[IssuedSession, InvalidTokenError | PermissionDeniedError]:
        token = self.store.lookup(refresh_token, TOKEN_KIND_REFRESH)
        user = self.db.get(User, token.user_id) if token is not None else None
        if token is None or user is None:
            return failure(InvalidTokenError())
        if not user.is_active:
            return failure(PermissionDeniedError())
        token.used_at, token.revoked = utcnow(), True
        issued = self.store.open_session(user)
        self.db.commit()
        return success(issued)

    def logout(self, access_token: str) -> Result[None, InvalidTokenError]:
        token = self.store.lookup(access_token, TOKEN_KIND_ACCESS)
        if token is None:
            return failure(InvalidTokenError())
        token.revoked = True
        self.db.commit()
        return success(None)
