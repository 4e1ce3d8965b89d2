from fastapi import HTTPException
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from app.core.security import hash_token
from app.models.token import TOKEN_KIND_ACCESS, Token
from app.models.user import User

DISPLAY_NAME_MAX_LENGTH = 80


def _looks_like_email(email: str) -> bool:
    local, _, domain = email.partition("@")
    return bool(local) and "@" not in domain and "." in domain[1:-1]


class UserService:
    def __init__(self, db: Session) -> None:
        self.db = db

    def update_profile(
        self,
        user_id: int,
        current_token: str,
        display_name: str | None = None,
        email: str | None = None,
    ) -> User:
        if display_name is None and email is None:
            raise HTTPException(status_code=422, detail="nothing_to_update")
        user = self.db.get(User, user_id)
        if user is None:
            raise HTTPException(status_code=404, detail="not_found")

        if display_name is not None:
            display_name = display_name.strip()
            if not display_name or len(display_name) > DISPLAY_NAME_MAX_LENGTH:
                raise HTTPException(status_code=422, detail="invalid_display_name")

        email_changed = False
        if email is not None:
            email = email.strip().lower()
            if not _looks_like_email(email):
                raise HTTPException(status_code=422, detail="invalid_email")
            if email != user.email.lower():
                taken = self.db.scalars(
                    select(User.id).where(func.lower(User.email) == email, User.id != user.id)
                ).first()
                if taken is not None:
                    raise HTTPException(status_code=409, detail="email_taken")
                email_changed = True

        if display_name is not None:
            user.full_name = display_name
        if email_changed:
            user.email = email
            user.is_verified = False
            self.db.execute(
                update(Token)
                .where(
                    Token.user_id == user.id,
                    Token.kind == TOKEN_KIND_ACCESS,
                    Token.token_hash != hash_token(current_token),
                )
                .values(revoked=True)
            )
        self.db.commit()
        return user
