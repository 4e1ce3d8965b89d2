"""Account data: creating an account and editing its profile."""

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.result import Result, failure, success
from app.core.security import hash_password
from app.domain.accounts import (
    EMAIL_TAKEN,
    INVALID_EMAIL,
    canonical_email,
    clean_full_name,
    email_is_valid,
    weak_password_reason,
)
from app.domain.exceptions import ConflictError, ValidationFailedError
from app.models.user import User
from app.services.email_verification_service import EmailVerificationService


@dataclass(frozen=True)
class NewAccount:
    user: User
    verification_token: str


class AccountService:
    def __init__(self, db: Session) -> None:
        self.db = db

    def register(
        self, email: str, password: str, full_name: str | None
    ) -> Result[NewAccount, ValidationFailedError | ConflictError]:
        email = canonical_email(email)
        if not email_is_valid(email):
            return failure(ValidationFailedError(INVALID_EMAIL))
        reason = weak_password_reason(password)
        if reason is not None:
            return failure(ValidationFailedError(reason))
        if self._email_owner(email) is not None:
            return failure(ConflictError(EMAIL_TAKEN))
        user = User(
            email=email,
            hashed_password=hash_password(password),
            full_name=clean_full_name(full_name),
            is_active=True,
            is_verified=False,
        )
        self.db.add(user)
        self.db.flush()
        raw = EmailVerificationService(self.db).new_token(user)
        self.db.commit()
        return success(NewAccount(user=user, verification_token=raw))

    def update_profile(
        self, user: User, changes: Mapping[str, str | None]
    ) -> Result[User, ValidationFailedError | ConflictError]:
        if "email" in changes:
            email = canonical_email(changes["email"])
            if not email_is_valid(email):
                return failure(ValidationFailedError(INVALID_EMAIL))
            owner = self._email_owner(email)
            if owner is not None and owner.id != user.id:
                return failure(ConflictError(EMAIL_TAKEN))
            if email != user.email:
                user.email = email
                EmailVerificationService(self.db).address_changed(user)
        if "full_name" in changes:
            user.full_name = clean_full_name(changes["full_name"])
        self.db.commit()
        return success(user)

    def _email_owner(self, email: str) -> User | None:
        return self.db.scalars(select(User).where(User.email == email)).first()
