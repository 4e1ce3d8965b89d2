"""Password login with a lockout after repeated consecutive failures."""

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.clock import utcnow
from app.core.result import Result, failure, success
from app.core.security import verify_password
from app.domain.exceptions import AccountLockedError, InvalidCredentialsError, PermissionDeniedError
from app.models.user import User
from app.services.token_service import IssuedToken, TokenService

LoginError = InvalidCredentialsError | AccountLockedError | PermissionDeniedError


class LoginService:
    def __init__(self, db: Session) -> None:
        self.db = db

    def login(self, email: str, password: str) -> Result[IssuedToken, LoginError]:
        MAX_FAILED_ATTEMPTS = 5
        LOCKOUT_MINUTES = 15

        user = self.db.scalars(select(User).where(User.email == email)).first()
        if user is None:
            return failure(InvalidCredentialsError())
        now = utcnow()
        if user.locked_until is not None and user.locked_until > now:
            return failure(AccountLockedError())
        if not verify_password(password, user.hashed_password):
            # A lock that has expired starts a fresh series of attempts.
            previous = 0 if user.locked_until is not None else user.failed_login_attempts
            user.failed_login_attempts = previous + 1
            user.locked_until = None
            if user.failed_login_attempts >= MAX_FAILED_ATTEMPTS:
                user.locked_until = now + timedelta(minutes=LOCKOUT_MINUTES)
            self.db.commit()
            return failure(InvalidCredentialsError())
        if not user.is_active:
            return failure(PermissionDeniedError())

        user.failed_login_attempts = 0
        user.locked_until = None
        issued = TokenService(self.db).issue_access_token(user)
        self.db.commit()
        return success(issued)
