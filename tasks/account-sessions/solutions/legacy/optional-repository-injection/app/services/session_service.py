"""Sessions: the live access tokens of a user, listed and signed out by their owner."""

from dataclasses import dataclass
from datetime import datetime
from typing import List, Optional

from sqlalchemy.orm import Session

from app.core.clock import utcnow
from app.core.result import Result, failure, success
from app.core.security import hash_token
from app.domain.exceptions import InvalidCredentialsError, NotFoundError
from app.models.token import TOKEN_KIND_ACCESS, Token
from app.repositories.token_repository import TokenRepository

MAX_LISTED_SESSIONS = 20


@dataclass(frozen=True)
class SessionView:
    id: int
    created_at: datetime
    expires_at: datetime
    current: bool


class SessionService:
    def __init__(self, db: Session, tokens: Optional[TokenRepository] = None) -> None:
        self.db = db
        self.tokens = tokens or TokenRepository(db)

    def find_session(self, raw_token: str) -> Result[Token, InvalidCredentialsError]:
        """The session a raw bearer token belongs to."""
        token = self.tokens.get_valid(hash_token(raw_token), TOKEN_KIND_ACCESS)
        if token is None:
            return failure(InvalidCredentialsError())
        return success(token)

    def list_sessions(self, user_id: int, current_token_id: int) -> List[SessionView]:
        newest_first = sorted(
            self._live_sessions(user_id), key=lambda t: (t.created_at, t.id), reverse=True
        )
        return [
            SessionView(
                id=token.id,
                created_at=token.created_at,
                expires_at=token.expires_at,
                current=token.id == current_token_id,
            )
            for token in newest_first[:MAX_LISTED_SESSIONS]
        ]

    def revoke_session(self, user_id: int, token_id: int) -> Result[Token, NotFoundError]:
        token = next((t for t in self._live_sessions(user_id) if t.id == token_id), None)
        if token is None:
            return failure(NotFoundError())
        token.revoked = True
        self.db.commit()
        return success(token)

    def revoke_other_sessions(self, user_id: int, current_token_id: int) -> int:
        others = [t for t in self._live_sessions(user_id) if t.id != current_token_id]
        for token in others:
            token.revoked = True
        self.db.commit()
        return len(others)

    def _live_sessions(self, user_id: int) -> List[Token]:
        now = utcnow()
        return [
            token
            for token in self.tokens.list_for_user(user_id, TOKEN_KIND_ACCESS)
            if not token.revoked and token.expires_at > now
        ]
