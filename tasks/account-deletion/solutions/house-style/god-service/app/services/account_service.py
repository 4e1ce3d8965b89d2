"""Accounts: bearer sign-in, access tokens, password, profile and whether an account is open."""

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.clock import utcnow
from app.core.config import get_settings
from app.core.result import Failure, Result, failure, success
from app.core.security import generate_token, hash_password, hash_token, verify_password
from app.domain.exceptions import (
    InvalidCredentialsError,
    NotFoundError,
    PermissionDeniedError,
    ValidationFailedError,
)
from app.models.token import TOKEN_KIND_ACCESS, Token
from app.models.user import User

MIN_PASSWORD_LENGTH = 8
MAX_FULL_NAME_LENGTH = 255
DELETED_EMAIL_FORMAT = "deleted-{user_id}@invalid"
UNUSABLE_PASSWORD = "!deleted"

PasswordChangeError = NotFoundError | PermissionDeniedError | ValidationFailedError


class AccountService:
    def __init__(self, db: Session) -> None:
        self.db = db

    def authenticate(self, raw_token: str) -> Result[User, InvalidCredentialsError]:
        """The owner of an unrevoked, unexpired access token."""
        token = self.db.scalars(
            select(Token).where(
                Token.token_hash == hash_token(raw_token),
                Token.kind == TOKEN_KIND_ACCESS,
                Token.revoked.is_(False),
                Token.expires_at > utcnow(),
            )
        ).first()
        user = self.db.get(User, token.user_id) if token is not None else None
        if user is None:
            return failure(InvalidCredentialsError())
        return success(user)

    def issue_access_token(self, user_id: int) -> Result[str, NotFoundError]:
        """A new access token; the raw value is returned once and only its hash is stored."""
        found = self.get_user(user_id)
        if isinstance(found, Failure):
            return found
        raw_token = generate_token()
        self.db.add(
            Token(
                user_id=user_id,
                kind=TOKEN_KIND_ACCESS,
                token_hash=hash_token(raw_token),
                expires_at=utcnow() + timedelta(minutes=get_settings().access_token_minutes),
            )
        )
        self.db.commit()
        return success(raw_token)

    def change_password(
        self, user_id: int, current_password: str, new_password: str
    ) -> Result[User, PasswordChangeError]:
        """Set a new password; the user is signed out on every device."""
        found = self.get_user(user_id)
        if isinstance(found, Failure):
            return found
        user = found.value
        if not verify_password(current_password, user.hashed_password):
            return failure(PermissionDeniedError("invalid_password"))
        if len(new_password) < MIN_PASSWORD_LENGTH:
            return failure(ValidationFailedError("password_too_short"))
        user.hashed_password = hash_password(new_password)
        self._revoke_access_tokens(user.id)
        self.db.commit()
        return success(user)

    def update_full_name(
        self, user_id: int, full_name: str
    ) -> Result[User, NotFoundError | ValidationFailedError]:
        found = self.get_user(user_id)
        if isinstance(found, Failure):
            return found
        user = found.value
        full_name = full_name.strip()
        if not full_name or len(full_name) > MAX_FULL_NAME_LENGTH:
            return failure(ValidationFailedError("invalid_full_name"))
        user.full_name = full_name
        self.db.commit()
        return success(user)

    def deactivate(self, user_id: int) -> Result[User, NotFoundError]:
        """Close the account for now: it cannot sign in and its sessions end."""
        found = self.get_user(user_id)
        if isinstance(found, Failure):
            return found
        user = found.value
        user.is_active = False
        self._revoke_access_tokens(user.id)
        self.db.commit()
        return success(user)

    def reactivate(self, user_id: int) -> Result[User, NotFoundError]:
        found = self.get_user(user_id)
        if isinstance(found, Failure):
            return found
        user = found.value
        user.is_active = True
        self.db.commit()
        return success(user)

    def sign_out_everywhere(self, user_id: int) -> Result[int, NotFoundError]:
        """Revoke every access token of the user; how many were revoked."""
        found = self.get_user(user_id)
        if isinstance(found, Failure):
            return found
        revoked = self._revoke_access_tokens(user_id)
        self.db.commit()
        return success(revoked)

    def anonymize(self, user: User) -> None:
        """Erase a deleted account's personal data and revoke all its tokens; the caller commits."""
        self.erase_personal_data(user)
        self.revoke_all_tokens(user.id)

    def erase_personal_data(self, user: User) -> None:
        """Placeholder email, no name, an unusable password, inactive; the caller commits."""
        user.email = DELETED_EMAIL_FORMAT.format(user_id=user.id)
        user.full_name = None
        user.hashed_password = UNUSABLE_PASSWORD
        user.is_active = False

    def revoke_all_tokens(self, user_id: int) -> None:
        """Revoke every token of the user, of every kind; the caller commits."""
        for token in self.db.scalars(select(Token).where(Token.user_id == user_id)):
            token.revoked = True

    # Public, so that account deletion can reuse it.
    def get_user(self, user_id: int) -> Result[User, NotFoundError]:
        user = self.db.get(User, user_id)
        if user is None:
            return failure(NotFoundError(f"user {user_id} not found"))
        return success(user)

    def _revoke_access_tokens(self, user_id: int) -> int:
        tokens = self.db.scalars(
            select(Token).where(
                Token.user_id == user_id,
                Token.kind == TOKEN_KIND_ACCESS,
                Token.revoked.is_(False),
            )
        ).all()
        for token in tokens:
            token.revoked = True
        return len(tokens)
