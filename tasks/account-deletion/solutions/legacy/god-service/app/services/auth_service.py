"""Authentication helpers: bearer tokens, passwords and account status."""

from datetime import timedelta
from typing import List, Optional

from fastapi import HTTPException, status
from sqlalchemy.orm import Session

from app.core.clock import utcnow
from app.core.config import get_settings
from app.core.security import generate_token, hash_password, hash_token, verify_password
from app.models.token import (
    TOKEN_KIND_ACCESS,
    TOKEN_KIND_EMAIL_VERIFICATION,
    TOKEN_KIND_PASSWORD_RESET,
    TOKEN_KIND_REFRESH,
    Token,
)
from app.models.user import User
from app.repositories.token_repository import TokenRepository
from app.repositories.user_repository import UserRepository

ALL_TOKEN_KINDS = [
    TOKEN_KIND_ACCESS,
    TOKEN_KIND_REFRESH,
    TOKEN_KIND_EMAIL_VERIFICATION,
    TOKEN_KIND_PASSWORD_RESET,
]
DELETED_EMAIL_FORMAT = "deleted-{user_id}@invalid"
UNUSABLE_PASSWORD = "!deleted"


def _not_authenticated() -> HTTPException:
    return HTTPException(
        status_code=status.HTTP_401_UNAUTHORIZED,
        detail="not_authenticated",
        headers={"WWW-Authenticate": "Bearer"},
    )


class AuthService:
    def __init__(
        self,
        db: Session,
        users: Optional[UserRepository] = None,
        tokens: Optional[TokenRepository] = None,
    ) -> None:
        self.db = db
        self.users = users or UserRepository(db)
        self.tokens = tokens or TokenRepository(db)

    def authenticate_bearer(self, authorization: Optional[str]) -> User:
        """The user owning a valid `Authorization: Bearer <token>` access token, else 401."""
        BEARER = "bearer"
        if not authorization:
            raise _not_authenticated()
        scheme, _, raw_token = authorization.partition(" ")
        raw_token = raw_token.strip()
        if scheme.lower() != BEARER or not raw_token:
            raise _not_authenticated()

        token = self._find_token(raw_token, TOKEN_KIND_ACCESS)
        if token is None:
            raise _not_authenticated()
        user = self.users.get(token.user_id)
        if user is None:
            raise _not_authenticated()
        return user

    def get_active_user(self, user_id: int) -> User:
        user = self.users.get(user_id)
        if user is None:
            raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail="not_found")
        if not user.is_active:
            raise HTTPException(status_code=status.HTTP_403_FORBIDDEN, detail="forbidden")
        return user

    def verify_password_for(self, user: User, password: str) -> bool:
        if not user.hashed_password:
            return False
        return verify_password(password, user.hashed_password)

    def issue_access_token(self, user: User) -> str:
        """Create an access token for the user and return the raw value (shown only once)."""
        settings = get_settings()
        raw_token = generate_token()
        token = Token(
            user_id=user.id,
            kind=TOKEN_KIND_ACCESS,
            token_hash=hash_token(raw_token),
            expires_at=utcnow() + timedelta(minutes=settings.access_token_minutes),
        )
        self.tokens.add(token)
        self.db.commit()
        return raw_token

    def list_active_tokens(self, user_id: int) -> List[Token]:
        now = utcnow()
        return [
            token
            for token in self.tokens.list_for_user(user_id)
            if not token.revoked and token.used_at is None and token.expires_at > now
        ]

    def revoke_tokens(
        self, user_id: int, kinds: Optional[List[str]] = None, commit: bool = True
    ) -> int:
        """Revoke the user's tokens (access and refresh unless `kinds` says otherwise)."""
        if kinds is None:
            kinds = [TOKEN_KIND_ACCESS, TOKEN_KIND_REFRESH]
        count = 0
        for token in self.tokens.list_for_user(user_id):
            if token.kind in kinds and not token.revoked:
                token.revoked = True
                count += 1
        if commit:
            self.db.commit()
        return count

    def change_password(self, user: User, current_password: str, new_password: str) -> None:
        """Set a new password; every session of the user is signed out."""
        MIN_PASSWORD_LENGTH = 8
        if not self.verify_password_for(user, current_password):
            raise HTTPException(status_code=status.HTTP_403_FORBIDDEN, detail="invalid_password")
        if len(new_password) < MIN_PASSWORD_LENGTH:
            raise HTTPException(status_code=422, detail="password_too_short")

        user.hashed_password = hash_password(new_password)
        self.revoke_tokens(user.id, commit=False)
        self.db.commit()

    def deactivate_user(self, user_id: int) -> User:
        user = self.users.get(user_id)
        if user is None:
            raise HTTPException(status_code=404, detail="not_found")
        user.is_active = False
        self.revoke_tokens(user.id, commit=False)
        self.db.commit()
        return user

    def find_user(self, user_id: int) -> Optional[User]:
        """The user with this id, or None (no HTTP error: for callers that decide)."""
        return self.users.get(user_id)

    def anonymize_user(self, user: User) -> User:
        """Erase a deleted account's personal data and revoke all its tokens (not committed)."""
        self.erase_personal_data(user)
        self.revoke_tokens(user.id, kinds=ALL_TOKEN_KINDS, commit=False)
        return user

    def erase_personal_data(self, user: User) -> User:
        """Placeholder email, no name, an unusable password, inactive (not committed)."""
        user.email = DELETED_EMAIL_FORMAT.format(user_id=user.id)
        user.full_name = None
        user.hashed_password = UNUSABLE_PASSWORD
        user.is_active = False
        return user

    def _find_token(self, raw_token: str, kind: str) -> Optional[Token]:
        return self.tokens.get_valid(hash_token(raw_token), kind)
