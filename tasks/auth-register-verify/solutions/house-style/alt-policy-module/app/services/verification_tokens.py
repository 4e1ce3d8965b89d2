"""Email verification tokens in the Token table: only their SHA-256 is stored."""

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.account_policy import VERIFICATION_TOKEN_LIFETIME
from app.core.clock import utcnow
from app.core.security import generate_token, hash_token
from app.models.token import TOKEN_KIND_EMAIL_VERIFICATION, Token


def _outstanding(token: Token) -> bool:
    return not token.revoked and token.used_at is None


class VerificationTokens:
    def __init__(self, db: Session) -> None:
        self.db = db

    def of_user(self, user_id: int) -> list[Token]:
        return list(
            self.db.scalars(
                select(Token).where(
                    Token.user_id == user_id, Token.kind == TOKEN_KIND_EMAIL_VERIFICATION
                )
            )
        )

    def issue(self, user_id: int) -> str:
        """Revoke the user's outstanding tokens, add a new one (uncommitted), return it raw."""
        for token in self.of_user(user_id):
            if _outstanding(token):
                token.revoked = True
        raw = generate_token()
        self.db.add(
            Token(
                user_id=user_id,
                kind=TOKEN_KIND_EMAIL_VERIFICATION,
                token_hash=hash_token(raw),
                expires_at=utcnow() + VERIFICATION_TOKEN_LIFETIME,
            )
        )
        return raw

    def usable(self, raw: str, now: datetime) -> Token | None:
        """The verification token with this raw value if it can still be used, else None."""
        token = self.db.scalars(select(Token).where(Token.token_hash == hash_token(raw))).first()
        if token is None or token.kind != TOKEN_KIND_EMAIL_VERIFICATION:
            return None
        if not _outstanding(token) or token.expires_at <= now:
            return None
        return token
