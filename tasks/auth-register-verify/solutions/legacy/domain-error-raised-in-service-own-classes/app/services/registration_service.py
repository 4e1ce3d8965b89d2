"""Sign-up: create an unverified user and email them a verification token."""

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.core.security import hash_password
from app.integrations.email import EmailSender
from app.models.user import User
from app.services.verification_email import (
    issue_verification_token,
    normalize_email,
    send_verification_email,
)

MIN_PASSWORD_LENGTH = 8


class PasswordTooShort(Exception):
    """The password has fewer than MIN_PASSWORD_LENGTH characters."""


class EmailAlreadyRegistered(Exception):
    """A user with that (normalised) email already exists."""


class RegistrationService:
    def __init__(self, db: Session, email_sender: EmailSender) -> None:
        self.db = db
        self.email_sender = email_sender

    async def register(self, email: str, password: str, full_name: str | None = None) -> User:
        """Create an unverified user and email a verification token.

        Raises PasswordTooShort or EmailAlreadyRegistered.
        """
        if len(password) < MIN_PASSWORD_LENGTH:
            raise PasswordTooShort(
                f"the password must have at least {MIN_PASSWORD_LENGTH} characters"
            )
        normalized = normalize_email(email)
        if self._find(normalized) is not None:
            raise EmailAlreadyRegistered(normalized)

        user = User(
            email=normalized,
            hashed_password=hash_password(password),
            full_name=full_name,
            is_active=True,
            is_verified=False,
        )
        self.db.add(user)
        try:
            self.db.flush()
        except IntegrityError:  # a concurrent sign-up with the same email won the race
            self.db.rollback()
            raise EmailAlreadyRegistered(normalized)
        raw_token = issue_verification_token(self.db, user)
        self.db.commit()
        await send_verification_email(self.email_sender, user.email, raw_token)
        return user

    async def resend_verification(self, email: str) -> None:
        """Email a fresh token to an unverified user; silently nothing otherwise."""
        user = self._find(normalize_email(email))
        if user is None or user.is_verified:
            return
        raw_token = issue_verification_token(self.db, user)
        self.db.commit()
        await send_verification_email(self.email_sender, user.email, raw_token)

    def _find(self, normalized_email: str) -> User | None:
        return self.db.scalars(select(User).where(User.email == normalized_email)).first()
