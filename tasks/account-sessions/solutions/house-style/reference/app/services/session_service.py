"""Sessions: the live access tokens of a user, listed and signed out by their owner."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from app.core.clock import utcnow
from app.core.result import Result, failure, success
from app.core.security import hash_token
from app.domain.exceptions import InvalidCredentialsError, NotFoundError
from app.models.token import TOKEN_KIND_ACCESS, Token

MAX_LISTED_SESSIONS = 20


@dataclass(frozen=True)
class SessionView:
    id: int
    created_at: datetime
    expires_at: datetime
    current: bool


def _live_access_tokens() -> Select[tuple[Token]]:
    return select(Token).where(
        Token.kind == TOKEN_KIND_ACCESS,
        Token.revoked.is_(False),
        Token.expires_at > utcnow(),
    )


class SessionService:
    def __init__(self, db: Session) -> None:
        self.db = db

    def find_session(self, raw_token: str) -> Result[Token, InvalidCredentialsError]:
        """The session a raw bearer token belongs to."""
        token = self.db.scalars(
            _live_access_tokens().where(Token.token_hash == hash_token(raw_token))
        ).first()
        if token is None:
            return failure(InvalidCredentialsError())
        return success(token)

    def list_sessions(self, user_id: int, current_token_id: int) -> list[SessionView]:
        tokens = self.db.scalars(
            _live_access_tokens()
            .where(Token.user_id == user_id)
            .order_by(Token.created_at.desc(), Token.id.desc())
            .limit(MAX_LISTED_SESSIONS)
        )
        return [
            SessionView(
                id=token.id,
                created_at=token.created_at,
                expires_at=token.expires_at,
                current=token.id == current_token_id,
            )
            for token in tokens
        ]

    def revoke_session(self, user_id: int, token_id: int) -> Result[Token, NotFoundError]:
        token = self.db.scalars(
            _live_access_tokens().where(Token.id == token_id, Token.user_id == user_id)
        ).first()
        if token is None:
            # Someone else's token is "not found" too: token ids of other users stay hidden.
            return failure(NotFoundError())
        token.revoked = True
        self.db.commit()
        return success(token)

    def revoke_other_sessions(self, user_id: int, current_token_id: int) -> int:
        """Revoke every session of the user but the current one; how many were revoked."""
        tokens = self.db.scalars(
            _live_access_tokens().where(Token.user_id == user_id, Token.id != current_token_id)
        ).all()
        for token in tokens:
            token.revoked = True
        self.db.commit()
        return len(tokens)
