"""Password login: email + password in, an access token out."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.result import Result, failure, success
from app.core.security import verify_password
from app.domain.exceptions import InvalidCredentialsError, PermissionDeniedError
from app.models.user import User
from app.services.token_service import IssuedToken, TokenService

LoginError = InvalidCredentialsError | PermissionDeniedError


def normalize_email(email: str) -> str:
    """The form emails are stored and compared in: surrounding spaces removed, lowercase."""
    return email.strip().lower()


class LoginService:
    def __init__(self, db: Session) -> None:
        self.db = db

    def login(self, email: str, password: str) -> Result[IssuedToken, LoginError]:
        user = self.db.scalars(select(User).where(User.email == normalize_email(email))).first()
        if user is None or not verify_password(password, user.hashed_password):
            return failure(InvalidCredentialsError())
        if not user.is_active:
            return failure(PermissionDeniedError())
        issued = TokenService(self.db).issue_access_token(user)
        self.db.commit()
        return success(issued)
