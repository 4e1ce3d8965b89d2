"""Authentication: password login with lockout, refresh-token rotation, logout, and the
user's live sessions (the access and refresh tokens this service issues)."""

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.clock import utcnow
from app.core.config import get_settings
from app.core.result import Result, failure, success
from app.core.security import generate_token, hash_token, verify_password
from app.domain.exceptions import (
    AccountLockedError,
    InvalidCredentialsError,
    InvalidTokenError,
    NotFoundError,
    PermissionDeniedError,
)
from app.models.token import TOKEN_KIND_ACCESS, TOKEN_KIND_REFRESH, Token
from app.models.user import User
from app.services.account_rules import find_user_by_email, normalize_email
from app.services.token_service import SESSION_TOKEN_KINDS, TokenPair

MAX_FAILED_LOGIN_ATTEMPTS = 5
LOCKOUT_DURATION = timedelta(minutes=15)
REFRESH_TOKEN_LIFETIME = timedelta(days=14)
SECONDS_PER_MINUTE = 60

LoginError = InvalidCredentialsError | AccountLockedError | PermissionDeniedError


class AuthService:
    """Everything about a session: opening one, keeping it alive, closing it.

    A session is a pair of opaque tokens stored as `Token` rows (only their SHA-256):

    - an access token (`kind="access"`), sent as `Authorization: Bearer <token>`, that
      lives `settings.access_token_minutes`;
    - a refresh token (`kind="refresh"`), that lives 14 days and is spent by `refresh`,
      which rotates it into a new pair.

    Login is guarded by a lockout: `MAX_FAILED_LOGIN_ATTEMPTS` consecutive wrong passwords
    lock the account for `LOCKOUT_DURATION`. An expired lock starts a fresh series.
    Every method that changes state commits before it returns.
    """

    def __init__(self, db: Session) -> None:
        self.db = db

    # ------------------------------------------------------------------ login / refresh

    def login(self, email: str, password: str) -> Result[TokenPair, LoginError]:
        """Password login. Five consecutive failures lock the account for 15 minutes."""
        user = find_user_by_email(self.db, normalize_email(email))
        if user is None:
            return failure(InvalidCredentialsError())
        now = utcnow()
        if user.locked_until is not None and user.locked_until > now:
            return failure(AccountLockedError())
        if not verify_password(password, user.hashed_password):
            # Counted and committed even though the request fails.
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

        # Spend the old refresh token: a second use of it must fail.
        token.used_at = utcnow()
        token.revoked = True
        pair = self._issue_token_pair(user)
        self.db.commit()
        return success(pair)

    # ------------------------------------------------------------------ sessions

    def logout(self, access_token: str) -> Result[None, InvalidTokenError]:
        """Revoke the access token the request was made with (other sessions stay)."""
        token = self._find_usable_token(access_token, TOKEN_KIND_ACCESS)
        if token is None:
            return failure(InvalidTokenError())
        token.revoked = True
        self.db.commit()
        return success(None)

    def list_tokens(self, user_id: int) -> list[Token]:
        """The user's live sessions: unrevoked, unused, unexpired access and refresh tokens.

        Verification and reset tokens are not sessions and are never listed.
        """
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
        # Another user's token, a dead one or a non-session token all answer the same,
        # so the endpoint does not reveal which token ids exist.
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

    # ------------------------------------------------------------------ helpers

    @staticmethod
    def _record_failed_login(user: User, now: datetime) -> None:
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
        """A new access + refresh token for `user` (the caller commits).

        `expires_in` is the access token's lifetime in seconds, as the client sees it.
        """
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
