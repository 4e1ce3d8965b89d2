"""Email verification tokens: issuing one (earlier unused ones stop working), using one."""

from datetime import timedelta

from sqlalchemy.orm import Session

from app.core.clock import utcnow
from app.core.result import Result, failure, success
from app.domain.exceptions import ConflictError, InvalidTokenError
from app.models.token import TOKEN_KIND_EMAIL_VERIFICATION
from app.models.user import User
from app.services.token_service import TokenService

EMAIL_VERIFICATION_LIFETIME = timedelta(hours=24)


class EmailVerificationService:
    def __init__(self, db: Session) -> None:
        self.db = db
        self.tokens = TokenService(db)

    def issue_token(self, user: User) -> str:
        """A new raw verification token for `user`; the caller commits."""
        self.tokens.revoke_all(user.id, (TOKEN_KIND_EMAIL_VERIFICATION,))
        return self.tokens.issue(
            user.id, TOKEN_KIND_EMAIL_VERIFICATION, EMAIL_VERIFICATION_LIFETIME
        )

    def request_verification(self, user: User) -> Result[str, ConflictError]:
        """A new raw verification token to mail, unless the email is already verified."""
        if user.is_verified:
            return failure(ConflictError("email already verified"))
        raw_token = self.issue_token(user)
        self.db.commit()
        return success(raw_token)

    def verify(self, verification_token: str) -> Result[User, InvalidTokenError]:
        """Mark the token's user verified; the token is spent."""
        token = self.tokens.find_usable(verification_token, TOKEN_KIND_EMAIL_VERIFICATION)
        if token is None:
            return failure(InvalidTokenError())
        user = self.db.get(User, token.user_id)
        if user is None:
            return failure(InvalidTokenError())
        user.is_verified = True
        token.used_at = utcnow()
        self.db.commit()
        return success(user)

    def invalidate_pending(self, user: User) -> None:
        """The address changed: unverify the account, revoke unused tokens (caller commits)."""
        user.is_verified = False
        self.tokens.revoke_all(user.id, (TOKEN_KIND_EMAIL_VERIFICATION,))
