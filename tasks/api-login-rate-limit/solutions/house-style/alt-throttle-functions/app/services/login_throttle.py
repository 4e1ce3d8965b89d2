"""Throttling of password logins, as plain functions over the `login_attempts` table."""

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models.login_attempt import LoginAttempt

MAX_ATTEMPTS_PER_WINDOW = 5
THROTTLE_WINDOW = timedelta(minutes=10)


@dataclass(frozen=True)
class ThrottleKey:
    ip_address: str
    email: str


def seconds_until_allowed(db: Session, key: ThrottleKey, now: datetime) -> int:
    """0 if the key may try now, else the Retry-After: whole seconds, rounded up, until the
    oldest attempt of the window has left it (at least 1)."""
    count, oldest = db.execute(
        select(func.count(LoginAttempt.id), func.min(LoginAttempt.attempted_at)).where(
            LoginAttempt.ip_address == key.ip_address,
            LoginAttempt.email == key.email,
            LoginAttempt.attempted_at > now - THROTTLE_WINDOW,
        )
    ).one()
    if count < MAX_ATTEMPTS_PER_WINDOW:
        return 0
    return max(1, math.ceil((oldest + THROTTLE_WINDOW - now).total_seconds()))


def log_attempt(db: Session, key: ThrottleKey, succeeded: bool, now: datetime) -> None:
    db.add(
        LoginAttempt(
            email=key.email, ip_address=key.ip_address, succeeded=succeeded, attempted_at=now
        )
    )
