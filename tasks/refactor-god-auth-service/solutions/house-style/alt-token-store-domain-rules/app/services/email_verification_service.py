"""Proving an email address belongs to the account holder."""

from datetime import timedelta

from sqlalchemy.orm import Session

from app.core.clock import utcnow
from app.core.result import Result, failure, success
from app.domain.exceptions import ConflictError, InvalidTokenError
from app.models.token import TOKEN_KIND_EMAIL_VERIFICATION as VERIFY
from app.models.user import User
from app.services.token_store import TokenStore

VERIFICATION_LIFETIME = timedelta(hours=24)


class EmailVerificationService:
    def __init__(self, db: Session) -> None:
        self.db = db
        self.store = TokenStore(db)

    def new_token(self, user: User) -> str:
        """Replace the user's unused verification tokens with a new one (no commit)."""
        self.store.revoke_unused(user.id, {VERIFY})
        return self.store.create(user.id, VERIFY, VERIFICATION_LIFETIME)

    def address_changed(self, user: User) -> None:
        user.is_verified = False
        self.store.revoke_unused(user.id, {VERIFY})

    def request(self, user: User) -> Result[str, ConflictError]:
        if user.is_verified:
            return failure(ConflictError("email already verified"))
        raw = self.new_token(user)
        self.db.commit()
        return success(raw)

    def confirm(self, raw_token: str) -> Result[User, InvalidTokenError]:
        token = self.store.lookup(raw_token, VERIFY)
        user = self.db.get(User, token.user_id) if token is not None else None
        if token is None or user is None:
            return failure(InvalidTokenError())
        user.is_verified, token.used_at = True, utcnow()
        self.db.commit()
        return success(user)
