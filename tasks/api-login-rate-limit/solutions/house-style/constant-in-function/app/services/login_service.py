"""Password login: email + password in, an access token out, rate limited per client and email."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.clock import utcnow
from app.core.result import Failure, Result, Success, failure, success
from app.core.security import verify_password
from app.domain.exceptions import InvalidCredentialsError, PermissionDeniedError, RateLimitedError
from app.models.user import User
from app.services.login_rate_limit import LoginRateLimiter
from app.services.token_service import IssuedToken, TokenService

LoginError = InvalidCredentialsError | PermissionDeniedError | RateLimitedError


def normalize_email(email: str) -> str:
    """The form emails are stored and compared in: surrounding spaces removed, lowercase."""
    return email.strip().lower()


class LoginService:
    def __init__(self, db: Session) -> None:
        self.db = db

    def login(self, email: str, password: str, ip_address: str) -> Result[IssuedToken, LoginError]:
        """Limit first; then record the attempt that got past it, whatever its outcome."""
        email = normalize_email(email)
        now = utcnow()
        limiter = LoginRateLimiter(self.db)
        allowed = limiter.check(email, ip_address, now)
        if isinstance(allowed, Failure):
            return allowed
        result = self._authenticate(email, password)
        limiter.record(email, ip_address, succeeded=isinstance(result, Success), now=now)
        self.db.commit()
        return result

    def _authenticate(
        self, email: str, password: str
    ) -> Result[IssuedToken, InvalidCredentialsError | PermissionDeniedError]:
        user = self.db.scalars(select(User).where(User.email == email)).first()
        if user is None or not verify_password(password, user.hashed_password):
            return failure(InvalidCredentialsError())
        if not user.is_active:
            return failure(PermissionDeniedError())
        return success(TokenService(self.db).issue_access_token(user))
