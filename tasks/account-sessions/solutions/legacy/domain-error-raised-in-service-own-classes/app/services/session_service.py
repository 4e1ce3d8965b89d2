"""Sessions: the live access tokens of a user, listed and signed out by their owner."""

from dataclasses import dataclass
from datetime import datetime
from typing import List, Optional

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from app.core.clock import utcnow
from app.core.security import hash_token
from app.models.token import TOKEN_KIND_ACCESS, Token

MAX_LISTED_SESSIONS = 20


class SessionNotFound(Exception):
    """The token is not one of the user's live sessions."""


@dataclass(frozen=True)
class SessionView:
    id: int
    created_at: datetime
    expires_at: datetime
    current: bool


def _live_access_tokens() -> Select:
    return select(Token).where(
        Token.kind == TOKEN_KIND_ACCESS,
        Token.revoked.is_(False),
        Token.expires_at > utcnow(),
    )


class SessionService:
    def __init__(self, db: Session) -> None:
        self.db = db

    def find_session(self, raw_token: str) -> Optional[Token]:
        return self.db.scalars(
            _live_access_tokens().where(Token.token_hash == hash_token(raw_token))
        ).first()

    def list_sessions(self, user_id: int, current_token_id: int) -> List[SessionView]:
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

    def revoke_session(self, user_id: int, token_id: int) -> None:
        """Revoke one of the user's sessions; raises SessionNotFound otherwise."""
        token = self.db.scalars(
            _live_access_tokens().where(Token.id == token_id, Token.user_id == user_id)
        ).first()
        if token is None:
            raise SessionNotFound(token_id)
        token.revoked = True
        self.db.commit()

    def revoke_other_sessions(self, user_id: int, current_token_id: int) -> int:
        tokens = self.db.scalars(
            _live_access_tokens().where(Token.user_id == user_id, Token.id != current_token_id)
        ).all()
        for token in tokens:
            token.revoked = True
        self.db.commit()
        return len(tokens)
