"""Account management for a signed-in (or resetting) user: sessions, passwords, profile."""

from collections.abc import Iterable, Mapping
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.clock import utcnow
from app.core.result import Result, failure, success
from app.core.security import generate_token, hash_password, hash_token, verify_password
from app.domain.exceptions import (
    ConflictError,
    InvalidTokenError,
    NotFoundError,
    PermissionDeniedError,
    ValidationFailedError,
)
from app.models.token import (
    TOKEN_KIND_ACCESS,
    TOKEN_KIND_EMAIL_VERIFICATION,
    TOKEN_KIND_PASSWORD_RESET,
    Token,
)
from app.models.user import User
from app.services.account_rules import (
    EMAIL_TAKEN,
    INVALID_EMAIL,
    is_valid_email,
    normalize_email,
    password_problem,
)
from app.services.token_service import SESSION_TOKEN_KINDS

RESET_TOKEN_LIFETIME = timedelta(hours=1)


class AccountService:
    def __init__(self, db: Session) -> None:
        self.db = db

    def list_tokens(self, user_id: int) -> list[Token]:
        """The user's live sessions: unrevoked, unused, unexpired access and refresh tokens."""
        return list(
            self.db.scalars(
                select(Token)
                .where(
                    Token.user_id == user_id,
                    Token.kind.in_(SESSION_TOKEN_KINDS),
                    Token.revoked.is_(False),
                    Token.used_at.is_(None),
                    Token.expires_at > utcnow(),
                )
                .order_by(Token.id)
            )
        )

    def revoke_token(self, user_id: int, token_id: int) -> Result[None, NotFoundError]:
        """Revoke one of the user's live sessions; anything else is "not found"."""
        token = self.db.get(Token, token_id)
        if token is None or not self.is_live_session_of(token, user_id):
            return failure(NotFoundError("token not found"))
        token.revoked = True
        self.db.commit()
        return success(None)

    def change_password(
        self, user: User, current_password: str, new_password: str, current_access_token: str
    ) -> Result[None, PermissionDeniedError | ValidationFailedError]:
        """Change the password and sign out every other session (this one stays valid)."""
        if not verify_password(current_password, user.hashed_password):
            return failure(PermissionDeniedError("current password is incorrect"))
        problem = password_problem(new_password)
        if problem is not None:
            return failure(ValidationFailedError(problem))
        if verify_password(new_password, user.hashed_password):
            return failure(ValidationFailedError("new password must differ from the current one"))

        user.hashed_password = hash_password(new_password)
        current = self.find_usable_token(current_access_token, TOKEN_KIND_ACCESS)
        self.revoke_tokens(
            user.id, SESSION_TOKEN_KINDS, keep_token_id=current.id if current is not None else None
        )
        self.db.commit()
        return success(None)

    def request_password_reset(self, email: str) -> str | None:
        """A raw reset token to mail, or None when there is no active account for the email."""
        user = self.find_user_by_email(normalize_email(email))
        if user is None or not user.is_active:
            return None
        self.revoke_tokens(user.id, (TOKEN_KIND_PASSWORD_RESET,))
        raw_token = self.issue_token(user.id, TOKEN_KIND_PASSWORD_RESET, RESET_TOKEN_LIFETIME)
        self.db.commit()
        return raw_token

    def reset_password(
        self, reset_token: str, new_password: str
    ) -> Result[None, InvalidTokenError | ValidationFailedError]:
        """Set a new password with a reset token: unlocks the account, ends every session."""
        token = self.find_usable_token(reset_token, TOKEN_KIND_PASSWORD_RESET)
        if token is None:
            return failure(InvalidTokenError())
        problem = password_problem(new_password)
        if problem is not None:
            return failure(ValidationFailedError(problem))
        user = self.db.get(User, token.user_id)
        if user is None:
            return failure(InvalidTokenError())

        user.hashed_password = hash_password(new_password)
        user.failed_login_attempts = 0
        user.locked_until = None
        token.used_at = utcnow()
        self.revoke_tokens(user.id, SESSION_TOKEN_KINDS)
        self.db.commit()
        return success(None)

    def update_profile(
        self, user: User, changes: Mapping[str, str | None]
    ) -> Result[User, ValidationFailedError | ConflictError]:
        """Apply the fields present in `changes` (`full_name`, `email`)."""
        if "email" in changes:
            email = normalize_email(changes["email"] or "")
            if not is_valid_email(email):
                return failure(ValidationFailedError(INVALID_EMAIL))
            if email != user.email:
                other = self.find_user_by_email(email)
                if other is not None and other.id != user.id:
                    return failure(ConflictError(EMAIL_TAKEN))
                user.email = email
                user.is_verified = False
                self.revoke_tokens(user.id, (TOKEN_KIND_EMAIL_VERIFICATION,))
        if "full_name" in changes:
            user.full_name = (changes["full_name"] or "").strip() or None
        self.db.commit()
        return success(user)

    # Its own copies of the token and user helpers, public so that other services can use them.

    def find_user_by_email(self, email: str) -> User | None:
        return self.db.scalars(select(User).where(User.email == email)).first()

    @staticmethod
    def is_live_session_of(token: Token, user_id: int) -> bool:
        return (
            token.user_id == user_id
            and token.kind in SESSION_TOKEN_KINDS
            and not token.revoked
            and token.used_at is None
            and token.expires_at > utcnow()
        )

    def issue_token(self, user_id: int, kind: str, lifetime: timedelta) -> str:
        raw_token = generate_token()
        self.db.add(
            Token(
                user_id=user_id,
                kind=kind,
                token_hash=hash_token(raw_token),
                expires_at=utcnow() + lifetime,
            )
        )
        return raw_token

    def find_usable_token(self, raw_token: str, kind: str) -> Token | None:
        return self.db.scalars(
            select(Token).where(
                Token.token_hash == hash_token(raw_token),
                Token.kind == kind,
                Token.revoked.is_(False),
                Token.used_at.is_(None),
                Token.expires_at > utcnow(),
            )
        ).first()

    def revoke_tokens(
        self, user_id: int, kinds: Iterable[str], keep_token_id: int | None = None
    ) -> None:
        for token in self.db.scalars(
            select(Token).where(
                Token.user_id == user_id,
                Token.kind.in_(tuple(kinds)),
                Token.revoked.is_(False),
                Token.used_at.is_(None),
            )
        ):
            if token.id != keep_token_id:
                token.revoked = True
