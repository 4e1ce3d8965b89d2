"""Login rate limiting, kept in the database so that every API worker sees the same counts."""

import math
from datetime import datetime, timedelta

from fastapi import HTTPException, status
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models.login_attempt import LoginAttempt

LOGIN_ATTEMPT_LIMIT = 5
LOGIN_ATTEMPT_WINDOW = timedelta(minutes=10)


class LoginRateLimiter:
    def __init__(self, db: Session) -> None:
        self.db = db

    def check(self, email: str, ip_address: str, now: datetime) -> None:
        """Raise 429 with Retry-After once the key used up its attempts."""
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
            raise HTTPException(
                status_code=status.HTTP_429_TOO_MANY_REQUESTS,
                detail="rate_limited",
                headers={"Retry-After": str(max(1, math.ceil(remaining)))},
            )

    def record(self, email: str, ip_address: str, succeeded: bool, now: datetime) -> None:
        """Add the attempt to the session; the caller commits."""
        self.db.add(
            LoginAttempt(email=email, ip_address=ip_address, succeeded=succeeded, attempted_at=now)
        )
