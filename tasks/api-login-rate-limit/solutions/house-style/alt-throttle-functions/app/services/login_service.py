"""Password login: email + password in, an access token out; throttled per client and email."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.clock import utcnow
from app.core.result import Result, Success, failure, success
from app.core.security import verify_password
from app.domain.exceptions import InvalidCredentialsError, PermissionDeniedError
from app.domain.login_throttle import LoginThrottledError
from app.models.user import User
from app.services import login_throttle
from app.services.token_service import IssuedToken, TokenService

LoginError = InvalidCredentialsError | PermissionDeniedError | LoginThrottledError


def normalize_email(email: str) -> str:
    """The form emails are stored and compared in: surrounding spaces removed, lowercase."""
    return email.strip().lower()


class LoginService:
    def __init__(self, db: Session) -> None:
        self.db = db

    def login(self, email: str, password: str, ip_address: str) -> Result[IssuedToken, LoginError]:
        now = utcnow()
        key = login_throttle.ThrottleKey(ip_address=ip_address, email=normalize_email(email))
        wait = login_throttle.seconds_until_allowed(self.db, key, now)
        if wait:
            return failure(LoginThrottledError(wait))

        outcome = self._verify(key.email, password)
        login_throttle.log_attempt(self.db, key, isinstance(outcome, Success), now)
        self.db.commit()
        return outcome

    def _verify(self, email: str, password: str) -> Result[IssuedToken, LoginError]:
        user = self.db.scalars(select(User).where(User.email == email)).first()
        if user is None or not verify_password(password, user.hashed_password):
            return failure(InvalidCredentialsError())
        if not user.is_active:
            return failure(PermissionDeniedError())
        return success(TokenService(self.db).issue_access_token(user))
