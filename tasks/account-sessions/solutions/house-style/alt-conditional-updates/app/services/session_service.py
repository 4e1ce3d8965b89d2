"""Signed-in sessions (live access tokens), changed with conditional UPDATE statements."""

from sqlalchemy import ColumnElement, and_, select, update
from sqlalchemy.orm import Session

from app.core.clock import utcnow
from app.core.result import Result, failure, success
from app.core.security import hash_token
from app.domain.exceptions import NotFoundError
from app.models.token import TOKEN_KIND_ACCESS, Token

SESSION_LIST_LIMIT = 20


def _is_session_of(user_id: int) -> ColumnElement[bool]:
    return and_(
        Token.user_id == user_id,
        Token.kind == TOKEN_KIND_ACCESS,
        Token.revoked.is_(False),
        Token.expires_at > utcnow(),
    )


class SessionService:
    def __init__(self, db: Session) -> None:
        self.db = db

    def current_session_id(self, user_id: int, raw_token: str) -> Result[int, NotFoundError]:
        token_id = self.db.scalar(
            select(Token.id).where(
                _is_session_of(user_id), Token.token_hash == hash_token(raw_token)
            )
        )
        return failure(NotFoundError()) if token_id is None else success(token_id)

    def list_sessions(self, user_id: int, current_token_id: int) -> list[tuple[Token, bool]]:
        tokens = self.db.scalars(
            select(Token)
            .where(_is_session_of(user_id))
            .order_by(Token.created_at.desc(), Token.id.desc())
            .limit(SESSION_LIST_LIMIT)
        )
        return [(token, token.id == current_token_id) for token in tokens]

    def revoke_session(self, user_id: int, token_id: int) -> Result[int, NotFoundError]:
        changed = self.db.execute(
            update(Token).where(_is_session_of(user_id), Token.id == token_id).values(revoked=True)
        )
        if changed.rowcount != 1:
            self.db.rollback()
            return failure(NotFoundError())
        self.db.commit()
        return success(token_id)

    def revoke_other_sessions(self, user_id: int, current_token_id: int) -> int:
        changed = self.db.execute(
            update(Token)
            .where(_is_session_of(user_id), Token.id != current_token_id)
            .values(revoked=True)
        )
        self.db.commit()
        return changed.rowcount
