"""Password login: email + password in, an access token out."""

from typing import Optional

from fastapi import HTTPException, status
from sqlalchemy.orm import Session

from app.core.security import verify_password
from app.repositories.user_repository import UserRepository
from app.services.token_service import IssuedToken, TokenService


def normalize_email(email: str) -> str:
    """The form emails are stored and compared in: surrounding spaces removed, lowercase."""
    return email.strip().lower()


class LoginService:
    def __init__(self, db: Session, users: Optional[UserRepository] = None) -> None:
        self.db = db
        self.users = users or UserRepository(db)

    def login(self, email: str, password: str) -> IssuedToken:
        user = self.users.get_by_email(normalize_email(email))
        if user is None or not verify_password(password, user.hashed_password):
            raise HTTPException(
                status_code=status.HTTP_401_UNAUTHORIZED, detail="invalid_credentials"
            )
        if not user.is_active:
            raise HTTPException(status_code=status.HTTP_403_FORBIDDEN, detail="forbidden")
        issued = TokenService(self.db).issue_access_token(user)
        self.db.commit()
        return issued
