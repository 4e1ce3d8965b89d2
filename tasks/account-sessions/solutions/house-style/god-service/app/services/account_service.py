"""Accounts: who a bearer token belongs to, passwords, profile, sign-in state."""

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.clock import utcnow
from app.core.config import get_settings
from app.core.result import Failure, Result, failure, success
from app.core.security import generate_token, hash_password, hash_token, verify_password
from app.domain.exceptions import InvalidCredentialsError, NotFoundError, ValidationFailedError
from app.models.token import TOKEN_KIND_ACCESS, Token
from app.models.user import User

MIN_PASSWORD_LENGTH = 8
MAX_FULL_NAME_LENGTH = 255

PasswordChangeError = NotFoundError | InvalidCredentialsError | ValidationFailedError


class AccountService:
    def __init__(self, db: Session) -> None:
        self.db = db

    def authenticate(self, raw_token: str) -> Result[User, InvalidCredentialsError]:
        """The owner of an unrevoked, unexpired access token."""
        found = self.authenticate_token(raw_token)
        if isinstance(found, Failure):
            return found
        return self.token_owner(found.value)

    def token_owner(self, token: Token) -> Result[User, InvalidCredentialsError]:
        """The user an access token belongs to."""
        user = self.db.get(User, token.user_id)
        if user is None:
            return failure(InvalidCredentialsError())
        return success(user)

    def authenticate_token(self, raw_token: str) -> Result[Token, InvalidCredentialsError]:
        """The unrevoked, unexpired access token with this raw value."""
        token = self.db.scalars(
            select(Token).where(
                Token.token_hash == hash_token(raw_token),
                Token.kind == TOKEN_KIND_ACCESS,
                Token.revoked.is_(False),
                Token.expires_at > utcnow(),
            )
        ).first()
        if token is None:
            return failure(InvalidCredentialsError())
        return success(token)

    def issue_access_token(self, user_id: int) -> Result[str, NotFoundError]:
        """A new access token for the user; the raw value is returned once and never stored."""
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
        """Set a new password and sign the user out on every device."""
        found = self.get_user(user_id)
        if isinstance(found, Failure):
            return found
        user = found.value
        if not verify_password(current_password, user.hashed_password):
            return failure(InvalidCredentialsError("invalid_password"))
        if len(new_password) < MIN_PASSWORD_LENGTH:
            return failure(ValidationFailedError("password_too_short"))
        user.hashed_password = hash_password(new_password)
        self.revoke_access_tokens(user.id)
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
        """Close the account: it can no longer be used and all its tokens stop working."""
        found = self.get_user(user_id)
        if isinstance(found, Failure):
            return found
        user = found.value
        user.is_active = False
        self.revoke_access_tokens(user.id)
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
        """Revoke every access token of the user; the number revoked."""
        found = self.get_user(user_id)
        if isinstance(found, Failure):
            return found
        revoked = self.revoke_access_tokens(user_id)
        self.db.commit()
        return success(revoked)

    # Public, so that the new session features can reuse them.
    def get_user(self, user_id: int) -> Result[User, NotFoundError]:
        user = self.db.get(User, user_id)
        if user is None:
            return failure(NotFoundError(f"user {user_id} not found"))
        return success(user)

    def revoke_access_tokens(self, user_id: int) -> int:
        tokens = self.db.scalars(
            select(Token).where(
                Token.user_id == user_id,
                Token.kind == TOKEN_KIND_ACCESS,
                Token.revoked.is_(False),
            )
        )
        revoked = 0
        for token in tokens:
            token.revoked = True
            revoked += 1
        return revoked
