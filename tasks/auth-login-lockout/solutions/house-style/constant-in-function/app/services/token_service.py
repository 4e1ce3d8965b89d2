"""Issuing opaque access tokens: the client gets the raw token, the database only its hash."""

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.orm import Session

from app.core.clock import utcnow
from app.core.config import get_settings
from app.core.security import generate_token, hash_token
from app.models.token import TOKEN_KIND_ACCESS, Token
from app.models.user import User

SECONDS_PER_MINUTE = 60


@dataclass(frozen=True)
class IssuedToken:
    access_token: str
    expires_in: int  # seconds


class TokenService:
    def __init__(self, db: Session) -> None:
        self.db = db

    def issue_access_token(self, user: User) -> IssuedToken:
        """Add an access Token row for `user` (the caller commits) and return the raw token."""
        minutes = get_settings().access_token_minutes
        raw_token = generate_token()
        self.db.add(
            Token(
                user_id=user.id,
                kind=TOKEN_KIND_ACCESS,
                token_hash=hash_token(raw_token),
                expires_at=utcnow() + timedelta(minutes=minutes),
            )
        )
        return IssuedToken(access_token=raw_token, expires_in=minutes * SECONDS_PER_MINUTE)
