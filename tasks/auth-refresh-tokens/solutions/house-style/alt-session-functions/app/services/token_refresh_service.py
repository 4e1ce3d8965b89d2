"""POST /auth/token/refresh behind the API: rotation plus replay (reuse) detection."""

from datetime import timedelta
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.clock import utcnow
from app.core.config import get_settings
from app.core.result import Result, failure, success
from app.core.security import hash_token
from app.domain.exceptions import InvalidCredentialsError
from app.models.token import TOKEN_KIND_ACCESS, TOKEN_KIND_REFRESH, Token
from app.services.session_tokens import mint, revoke_all_sessions

REFRESH_TOKEN_LIFETIME = timedelta(weeks=2)


class RefreshedSession(NamedTuple):
    access_token: str
    refresh_token: str
    expires_in: int


class TokenRefreshService:
    def __init__(self, db: Session) -> None:
        self.db = db

    def refresh(self, refresh_token: str) -> Result[RefreshedSession, InvalidCredentialsError]:
        presented = self.db.scalar(
            select(Token).where(
                Token.token_hash == hash_token(refresh_token),
                Token.kind == TOKEN_KIND_REFRESH,
            )
        )
        if presented is None:
            return failure(InvalidCredentialsError())
        if presented.revoked:
            # A spent refresh token came back: whoever holds the family is not to be trusted.
            revoke_all_sessions(self.db, presented.user_id)
            self.db.commit()
            return failure(InvalidCredentialsError())
        now = utcnow()
        if not presented.expires_at > now or not presented.user.is_active:
            return failure(InvalidCredentialsError())

        presented.revoked = True
        presented.used_at = now
        access_lifetime = timedelta(minutes=get_settings().access_token_minutes)
        session = RefreshedSession(
            access_token=mint(self.db, presented.user_id, TOKEN_KIND_ACCESS, now + access_lifetime),
            refresh_token=mint(
                self.db, presented.user_id, TOKEN_KIND_REFRESH, now + REFRESH_TOKEN_LIFETIME
            ),
            expires_in=int(access_lifetime.total_seconds()),
        )
        self.db.commit()
        return success(session)
