"""Everything account-related: registration, login, tokens, passwords, email verification,
profile. Started as "the login service" and grew one feature at a time.

Services return Results (app.core.result); the routes map failures with unwrap().
Every method that changes state commits before it returns.
"""

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.clock import utcnow
from app.core.config import get_settings
from app.core.result import Result, failure, success
from app.core.security import generate_token, hash_password, hash_token, verify_password
from app.domain.exceptions import (
    AccountLockedError,
    ConflictError,
    InvalidCredentialsError,
    InvalidTokenError,
    NotFoundError,
    PermissionDeniedError,
    ValidationFailedError,
)
from app.models.token import (
    TOKEN_KIND_ACCESS,
    TOKEN_KIND_EMAIL_VERIFICATION,
    TOKEN_KIND_PASSWORD_RESET,
    TOKEN_KIND_REFRESH,
    Token,
)
from app.models.user import User

MAX_FAILED_LOGIN_ATTEMPTS = 5
LOCKOUT_DURATION = timedelta(minutes=15)
REFRESH_TOKEN_LIFETIME = timedelta(days=14)
EMAIL_VERIFICATION_LIFETIME = timedelta(hours=24)
MIN_PASSWORD_LENGTH = 8
SECONDS_PER_MINUTE = 60
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

SESSION_TOKEN_KINDS = (TOKEN_KIND_ACCESS, TOKEN_KIND_REFRESH)

EMAIL_TAKEN = "email already registered"
INVALID_EMAIL = "invalid email address"
PASSWORD_TOO_SHORT = f"password must be at least {MIN_PASSWORD_LENGTH} characters"


@dataclass(frozen=True)
class TokenPair:
    """What a login or a refresh hands to the client (raw tokens, returned once)."""

    access_token: str
    refresh_token: str
    expires_in: int  # seconds until the access token expires


@dataclass(frozen=True)
class Registration:
    """A new account and the raw email-verification token to mail to it."""

    user: User
    verification_token: str


class AuthService:
    def __init__(self, db: Session) -> None:
        self.db = db

    # ------------------------------------------------------------------ registration

    def register(
        self, email: str, password: str, full_name: str | None = None
    ) -> Result[Registration, ValidationFailedError | ConflictError]:
        """Create an unverified account and an email-verification token for it."""
        email = self._normalize_email(email)
        if not EMAIL_PATTERN.match(email):
            return failure(ValidationFailedError(INVALID_EMAIL))
        problem = self._password_problem(password)
        if problem is not None:
            return failure(ValidationFailedError(problem))
        if self._find_user_by_email(email) is not None:
            return failure(ConflictError(EMAIL_TAKEN))

        user = User(
            email=email,
            hashed_password=hash_password(password),
            full_name=(full_name or "").strip() or None,
            is_active=True,
            is_verified=False,
        )
        self.db.add(user)
        self.db.flush()
        raw_token = self._issue_token(
            user.id, TOKEN_KIND_EMAIL_VERIFICATION, EMAIL_VERIFICATION_LIFETIME
        )
        self.db.commit()
        return success(Registration(user=user, verification_token=raw_token))

    # ------------------------------------------------------------------ login / tokens

    def login(
        self, email: str, password: str
    ) -> Result[TokenPair, InvalidCredentialsError | AccountLockedError | PermissionDeniedError]:
        """Password login. Five consecutive failures lock the account for 15 minutes."""
        user = self._find_user_by_email(self._normalize_email(email))
        if user is None:
            return failure(InvalidCredentialsError())
        now = utcnow()
        if user.locked_until is not None and user.locked_until > now:
            return failure(AccountLockedError())
        if not verify_password(password, user.hashed_password):
            self._record_failed_login(user, now)
            self.db.commit()
            return failure(InvalidCredentialsError())
        if not user.is_active:
            return failure(PermissionDeniedError())

        user.failed_login_attempts = 0
        user.locked_until = None
        pair = self._issue_token_pair(user)
        self.db.commit()
        return success(pair)

    def refresh(
        self, refresh_token: str
    ) -> Result[TokenPair, InvalidTokenError | PermissionDeniedError]:
        """Rotate a refresh token: the old one is spent, a new access + refresh pair issued."""
        token = self._find_usable_token(refresh_token, TOKEN_KIND_REFRESH)
        if token is None:
            return failure(InvalidTokenError())
        user = self.db.get(User, token.user_id)
        if user is None:
            return failure(InvalidTokenError())
        if not user.is_active:
            return failure(PermissionDeniedError())

        token.used_at = utcnow()
        token.revoked = True
        pair = self._issue_token_pair(user)
        self.db.commit()
        return success(pair)

    def logout(self, access_token: str) -> Result[None, InvalidTokenError]:
        """Revoke the access token the request was made with (other sessions stay)."""
        token = self._find_usable_token(access_token, TOKEN_KIND_ACCESS)
        if token is None:
            return failure(InvalidTokenError())
        token.revoked = True
        self.db.commit()
        return success(None)

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
        if (
            token is None
            or token.user_id != user_id
            or token.kind not in SESSION_TOKEN_KINDS
            or token.revoked
            or token.used_at is not None
            or token.expires_at <= utcnow()
        ):
            return failure(NotFoundError("token not found"))
        token.revoked = True
        self.db.commit()
        return success(None)

    # ------------------------------------------------------------------ passwords

    def change_password(
        self, user: User, current_password: str, new_password: str, current_access_token: str
    ) -> Result[None, PermissionDeniedError | ValidationFailedError]:
        """Change the password and sign out every other session (this one stays valid)."""
        if not verify_password(current_password, user.hashed_password):
            return failure(PermissionDeniedError("current password is incorrect"))
        problem = self._password_problem(new_password)
        if problem is not None:
            return failure(ValidationFailedError(problem))
        if verify_password(new_password, user.hashed_password):
            return failure(ValidationFailedError("new password must differ from the current one"))

        user.hashed_password = hash_password(new_password)
        current = self._find_usable_token(current_access_token, TOKEN_KIND_ACCESS)
        self._revoke_tokens(
            user.id, SESSION_TOKEN_KINDS, keep_token_id=current.id if current is not None else None
        )
        self.db.commit()
        return success(None)

    def request_password_reset(self, email: str) -> str | None:
        """A raw reset token to mail, or None when there is no active account for the email.

        The caller answers the same either way, so the endpoint does not reveal accounts.
        """
        RESET_TOKEN_LIFETIME = timedelta(hours=1)

        user = self._find_user_by_email(self._normalize_email(email))
        if user is None or not user.is_active:
            return None
        self._revoke_tokens(user.id, (TOKEN_KIND_PASSWORD_RESET,))
        raw_token = self._issue_token(user.id, TOKEN_KIND_PASSWORD_RESET, RESET_TOKEN_LIFETIME)
        self.db.commit()
        return raw_token

    def reset_password(
        self, reset_token: str, new_password: str
    ) -> Result[None, InvalidTokenError | ValidationFailedError]:
        """Set a new password with a reset token: unlocks the account, ends every session."""
        token = self._find_usable_token(reset_token, TOKEN_KIND_PASSWORD_RESET)
        if token is None:
            return failure(InvalidTokenError())
        problem = self._password_problem(new_password)
        if problem is not None:
            return failure(ValidationFailedError(problem))
        user = self.db.get(User, token.user_id)
        if user is None:
            return failure(InvalidTokenError())

        user.hashed_password = hash_password(new_password)
        user.failed_login_attempts = 0
        user.locked_until = None
        token.used_at = utcnow()
        self._revoke_tokens(user.id, SESSION_TOKEN_KINDS)
        self.db.commit()
        return success(None)

    # ------------------------------------------------------------------ email verification

    def request_email_verification(self, user: User) -> Result[str, ConflictError]:
        """A new raw verification token to mail; earlier unused ones stop working."""
        if user.is_verified:
            return failure(ConflictError("email already verified"))
        self._revoke_tokens(user.id, (TOKEN_KIND_EMAIL_VERIFICATION,))
        raw_token = self._issue_token(
            user.id, TOKEN_KIND_EMAIL_VERIFICATION, EMAIL_VERIFICATION_LIFETIME
        )
        self.db.commit()
        return success(raw_token)

    def verify_email(self, verification_token: str) -> Result[User, InvalidTokenError]:
        """Mark the token's user verified; the token is spent."""
        token = self._find_usable_token(verification_token, TOKEN_KIND_EMAIL_VERIFICATION)
        if token is None:
            return failure(InvalidTokenError())
        user = self.db.get(User, token.user_id)
        if user is None:
            return failure(InvalidTokenError())
        user.is_verified = True
        token.used_at = utcnow()
        self.db.commit()
        return success(user)

    # ------------------------------------------------------------------ profile

    def update_profile(
        self, user: User, changes: Mapping[str, str | None]
    ) -> Result[User, ValidationFailedError | ConflictError]:
        """Apply the fields present in `changes` (`full_name`, `email`).

        A new email address must be verified again: the account becomes unverified and the
        verification tokens sent to the old address stop working.
        """
        if "email" in changes:
            email = self._normalize_email(changes["email"] or "")
            if not EMAIL_PATTERN.match(email):
                return failure(ValidationFailedError(INVALID_EMAIL))
            if email != user.email:
                other = self._find_user_by_email(email)
                if other is not None and other.id != user.id:
                    return failure(ConflictError(EMAIL_TAKEN))
                user.email = email
                user.is_verified = False
                self._revoke_tokens(user.id, (TOKEN_KIND_EMAIL_VERIFICATION,))
        if "full_name" in changes:
            user.full_name = (changes["full_name"] or "").strip() or None
        self.db.commit()
        return success(user)

    # ------------------------------------------------------------------ helpers

    @staticmethod
    def _normalize_email(email: str) -> str:
        return email.strip().lower()

    @staticmethod
    def _password_problem(password: str) -> str | None:
        if len(password) < MIN_PASSWORD_LENGTH:
            return PASSWORD_TOO_SHORT
        return None

    def _find_user_by_email(self, email: str) -> User | None:
        return self.db.scalars(select(User).where(User.email == email)).first()

    def _record_failed_login(self, user: User, now: datetime) -> None:
        # A lock that has expired starts a fresh series of attempts.
        previous = 0 if user.locked_until is not None else user.failed_login_attempts
        user.failed_login_attempts = previous + 1
        user.locked_until = None
        if user.failed_login_attempts >= MAX_FAILED_LOGIN_ATTEMPTS:
            user.locked_until = now + LOCKOUT_DURATION

    def _issue_token(self, user_id: int, kind: str, lifetime: timedelta) -> str:
        """Store the hash of a new token; return the raw token (shown to the client once)."""
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

    def _issue_token_pair(self, user: User) -> TokenPair:
        minutes = get_settings().access_token_minutes
        access = self._issue_token(user.id, TOKEN_KIND_ACCESS, timedelta(minutes=minutes))
        refresh = self._issue_token(user.id, TOKEN_KIND_REFRESH, REFRESH_TOKEN_LIFETIME)
        return TokenPair(
            access_token=access, refresh_token=refresh, expires_in=minutes * SECONDS_PER_MINUTE
        )

    def _find_usable_token(self, raw_token: str, kind: str) -> Token | None:
        """The unrevoked, unused, unexpired token of `kind` whose hash matches, if any."""
        return self.db.scalars(
            select(Token).where(
                Token.token_hash == hash_token(raw_token),
                Token.kind == kind,
                Token.revoked.is_(False),
                Token.used_at.is_(None),
                Token.expires_at > utcnow(),
            )
        ).first()

    def _revoke_tokens(
        self, user_id: int, kinds: Iterable[str], keep_token_id: int | None = None
    ) -> int:
        """Revoke the user's unrevoked, unused tokens of `kinds`, except `keep_token_id`."""
        tokens = self.db.scalars(
            select(Token).where(
                Token.user_id == user_id,
                Token.kind.in_(tuple(kinds)),
                Token.revoked.is_(False),
                Token.used_at.is_(None),
            )
        ).all()
        revoked = 0
        for token in tokens:
            if token.id == keep_token_id:
                continue
            token.revoked = True
            revoked += 1
        return revoked
