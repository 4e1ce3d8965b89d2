import math
from datetime import datetime, timedelta

from fastapi import APIRouter, Depends, HTTPException, Request
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.api.deps import get_db
from app.core.clock import utcnow
from app.core.config import get_settings
from app.core.security import generate_token, hash_token, verify_password
from app.models.login_attempt import LoginAttempt
from app.models.token import TOKEN_KIND_ACCESS, Token
from app.models.user import User
from app.schemas.auth import LoginIn, TokenOut
from app.schemas.common import ErrorOut

SECONDS_PER_MINUTE = 60
LOGIN_ATTEMPT_LIMIT = 5
LOGIN_ATTEMPT_WINDOW = timedelta(minutes=10)
MIN_RETRY_AFTER_SECONDS = 1
UNKNOWN_CLIENT = "unknown"

router = APIRouter(prefix="/auth", tags=["auth"])


def normalize_email(email: str) -> str:
    """The form emails are stored and compared in: surrounding spaces removed, lowercase."""
    return email.strip().lower()


def client_ip(request: Request) -> str:
    """The peer address of the connection. X-Forwarded-For is not trusted: no proxy sets it."""
    return request.client.host if request.client is not None else UNKNOWN_CLIENT


def retry_after_seconds(oldest_attempt_at: datetime, now: datetime) -> int:
    """Whole seconds, rounded up, until the oldest counted attempt leaves the window."""
    remaining = (oldest_attempt_at + LOGIN_ATTEMPT_WINDOW - now).total_seconds()
    return max(MIN_RETRY_AFTER_SECONDS, math.ceil(remaining))


@router.post(
    "/login",
    response_model=TokenOut,
    responses={429: {"model": ErrorOut, "description": "Too many attempts; see Retry-After"}},
)
def login(
    credentials: LoginIn,
    ip_address: str = Depends(client_ip),
    db: Session = Depends(get_db),
) -> TokenOut:
    """Exchange email + password for a bearer access token (401 / 403 / 429 on failure)."""
    email = normalize_email(credentials.email)
    now = utcnow()

    # At most LOGIN_ATTEMPT_LIMIT attempts per (client IP, email) in the sliding window,
    # checked before the credentials; a rejected request is not recorded.
    attempt_times = list(
        db.scalars(
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
        raise HTTPException(
            status_code=429,
            detail="rate_limited",
            headers={"Retry-After": str(retry_after_seconds(attempt_times[0], now))},
        )

    user = db.scalars(select(User).where(User.email == email)).first()
    if user is None or not verify_password(credentials.password, user.hashed_password):
        db.add(LoginAttempt(email=email, ip_address=ip_address, succeeded=False, attempted_at=now))
        db.commit()
        raise HTTPException(status_code=401, detail="invalid_credentials")
    if not user.is_active:
        db.add(LoginAttempt(email=email, ip_address=ip_address, succeeded=False, attempted_at=now))
        db.commit()
        raise HTTPException(status_code=403, detail="forbidden")

    minutes = get_settings().access_token_minutes
    raw_token = generate_token()
    db.add(
        Token(
            user_id=user.id,
            kind=TOKEN_KIND_ACCESS,
            token_hash=hash_token(raw_token),
            expires_at=utcnow() + timedelta(minutes=minutes),
        )
    )
    db.add(LoginAttempt(email=email, ip_address=ip_address, succeeded=True, attempted_at=now))
    db.commit()
    return TokenOut(access_token=raw_token, expires_in=minutes * SECONDS_PER_MINUTE)
