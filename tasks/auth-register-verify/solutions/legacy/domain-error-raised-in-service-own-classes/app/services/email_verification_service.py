"""Confirming an email address with a verification token."""

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.core.clock import utcnow
from app.core.security import hash_token
from app.models.token import TOKEN_KIND_EMAIL_VERIFICATION, Token
from app.models.user import User


class InvalidVerificationToken(Exception):
    """Unknown, expired, used, revoked or other-kind token (deliberately not told apart)."""


class EmailVerificationService:
    def __init__(self, db: Session) -> None:
        self.db = db

    def verify(self, token: str) -> User:
        """Mark the token's user verified and spend the token.

        Raises InvalidVerificationToken.
        """
        now = utcnow()
        verification = self.db.scalars(
            select(Token).where(
                Token.token_hash == hash_token(token),
                Token.kind == TOKEN_KIND_EMAIL_VERIFICATION,
                Token.revoked.is_(False),
                Token.used_at.is_(None),
                Token.expires_at > now,
            )
        ).first()
        if verification is None:
            raise InvalidVerificationToken()

        verification.used_at = now
        self.db.execute(
            update(Token)
            .where(
                Token.user_id == verification.user_id,
                Token.kind == TOKEN_KIND_EMAIL_VERIFICATION,
                Token.id != verification.id,
                Token.revoked.is_(False),
            )
            .values(revoked=True)
        )
        user = verification.user
        user.is_verified = True
        self.db.commit()
        return user
