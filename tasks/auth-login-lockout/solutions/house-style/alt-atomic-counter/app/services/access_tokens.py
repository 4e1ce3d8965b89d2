"""Opaque bearer access tokens: the raw value goes to the client, its hash to the database."""

from datetime import timedelta
from typing import NamedTuple

from sqlalchemy.orm import Session

from app.core.clock import utcnow
from app.core.config import get_settings
from app.core.security import generate_token, hash_token
from app.models.token import TOKEN_KIND_ACCESS, Token


class AccessGrant(NamedTuple):
    token: str
    lifetime_seconds: int


def grant_access(db: Session, user_id: int) -> AccessGrant:
    """Add an access Token row (not committed) and return the raw token with its lifetime."""
    lifetime = timedelta(minutes=get_settings().access_token_minutes)
    raw = generate_token()
    db.add(
        Token(
            user_id=user_id,
            kind=TOKEN_KIND_ACCESS,
            token_hash=hash_token(raw),
            expires_at=utcnow() + lifetime,
        )
    )
    return AccessGrant(token=raw, lifetime_seconds=int(lifetime.total_seconds()))
