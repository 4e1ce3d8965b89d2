"""Password login with a lockout after repeated consecutive failures."""

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.clock import utcnow
from app.core.security import verify_password
from app.models.user import User
from app.services.token_service import IssuedToken, TokenService

MAX_FAILED_LOGIN_ATTEMPTS = 5
LOCKOUT_DURATION = timedelta(minutes=15)


class LoginError(Exception):
    """A refused login."""


class InvalidCredentials(LoginError):
    """Unknown email or wrong password (deliberately indistinguishable)."""


class AccountLocked(LoginError):
    """Too many consecutive failures; the account is locked for a while."""


class AccountInactive(LoginError):
    """The password is right but the account has been deactivated."""


class LoginService:
    def __init__(self, db: Session) -> None:
        self.db = db

    def login(self, email: str, password: str) -> IssuedToken:
        """Check the credentials and issue an access token; raise a LoginError otherwise."""
        user = self.db.scalars(select(User).where(User.email == email)).first()
        if user is None:
            raise InvalidCredentials()
        now = utcnow()
        if user.locked_until is not None and user.locked_until > now:
            raise AccountLocked()
        if not verify_password(password, user.hashed_password):
            self._record_failure(user, now)
            self.db.commit()
            raise InvalidCredentials()
        if not user.is_active:
            raise AccountInactive()

        user.failed_login_attempts = 0
        user.locked_until = None
        issued = TokenService(self.db).issue_access_token(user)
        self.db.commit()
        return issued

    @staticmethod
    def _record_failure(user: User, now: datetime) -> None:
        # A lock that has expired starts a fresh series of attempts.
        previous = 0 if user.locked_until is not None else user.failed_login_attempts
        user.failed_login_attempts = previous + 1
        user.locked_until = None
        if user.failed_login_attempts >= MAX_FAILED_LOGIN_ATTEMPTS:
            user.locked_until = now + LOCKOUT_DURATION
