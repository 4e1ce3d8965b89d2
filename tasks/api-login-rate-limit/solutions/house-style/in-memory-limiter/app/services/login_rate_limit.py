"""Login rate limiting: a sliding window per (client IP, normalized email), kept in memory
for speed (no query per login); LoginAttempt rows are written for auditing."""

import math
from collections import defaultdict, deque
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from app.core.result import Result, failure, success
from app.domain.exceptions import RateLimitedError
from app.models.login_attempt import LoginAttempt

LOGIN_ATTEMPT_LIMIT = 5
LOGIN_ATTEMPT_WINDOW = timedelta(minutes=10)
MIN_RETRY_AFTER_SECONDS = 1

_recent_attempts: defaultdict[tuple[str, str], deque[datetime]] = defaultdict(deque)


class LoginRateLimiter:
    def __init__(self, db: Session) -> None:
        self.db = db

    def check(self, email: str, ip_address: str, now: datetime) -> Result[None, RateLimitedError]:
        window = _recent_attempts[(ip_address, email)]
        while window and window[0] <= now - LOGIN_ATTEMPT_WINDOW:
            window.popleft()
        if len(window) < LOGIN_ATTEMPT_LIMIT:
            return success(None)
        remaining = (window[0] + LOGIN_ATTEMPT_WINDOW - now).total_seconds()
        return failure(
            RateLimitedError(retry_after=max(MIN_RETRY_AFTER_SECONDS, math.ceil(remaining)))
        )

    def record(self, email: str, ip_address: str, succeeded: bool, now: datetime) -> None:
        _recent_attempts[(ip_address, email)].append(now)
        self.db.add(
            LoginAttempt(email=email, ip_address=ip_address, succeeded=succeeded, attempted_at=now)
        )
