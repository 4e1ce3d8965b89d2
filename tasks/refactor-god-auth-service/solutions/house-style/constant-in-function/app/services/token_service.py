"""Opaque tokens: issuing (only the hash is stored), finding a usable one, revoking."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.clock import utcnow
from app.core.config import get_settings
from app.core.security import generate_token, hash_token
from app.models.token import TOKEN_KIND_ACCESS, TOKEN_KIND_REFRESH, Token
from app.models.user import User

REFRESH_TOKEN_LIFETIME = timedelta(days=14)
SECONDS_PER_MINUTE = 60
SESSION_TOKEN_KINDS = (TOKEN_KIND_ACCESS, TOKEN_KIND_REFRESH)


@dataclass(frozen=True)
class TokenPair:
    """What a login or a refresh hands to the client (raw tokens, returned once)."""

    access_token: str
    refresh_token: str
    expires_in: int  # seconds until the access token expires


class TokenService:
    """Token rows for other services; it never commits (the calling service does)."""

    def __init__(self, db: Session) -> None:
        self.db = db

    def issue(self, user_id: int, kind: str, lifetime: timedelta) -> str:
        """Store the hash of a new token; return the raw token (shown to the client once)."""
        raw_token = generate_token()
        self.db.add(
            Token(
                user_id=user_id,
                kind=kind,
                token_hash=hash_token(raw_token),
                expires_at=utcnow() + lifetime,
            )
        )
        return raw_token

    def issue_pair(self, user: User) -> TokenPair:
        """A new access token (configured lifetime) and refresh token for `user`."""
        minutes = get_settings().access_token_minutes
        access = self.issue(user.id, TOKEN_KIND_ACCESS, timedelta(minutes=minutes))
        refresh = self.issue(user.id, TOKEN_KIND_REFRESH, REFRESH_TOKEN_LIFETIME)
        return TokenPair(
            access_token=access, refresh_token=refresh, expires_in=minutes * SECONDS_PER_MINUTE
        )

    def find_usable(self, raw_token: str, kind: str) -> Token | None:
        """The unrevoked, unused, unexpired token of `kind` whose hash matches, if any."""
        return self.db.scalars(
            select(Token).where(
                Token.token_hash == hash_token(raw_token),
                Token.kind == kind,
                Token.revoked.is_(False),
                Token.used_at.is_(None),
                Token.expires_at > utcnow(),
            )
        ).first()

    def revoke_all(
        self, user_id: int, kinds: Iterable[str], keep_token_id: int | None = None
    ) -> int:
        """Revoke the user's unrevoked, unused tokens of `kinds`, except `keep_token_id`."""
        tokens = self.db.scalars(
            select(Token).where(
                Token.user_id == user_id,
                Token.kind.in_(tuple(kinds)),
                Token.revoked.is_(False),
                Token.used_at.is_(None),
            )
        ).all()
        revoked = 0
        for token in tokens:
            if token.id == keep_token_id:
                continue
            token.revoked = True
            revoked += 1
        return revoked
