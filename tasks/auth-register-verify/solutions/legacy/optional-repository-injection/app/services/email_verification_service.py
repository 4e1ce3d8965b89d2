"""Confirming an email address with a verification token."""

from typing import Optional

from sqlalchemy.orm import Session

from app.core.clock import utcnow
from app.core.result import Result, failure, success
from app.core.security import hash_token
from app.domain.exceptions import InvalidTokenError
from app.models.token import TOKEN_KIND_EMAIL_VERIFICATION
from app.models.user import User
from app.repositories.token_repository import TokenRepository
from app.repositories.user_repository import UserRepository


class EmailVerificationService:
    def __init__(
        self,
        db: Session,
        users: Optional[UserRepository] = None,
        tokens: Optional[TokenRepository] = None,
    ) -> None:
        self.db = db
        self.users = users or UserRepository(db)
        self.tokens = tokens or TokenRepository(db)

    def verify(self, token: str) -> Result[User, InvalidTokenError]:
        """Mark the token's user verified and spend the token. Unknown, expired, used,
        revoked and other-kind tokens all get the same InvalidTokenError."""
        verification = self.tokens.get_valid(hash_token(token), TOKEN_KIND_EMAIL_VERIFICATION)
        if verification is None or verification.used_at is not None:
            return failure(InvalidTokenError())
        user = self.users.get(verification.user_id)
        if user is None:
            return failure(InvalidTokenError())

        verification.used_at = utcnow()
        for other in self.tokens.list_for_user(user.id, kind=TOKEN_KIND_EMAIL_VERIFICATION):
            if other.id != verification.id and not other.revoked:
                other.revoked = True
        user.is_verified = True
        self.db.commit()
        return success(user)
