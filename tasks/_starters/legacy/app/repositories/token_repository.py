from typing import Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.clock import utcnow
from app.models.token import Token


class TokenRepository:
    def __init__(self, db: Session) -> None:
        self.db = db

    def get(self, token_id: int) -> Optional[Token]:
        return self.db.get(Token, token_id)

    def get_by_hash(self, token_hash: str) -> Optional[Token]:
        return self.db.scalars(select(Token).where(Token.token_hash == token_hash)).first()

    def get_valid(self, token_hash: str, kind: str) -> Optional[Token]:
        return self.db.scalars(
            select(Token).where(
                Token.token_hash == token_hash,
                Token.kind == kind,
                Token.revoked.is_(False),
                Token.expires_at > utcnow(),
            )
        ).first()

    def list_for_user(self, user_id: int, kind: Optional[str] = None) -> list[Token]:
        query = select(Token).where(Token.user_id == user_id)
        if kind is not None:
            query = query.where(Token.kind == kind)
        return list(self.db.scalars(query.order_by(Token.id)))

    def add(self, token: Token) -> Token:
        self.db.add(token)
        self.db.flush()
        return token
