from datetime import datetime, timedelta

from fastapi import APIRouter, Depends, HTTPException
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.api.deps import get_db
from app.core.clock import utcnow
from app.core.config import get_settings
from app.core.security import generate_token, hash_token
from app.models.token import TOKEN_KIND_ACCESS, TOKEN_KIND_REFRESH, Token
from app.schemas.auth import RefreshIn, TokenPairOut

REFRESH_TOKEN_TTL = timedelta(days=14)
SESSION_TOKEN_KINDS = (TOKEN_KIND_ACCESS, TOKEN_KIND_REFRESH)
SECONDS_PER_MINUTE = 60

router = APIRouter(prefix="/auth", tags=["auth"])


def _add_token(db: Session, user_id: int, kind: str, expires_at: datetime) -> str:
    """Add a token row (only its hash is stored) and return the raw token."""
    raw_token = generate_token()
    db.add(Token(user_id=user_id, kind=kind, token_hash=hash_token(raw_token), expires_at=expires_at))
    return raw_token


@router.post("/token/refresh", response_model=TokenPairOut)
def refresh_token(body: RefreshIn, db: Session = Depends(get_db)) -> TokenPairOut:
    """Rotate a refresh token into a new access + refresh pair (401 on any failure)."""
    token = db.scalars(select(Token).where(Token.token_hash == hash_token(body.refresh_token))).first()
    if token is None or token.kind != TOKEN_KIND_REFRESH:
        raise HTTPException(status_code=401, detail="invalid_credentials")
    if token.revoked:
        # A spent refresh token came back: stolen or replayed. Sign the user out everywhere.
        db.execute(
            update(Token)
            .where(
                Token.user_id == token.user_id,
                Token.kind.in_(SESSION_TOKEN_KINDS),
                Token.revoked.is_(False),
            )
            .values(revoked=True)
        )
        db.commit()
        raise HTTPException(status_code=401, detail="invalid_credentials")
    now = utcnow()
    if token.expires_at <= now or not token.user.is_active:
        raise HTTPException(status_code=401, detail="invalid_credentials")

    token.revoked = True
    token.used_at = now
    access_minutes = get_settings().access_token_minutes
    access_token = _add_token(db, token.user_id, TOKEN_KIND_ACCESS, now + timedelta(minutes=access_minutes))
    new_refresh_token = _add_token(db, token.user_id, TOKEN_KIND_REFRESH, now + REFRESH_TOKEN_TTL)
    db.commit()
    return TokenPairOut(
        access_token=access_token,
        refresh_token=new_refresh_token,
        expires_in=access_minutes * SECONDS_PER_MINUTE,
    )
