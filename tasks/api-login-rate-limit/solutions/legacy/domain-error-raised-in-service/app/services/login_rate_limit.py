"""Login rate limiting, kept in the database so that every API worker sees the same counts."""

import math
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models.login_attempt import LoginAttempt

LOGIN_ATTEMPT_LIMIT = 5
LOGIN_ATTEMPT_WINDOW = timedelta(minutes=10)
MIN_RETRY_AFTER_SECONDS = 1


class LoginRateLimited(Exception):
    """The key used up its attempts; `retry_after` is the wait in whole seconds."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"rate limited, retry after {retry_after}s")
        self.retry_after = retry_after


class LoginRateLimiter:
    def __init__(self, db: Session) -> None:
        self.db = db

    def check(self, email: str, ip_address: str, now: datetime) -> None:
        """Raise LoginRateLimited once the key used up its attempts."""
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
        if len(attempt_times) >= LOGIN_ATTEMPT_LIMIT:
            remaining = (attempt_times[0] + LOGIN_ATTEMPT_WINDOW - now).total_seconds()
            raise LoginRateLimited(max(MIN_RETRY_AFTER_SECONDS, math.ceil(remaining)))

    def record(self, email: str, ip_address: str, succeeded: bool, now: datetime) -> None:
        """Add the attempt to the session; the caller commits."""
        self.db.add(
            LoginAttempt(email=email, ip_address=ip_address, succeeded=succeeded, attempted_at=now)
        )
