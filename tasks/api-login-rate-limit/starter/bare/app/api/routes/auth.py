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

router = APIRouter(prefix="/auth", tags=["auth"])


def normalize_email(email: str) -> str:
    """The form emails are stored and compared in: surrounding spaces removed, lowercase."""
    return email.strip().lower()


@router.post("/login", response_model=TokenOut)
def login(credentials: LoginIn, db: Session = Depends(get_db)) -> TokenOut:
    """Exchange email + password for a bearer access token (401 / 403 on failure)."""
    email = normalize_email(credentials.email)
    user = db.scalars(select(User).where(User.email == email)).first()
    if user is None or not verify_password(credentials.password, user.hashed_password):
        raise HTTPException(status_code=401, detail="invalid_credentials")
    if not user.is_active:
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
    db.commit()
    return TokenOut(access_token=raw_token, expires_in=minutes * SECONDS_PER_MINUTE)
