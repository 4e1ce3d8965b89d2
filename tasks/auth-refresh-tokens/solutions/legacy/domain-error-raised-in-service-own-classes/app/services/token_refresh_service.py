"""Refresh-token rotation with reuse detection.

Every refresh spends the presented refresh token and issues a new access + refresh pair. A
spent (revoked) refresh token that comes back was stolen or replayed: all of the user's
sessions are revoked.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.core.clock import utcnow
from app.core.config import get_settings
from app.core.security import generate_token, hash_token
from app.models.token import TOKEN_KIND_ACCESS, TOKEN_KIND_REFRESH, Token

REFRESH_TOKEN_TTL = timedelta(days=14)
SESSION_TOKEN_KINDS = (TOKEN_KIND_ACCESS, TOKEN_KIND_REFRESH)
SECONDS_PER_MINUTE = 60


class InvalidRefreshToken(Exception):
    """The refresh token is unknown, of another kind, reused, expired, or its user inactive."""


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    refresh_token: str
    expires_in: int  # access token lifetime, seconds


class TokenRefreshService:
    def __init__(self, db: Session) -> None:
        self.db = db

    def refresh(self, refresh_token: str) -> TokenPair:
        """Exchange a valid refresh token for a new pair; the presented one is spent.

        Raises InvalidRefreshToken when the token cannot be used (after committing the
        revocations when a spent token is reused).
        """
        token = self.db.scalars(
            select(Token).where(Token.token_hash == hash_token(refresh_token))
        ).first()
        if token is None or token.kind != TOKEN_KIND_REFRESH:
            raise InvalidRefreshToken("unknown refresh token")
        if token.revoked:
            self._revoke_sessions(token.user_id)
            self.db.commit()
            raise InvalidRefreshToken("refresh token reused")
        now = utcnow()
        if token.expires_at <= now or not token.user.is_active:
            raise InvalidRefreshToken("refresh token expired or user inactive")

        token.revoked = True
        token.used_at = now
        pair = self._issue_pair(token.user_id, now)
        self.db.commit()
        return pair

    def _revoke_sessions(self, user_id: int) -> None:
        self.db.execute(
            update(Token)
            .where(
                Token.user_id == user_id,
                Token.kind.in_(SESSION_TOKEN_KINDS),
                Token.revoked.is_(False),
            )
            .values(revoked=True)
        )

    def _issue_pair(self, user_id: int, now: datetime) -> TokenPair:
        access_minutes = get_settings().access_token_minutes
        access_token = self._add_token(
            user_id, TOKEN_KIND_ACCESS, now + timedelta(minutes=access_minutes)
        )
        refresh_token = self._add_token(user_id, TOKEN_KIND_REFRESH, now + REFRESH_TOKEN_TTL)
        return TokenPair(
            access_token=access_token,
            refresh_token=refresh_token,
            expires_in=access_minutes * SECONDS_PER_MINUTE,
        )

    def _add_token(self, user_id: int, kind: str, expires_at: datetime) -> str:
        raw_token = generate_token()
        self.db.add(
            Token(
                user_id=user_id, kind=kind, token_hash=hash_token(raw_token), expires_at=expires_at
            )
        )
        return raw_token
