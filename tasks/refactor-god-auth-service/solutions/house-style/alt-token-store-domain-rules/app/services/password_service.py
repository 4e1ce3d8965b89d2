"""Passwords: changing one while signed in, and resetting a forgotten one."""

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.clock import utcnow
from app.core.result import Result, failure, success
from app.core.security import hash_password, verify_password
from app.domain.accounts import canonical_email, weak_password_reason
from app.domain.exceptions import InvalidTokenError, PermissionDeniedError, ValidationFailedError
from app.models.token import TOKEN_KIND_ACCESS, TOKEN_KIND_PASSWORD_RESET
from app.models.user import User
from app.services.token_store import SESSION_KINDS, TokenStore

RESET_LIFETIME = timedelta(hours=1)


class PasswordService:
    def __init__(self, db: Session) -> None:
        self.db = db
        self.store = TokenStore(db)

    def change(
        self, user: User, current: str, new: str, request_token: str
    ) -> Result[None, PermissionDeniedError | ValidationFailedError]:
        if not verify_password(current, user.hashed_password):
            return failure(PermissionDeniedError("current password is incorrect"))
        reason = weak_password_reason(new)
        if reason is None and verify_password(new, user.hashed_password):
            reason = "new password must differ from the current one"
        if reason is not None:
            return failure(ValidationFailedError(reason))
        user.hashed_password = hash_password(new)
        kept = self.store.lookup(request_token, TOKEN_KIND_ACCESS)
        self.store.revoke_unused(user.id, SESSION_KINDS, except_id=kept.id if kept else None)
        self.db.commit()
        return success(None)

    def start_reset(self, email: str) -> str | None:
        """A reset token to mail, or None (no active account): callers answer the same."""
        user = self.db.scalars(select(User).where(User.email == canonical_email(email))).first()
        if user is None or not user.is_active:
            return None
        self.store.revoke_unused(user.id, {TOKEN_KIND_PASSWORD_RESET})
        raw = self.store.create(user.id, TOKEN_KIND_PASSWORD_RESET, RESET_LIFETIME)
        self.db.commit()
        return raw

    def finish_reset(
        self, raw_token: str, new: str
    ) -> Result[None, InvalidTokenError | ValidationFailedError]:
        token = self.store.lookup(raw_token, TOKEN_KIND_PASSWORD_RESET)
        if token is None:
            return failure(InvalidTokenError())
        reason = weak_password_reason(new)
        if reason is not None:
            return failure(ValidationFailedError(reason))
        user = self.db.get(User, token.user_id)
        if user is None:
            return failure(InvalidTokenError())
        user.hashed_password = hash_password(new)
        user.failed_login_attempts, user.locked_until = 0, None
        token.used_at = utcnow()
        self.store.revoke_unused(user.id, SESSION_KINDS)
        self.db.commit()
        return success(None)
