"""Password login with a lockout after repeated consecutive failures."""

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.clock import utcnow
from app.core.result import Result, failure, success
from app.core.security import verify_password
from app.domain.exceptions import AccountLockedError, InvalidCredentialsError, PermissionDeniedError
from app.models.user import User
from app.services.token_service import IssuedToken, TokenService

MAX_FAILED_LOGIN_ATTEMPTS = 5
LOCKOUT_DURATION = timedelta(minutes=15)

LoginError = InvalidCredentialsError | AccountLockedError | PermissionDeniedError


class LoginService:
    def __init__(self, db: Session) -> None:
        self.db = db

    def login(self, email: str, password: str) -> Result[IssuedToken, LoginError]:
        user = self.db.scalars(select(User).where(User.email == email)).first()
        if user is None:
            return failure(InvalidCredentialsError())
        now = utcnow()
        if user.locked_until is not None and user.locked_until > now:
            return failure(AccountLockedError())
        if not verify_password(password, user.hashed_password):
            self._record_failure(user, now)
            return failure(InvalidCredentialsError())
        if not user.is_active:
            return failure(PermissionDeniedError())

        user.failed_login_attempts = 0
        user.locked_until = None
        return success(TokenService(self.db).issue_access_token(user))

    @staticmethod
    def _record_failure(user: User, now: datetime) -> None:
        # A lock that has expired starts a fresh series of attempts.
        previous = 0 if user.locked_until is not None else user.failed_login_attempts
        user.failed_login_attempts = previous + 1
        user.locked_until = None
        if user.failed_login_attempts >= MAX_FAILED_LOGIN_ATTEMPTS:
            user.locked_until = now + LOCKOUT_DURATION
