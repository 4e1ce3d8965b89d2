"""Turning a verification token into a verified account."""

from sqlalchemy.orm import Session

from app.core.clock import utcnow
from app.core.result import Result, failure, success
from app.domain.exceptions import InvalidTokenError
from app.models.user import User
from app.services.verification_tokens import VerificationTokens


class EmailVerificationService:
    def __init__(self, db: Session) -> None:
        self.db = db
        self.tokens = VerificationTokens(db)

    def verify(self, token: str) -> Result[User, InvalidTokenError]:
        now = utcnow()
        found = self.tokens.usable(token, now)
        if found is None:
            return failure(InvalidTokenError())
        # Spend this token and retire every other link of the user.
        for other in self.tokens.of_user(found.user_id):
            other.revoked = True
        found.used_at = now
        found.user.is_verified = True
        self.db.commit()
        return success(found.user)
