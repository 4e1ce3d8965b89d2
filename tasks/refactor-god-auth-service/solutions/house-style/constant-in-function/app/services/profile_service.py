"""The signed-in user's own profile: name and email address."""

from collections.abc import Mapping

from sqlalchemy.orm import Session

from app.core.result import Result, failure, success
from app.domain.exceptions import ConflictError, ValidationFailedError
from app.models.user import User
from app.services.account_rules import (
    EMAIL_TAKEN,
    INVALID_EMAIL,
    find_user_by_email,
    is_valid_email,
    normalize_email,
)
from app.services.email_verification_service import EmailVerificationService


class ProfileService:
    def __init__(self, db: Session) -> None:
        self.db = db

    def update_profile(
        self, user: User, changes: Mapping[str, str | None]
    ) -> Result[User, ValidationFailedError | ConflictError]:
        """Apply the fields present in `changes` (`full_name`, `email`).

        A new email address must be verified again: the account becomes unverified and the
        verification tokens sent to the old address stop working.
        """
        if "email" in changes:
            email = normalize_email(changes["email"] or "")
            if not is_valid_email(email):
                return failure(ValidationFailedError(INVALID_EMAIL))
            if email != user.email:
                other = find_user_by_email(self.db, email)
                if other is not None and other.id != user.id:
                    return failure(ConflictError(EMAIL_TAKEN))
                user.email = email
                EmailVerificationService(self.db).invalidate_pending(user)
        if "full_name" in changes:
            user.full_name = (changes["full_name"] or "").strip() or None
        self.db.commit()
        return success(user)
