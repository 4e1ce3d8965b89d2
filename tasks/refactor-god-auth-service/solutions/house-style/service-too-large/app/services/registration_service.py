"""Sign-up: a new, unverified account and the verification token to mail to it."""

from dataclasses import dataclass

from sqlalchemy.orm import Session

from app.core.result import Result, failure, success
from app.core.security import hash_password
from app.domain.exceptions import ConflictError, ValidationFailedError
from app.models.user import User
from app.services.account_rules import (
    EMAIL_TAKEN,
    INVALID_EMAIL,
    find_user_by_email,
    is_valid_email,
    normalize_email,
    password_problem,
)
from app.services.email_verification_service import EmailVerificationService


@dataclass(frozen=True)
class Registration:
    """A new account and the raw email-verification token to mail to it."""

    user: User
    verification_token: str


class RegistrationService:
    def __init__(self, db: Session) -> None:
        self.db = db

    def register(
        self, email: str, password: str, full_name: str | None = None
    ) -> Result[Registration, ValidationFailedError | ConflictError]:
        """Create an unverified account and an email-verification token for it."""
        email = normalize_email(email)
        if not is_valid_email(email):
            return failure(ValidationFailedError(INVALID_EMAIL))
        problem = password_problem(password)
        if problem is not None:
            return failure(ValidationFailedError(problem))
        if find_user_by_email(self.db, email) is not None:
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
        raw_token = EmailVerificationService(self.db).issue_token(user)
        self.db.commit()
        return success(Registration(user=user, verification_token=raw_token))
