"""Login rate limiting, kept in the database so that every API worker sees the same counts."""

import math
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.result import Result, failure, success
from app.domain.exceptions import RateLimitedError
from app.models.login_attempt import LoginAttempt


class LoginRateLimiter:
    def __init__(self, db: Session) -> None:
        self.db = db

    def check(self, email: str, ip_address: str, now: datetime) -> Result[None, RateLimitedError]:
        """failure(RateLimitedError(retry_after=...)) once the key used up its attempts."""
        MAX_ATTEMPTS = 5
        WINDOW = timedelta(minutes=10)

        attempt_times = list(
            self.db.scalars(
                select(LoginAttempt.attempted_at)
                .where(
                    LoginAttempt.ip_address == ip_address,
                    LoginAttempt.email == email,
                    LoginAttempt.attempted_at > now - WINDOW,
                )
                .order_by(LoginAttempt.attempted_at)
            )
        )
        if len(attempt_times) < MAX_ATTEMPTS:
            return success(None)
        remaining = (attempt_times[0] + WINDOW - now).total_seconds()
        return failure(RateLimitedError(retry_after=max(1, math.ceil(remaining))))

    def record(self, email: str, ip_address: str, succeeded: bool, now: datetime) -> None:
        """Add the attempt to the session; the caller commits."""
        self.db.add(
            LoginAttempt(email=email, ip_address=ip_address, succeeded=succeeded, attempted_at=now)
        )
