"""Login rate limiting, kept in the database so that every API worker sees the same counts.

At most LOGIN_ATTEMPT_LIMIT attempts per (client IP, normalized email) in a sliding window
of LOGIN_ATTEMPT_WINDOW. Each attempt that got past the limiter is a `LoginAttempt` row.
"""

import math
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.result import Result, failure, success
from app.domain.exceptions import RateLimitedError
from app.models.login_attempt import LoginAttempt

LOGIN_ATTEMPT_LIMIT = 5
LOGIN_ATTEMPT_WINDOW = timedelta(minutes=10)
MIN_RETRY_AFTER_SECONDS = 1


def retry_after_seconds(oldest_attempt_at: datetime, now: datetime) -> int:
    """Whole seconds, rounded up, until the oldest counted attempt leaves the window."""
    remaining = (oldest_attempt_at + LOGIN_ATTEMPT_WINDOW - now).total_seconds()
    return max(MIN_RETRY_AFTER_SECONDS, math.ceil(remaining))


class LoginRateLimiter:
    def __init__(self, db: Session) -> None:
        self.db = db

    def check(self, email: str, ip_address: str, now: datetime) -> Result[None, RateLimitedError]:
        """failure(RateLimitedError(retry_after=...)) once the key used up its attempts."""
        attempt_times = list(
            self.db.scalars(
                select(LoginAttempt.attempted_at)
                .where(
                    LoginAttempt.ip_address == ip_address,
                    LoginAttempt.email == email,
                    LoginAttempt.attempted_at > now - LOGIN_ATTEMPT_WINDOW,
                )
                .order_by(LoginAttempt.attempted_at)
            )
        )
        if len(attempt_times) < LOGIN_ATTEMPT_LIMIT:
            return success(None)
        return failure(RateLimitedError(retry_after=retry_after_seconds(attempt_times[0], now)))

    def record(self, email: str, ip_address: str, succeeded: bool, now: datetime) -> None:
        """Add the attempt to the session; the caller commits."""
        self.db.add(
            LoginAttempt(email=email, ip_address=ip_address, succeeded=succeeded, attempted_at=now)
        )
