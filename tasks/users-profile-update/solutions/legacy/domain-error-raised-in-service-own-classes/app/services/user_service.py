from typing import Optional

from fastapi import HTTPException, status
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.core.security import hash_token
from app.models.token import TOKEN_KIND_ACCESS
from app.models.user import User
from app.repositories.token_repository import TokenRepository
from app.repositories.user_repository import UserRepository

DISPLAY_NAME_MAX_LENGTH = 80


def _looks_like_email(email: str) -> bool:
    local, _, domain = email.partition("@")
    return bool(local) and "@" not in domain and "." in domain[1:-1]


class ProfileUpdateRefused(Exception):
    """The profile update was refused; `status_code` and `code` say why."""

    def __init__(self, status_code: int, code: str) -> None:
        super().__init__(code)
        self.status_code = status_code
        self.code = code


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
        display_name: Optional[str] = None,
        email: Optional[str] = None,
    ) -> User:
        if display_name is None and email is None:
            raise ProfileUpdateRefused(422, "nothing_to_update")
        user = self.users.get(user_id)
        if user is None:
            raise ProfileUpdateRefused(404, "not_found")

        if display_name is not None:
            display_name = display_name.strip()
            if not display_name or len(display_name) > DISPLAY_NAME_MAX_LENGTH:
                raise ProfileUpdateRefused(422, "invalid_display_name")

        email_changed = False
        if email is not None:
            email = email.strip().lower()
            if not _looks_like_email(email):
                raise ProfileUpdateRefused(422, "invalid_email")
            if email != user.email.lower():
                other = self.db.scalars(
                    select(User).where(func.lower(User.email) == email, User.id != user.id)
                ).first()
                if other is not None:
                    raise ProfileUpdateRefused(409, "email_taken")
                email_changed = True

        if display_name is not None:
            user.full_name = display_name
        if email_changed:
            user.email = email
            user.is_verified = False
            current_hash = hash_token(current_token)
            for token in TokenRepository(self.db).list_for_user(user.id, kind=TOKEN_KIND_ACCESS):
                if token.token_hash != current_hash:
                    token.revoked = True
        self.db.commit()
        return user
