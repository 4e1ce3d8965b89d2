from typing import Optional

from fastapi import HTTPException, status
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.api.deps import find_access_token
from app.core.result import Result, failure, success
from app.domain.exceptions import ConflictError, NotFoundError, ValidationFailedError
from app.models.token import TOKEN_KIND_ACCESS
from app.models.user import User
from app.repositories.token_repository import TokenRepository
from app.repositories.user_repository import UserRepository

DISPLAY_NAME_MAX_LENGTH = 80

ProfileUpdateError = ValidationFailedError | ConflictError | NotFoundError


def normalize_email(email: str) -> str:
    return email.strip().lower()


def looks_like_email(email: str) -> bool:
    """One `@` with something before it, and a dot inside the domain after it."""
    local, _, domain = email.partition("@")
    return bool(local) and "@" not in domain and "." in domain[1:-1]


class UserService:
    def __init__(self, db: Session, users: Optional[UserRepository] = None) -> None:
        self.db = db
        self.users = users or UserRepository(db)

    def get_user(self, user_id: int) -> User:
        user = self.users.get(user_id)
        if not user:
            raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail="not_found")
        return user

    def get_by_email(self, email: str) -> Optional[User]:
        return self.users.get_by_email(email)

    def update_profile(
        self,
        user_id: int,
        current_token: str,
        display_name: str | None = None,
        email: str | None = None,
    ) -> Result[User, ProfileUpdateError]:
        """Change the display name (`full_name`) and/or the email of a user.

        A new email has to be confirmed again and signs the user out everywhere except the
        session of `current_token`.
        """
        if display_name is None and email is None:
            return failure(ValidationFailedError("nothing_to_update"))
        user = self.db.get(User, user_id)
        if user is None:
            return failure(NotFoundError(f"user {user_id} not found"))

        if display_name is not None:
            display_name = display_name.strip()
            if not 1 <= len(display_name) <= DISPLAY_NAME_MAX_LENGTH:
                return failure(ValidationFailedError("invalid_display_name"))

        new_email = None
        if email is not None:
            email = normalize_email(email)
            if not looks_like_email(email):
                return failure(ValidationFailedError("invalid_email"))
            if email != user.email.lower():
                if self._email_taken(email, user.id):
                    return failure(ConflictError("email_taken"))
                new_email = email

        if display_name is not None:
            user.full_name = display_name
        if new_email is not None:
            user.email = new_email
            user.is_verified = False
            self._revoke_other_access_tokens(user.id, current_token)
        try:
            self.db.commit()
        except IntegrityError:
            # Another account took the address between the check and the commit.
            self.db.rollback()
            return failure(ConflictError("email_taken"))
        return success(user)

    def _email_taken(self, email: str, user_id: int) -> bool:
        taken_by = self.db.scalars(
            select(User.id).where(func.lower(User.email) == email, User.id != user_id)
        ).first()
        return taken_by is not None

    def _revoke_other_access_tokens(self, user_id: int, current_token: str) -> None:
        """Revoke the user's access tokens, except the one the request came with."""
        current = find_access_token(self.db, current_token)
        for token in TokenRepository(self.db).list_for_user(user_id, kind=TOKEN_KIND_ACCESS):
            if not token.revoked and (current is None or token.id != current.id):
                token.revoked = True
