from datetime import timedelta

from fastapi import APIRouter, Depends, HTTPException
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.api.deps import get_db
from app.core.clock import utcnow
from app.core.config import get_settings
from app.core.security import generate_token, hash_token, verify_password
from app.models.token import TOKEN_KIND_ACCESS, Token
from app.models.user import User
from app.schemas.auth import LoginIn, TokenOut

SECONDS_PER_MINUTE = 60
MAX_FAILED_LOGIN_ATTEMPTS = 5
LOCKOUT_DURATION = timedelta(minutes=15)

router = APIRouter(prefix="/auth", tags=["auth"])


@router.post("/login", response_model=TokenOut)
def login(credentials: LoginIn, db: Session = Depends(get_db)) -> TokenOut:
    """Exchange email + password for a bearer access token (401 / 403 / 423 on failure)."""
    user = db.scalars(select(User).where(User.email == credentials.email)).first()
    if user is None:
        raise HTTPException(status_code=401, detail="invalid_credentials")
    now = utcnow()
    if user.locked_until is not None and user.locked_until > now:
        raise HTTPException(status_code=423, detail="account_locked")
    if not verify_password(credentials.password, user.hashed_password):
        # A lock that has expired starts a fresh series of attempts.
        previous = 0 if user.locked_until is not None else user.failed_login_attempts
        user.failed_login_attempts = previous + 1
        user.locked_until = None
        if user.failed_login_attempts >= MAX_FAILED_LOGIN_ATTEMPTS:
            user.locked_until = now + LOCKOUT_DURATION
        db.commit()
        raise HTTPException(status_code=401, detail="invalid_credentials")
    if not user.is_active:
        raise HTTPException(status_code=403, detail="forbidden")

    user.failed_login_attempts = 0
    user.locked_until = None
    minutes = get_settings().access_token_minutes
    raw_token = generate_token()
    db.add(
        Token(
            user_id=user.id,
            kind=TOKEN_KIND_ACCESS,
            token_hash=hash_token(raw_token),
            expires_at=now + timedelta(minutes=minutes),
        )
    )
    db.commit()
    return TokenOut(access_token=raw_token, expires_in=minutes * SECONDS_PER_MINUTE)
