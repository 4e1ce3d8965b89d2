"""The `tokens` table as the other services need it. Never commits."""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from app.core.clock import utcnow
from app.core.config import get_settings
from app.core.result import Result, failure, success
from app.core.security import generate_token, hash_token
from app.domain.exceptions import NotFoundError
from app.models.token import TOKEN_KIND_ACCESS, TOKEN_KIND_REFRESH, Token
from app.models.user import User

REFRESH_LIFETIME = timedelta(days=14)
SESSION_KINDS = frozenset({TOKEN_KIND_ACCESS, TOKEN_KIND_REFRESH})


@dataclass(frozen=True)
class IssuedSession:
    access_token: str
    refresh_token: str
    expires_in: int


class TokenStore:
    def __init__(self, db: Session) -> None:
        self.db = db

    def create(self, user_id: int, kind: str, lifetime: timedelta) -> str:
        raw = generate_token()
        self.db.add(
            Token(
                user_id=user_id,
                kind=kind,
                token_hash=hash_token(raw),
                expires_at=utcnow() + lifetime,
            )
        )
        return raw

    def open_session(self, user: User) -> IssuedSession:
        minutes = get_settings().access_token_minutes
        return IssuedSession(
            access_token=self.create(user.id, TOKEN_KIND_ACCESS, timedelta(minutes=minutes)),
            refresh_token=self.create(user.id, TOKEN_KIND_REFRESH, REFRESH_LIFETIME),
            expires_in=minutes * 60,
        )

    def lookup(self, raw: str, kind: str) -> Token | None:
        """A usable token: right kind, not revoked, not used, not expired."""
        return self.db.scalars(
            self._live().where(Token.token_hash == hash_token(raw), Token.kind == kind)
        ).first()

    def revoke_unused(
        self, user_id: int, kinds: Collection[str], except_id: int | None = None
    ) -> None:
        query = select(Token).where(
            Token.user_id == user_id,
            Token.kind.in_(list(kinds)),
            Token.revoked.is_(False),
            Token.used_at.is_(None),
        )
        for token in self.db.scalars(query):
            if token.id != except_id:
                token.revoked = True

    def live_sessions(self, user_id: int) -> list[Token]:
        query = self._live().where(Token.user_id == user_id, Token.kind.in_(SESSION_KINDS))
        return list(self.db.scalars(query.order_by(Token.id)))

    def revoke_session(self, user_id: int, token_id: int) -> Result[None, NotFoundError]:
        token = next((t for t in self.live_sessions(user_id) if t.id == token_id), None)
        if token is None:
            return failure(NotFoundError("token not found"))
        token.revoked = True
        self.db.commit()
        return success(None)

    @staticmethod
    def _live() -> Select[tuple[Token]]:
        return select(Token).where(
            Token.revoked.is_(False), Token.used_at.is_(None), Token.expires_at > utcnow()
        )
