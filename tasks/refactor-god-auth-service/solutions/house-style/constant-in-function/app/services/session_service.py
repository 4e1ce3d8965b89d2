"""A user's live sessions (access and refresh tokens): listing and revoking one."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.clock import utcnow
from app.core.result import Result, failure, success
from app.domain.exceptions import NotFoundError
from app.models.token import Token
from app.services.token_service import SESSION_TOKEN_KINDS

TOKEN_NOT_FOUND = "token not found"


class SessionService:
    def __init__(self, db: Session) -> None:
        self.db = db

    def list_tokens(self, user_id: int) -> list[Token]:
        """Unrevoked, unused, unexpired access and refresh tokens of the user, by id."""
        return list(
            self.db.scalars(
                select(Token)
                .where(
                    Token.user_id == user_id,
                    Token.kind.in_(SESSION_TOKEN_KINDS),
                    Token.revoked.is_(False),
                    Token.used_at.is_(None),
                    Token.expires_at > utcnow(),
                )
                .order_by(Token.id)
            )
        )

    def revoke_token(self, user_id: int, token_id: int) -> Result[None, NotFoundError]:
        """Revoke one of the user's live sessions; anything else is "not found"."""
        token = self.db.get(Token, token_id)
        if token is None or not self._is_live_session_of(token, user_id):
            return failure(NotFoundError(TOKEN_NOT_FOUND))
        token.revoked = True
        self.db.commit()
        return success(None)

    @staticmethod
    def _is_live_session_of(token: Token, user_id: int) -> bool:
        return (
            token.user_id == user_id
            and token.kind in SESSION_TOKEN_KINDS
            and not token.revoked
            and token.used_at is None
            and token.expires_at > utcnow()
        )
