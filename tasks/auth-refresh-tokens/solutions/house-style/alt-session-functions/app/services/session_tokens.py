"""Minting and revoking a user's session tokens (access and refresh)."""

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.security import generate_token, hash_token
from app.models.token import TOKEN_KIND_ACCESS, TOKEN_KIND_REFRESH, Token

SESSION_KINDS = (TOKEN_KIND_ACCESS, TOKEN_KIND_REFRESH)


def mint(db: Session, user_id: int, kind: str, expires_at: datetime) -> str:
    """Add a token row (hash only) and return the raw token; the caller commits."""
    raw = generate_token()
    db.add(Token(user_id=user_id, kind=kind, token_hash=hash_token(raw), expires_at=expires_at))
    return raw


def revoke_all_sessions(db: Session, user_id: int) -> int:
    """Revoke every live access and refresh token of the user; the caller commits."""
    live = db.scalars(
        select(Token).where(
            Token.user_id == user_id,
            Token.kind.in_(SESSION_KINDS),
            Token.revoked.is_(False),
        )
    ).all()
    for token in live:
        token.revoked = True
    return len(live)
