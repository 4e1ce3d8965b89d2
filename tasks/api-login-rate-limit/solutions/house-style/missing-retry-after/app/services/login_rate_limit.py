"""Login rate limiting, kept in the database so that every API worker sees the same counts.

At most LOGIN_ATTEMPT_LIMIT attempts per (client IP, normalized email) in a sliding window
of LOGIN_ATTEMPT_WINDOW.
"""

from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.core.result import Result, failure, success
from app.domain.exceptions import RateLimitedError
from app.models.login_attempt import LoginAttempt

LOGIN_ATTEMPT_LIMIT = 5
LOGIN_ATTEMPT_WINDOW = timedelta(minutes=10)


class LoginRateLimiter:
    def __init__(self, db: Session) -> None:
        self.db = db

    def check(self, email: str, ip_address: str, now: datetime) -> Result[None, RateLimitedError]:
        recent = self.db.scalar(
            select(func.count(LoginAttempt.id)).where(
                LoginAttempt.ip_address == ip_address,
                LoginAttempt.email == email,
                LoginAttempt.attempted_at > now - LOGIN_ATTEMPT_WINDOW,
            )
        )
        if (recent or 0) >= LOGIN_ATTEMPT_LIMIT:
            return failure(RateLimitedError())
        return success(None)

    def record(self, email: str, ip_address: str, succeeded: bool, now: datetime) -> None:
        """Add the attempt to the session; the caller commits."""
        self.db.add(
            LoginAttempt(email=email, ip_address=ip_address, succeeded=succeeded, attempted_at=now)
        )
