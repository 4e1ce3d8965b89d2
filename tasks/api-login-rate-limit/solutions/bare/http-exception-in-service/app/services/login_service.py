"""Password login: email + password in, an access token out, rate limited per client and email."""

import math
from datetime import datetime, timedelta

from fastapi import HTTPException
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.clock import utcnow
from app.core.config import get_settings
from app.core.security import generate_token, hash_token, verify_password
from app.models.login_attempt import LoginAttempt
from app.models.token import TOKEN_KIND_ACCESS, Token
from app.models.user import User
from app.schemas.auth import TokenOut

LOGIN_ATTEMPT_LIMIT = 5
LOGIN_ATTEMPT_WINDOW = timedelta(minutes=10)
SECONDS_PER_MINUTE = 60


def normalize_email(email: str) -> str:
    """The form emails are stored and compared in: surrounding spaces removed, lowercase."""
    return email.strip().lower()


class LoginService:
    def __init__(self, db: Session) -> None:
        self.db = db

    def login(self, email: str, password: str, ip_address: str) -> TokenOut:
        email = normalize_email(email)
        now = utcnow()
        self._check_rate_limit(email, ip_address, now)

        user = self.db.scalars(select(User).where(User.email == email)).first()
        if user is None or not verify_password(password, user.hashed_password):
            self._record_attempt(email, ip_address, succeeded=False, now=now)
            raise HTTPException(status_code=401, detail="invalid_credentials")
        if not user.is_active:
            self._record_attempt(email, ip_address, succeeded=False, now=now)
            raise HTTPException(status_code=403, detail="forbidden")

        minutes = get_settings().access_token_minutes
        raw_token = generate_token()
        self.db.add(
            Token(
                user_id=user.id,
                kind=TOKEN_KIND_ACCESS,
                token_hash=hash_token(raw_token),
                expires_at=now + timedelta(minutes=minutes),
            )
        )
        self._record_attempt(email, ip_address, succeeded=True, now=now)
        return TokenOut(access_token=raw_token, expires_in=minutes * SECONDS_PER_MINUTE)

    def _check_rate_limit(self, email: str, ip_address: str, now: datetime) -> None:
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
                status_code=429,
                detail="rate_limited",
                headers={"Retry-After": str(max(1, math.ceil(remaining)))},
            )

    def _record_attempt(self, email: str, ip_address: str, succeeded: bool, now: datetime) -> None:
        self.db.add(
            LoginAttempt(email=email, ip_address=ip_address, succeeded=succeeded, attempted_at=now)
        )
        self.db.commit()
