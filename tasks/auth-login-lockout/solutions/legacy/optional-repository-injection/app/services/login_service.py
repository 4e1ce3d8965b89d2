"""Password login with a lockout after repeated consecutive failures."""

from datetime import datetime, timedelta
from typing import Optional

from sqlalchemy.orm import Session

from app.core.clock import utcnow
from app.core.result import Result, failure, success
from app.core.security import verify_password
from app.domain.exceptions import AccountLockedError, InvalidCredentialsError, PermissionDeniedError
from app.models.user import User
from app.repositories.token_repository import TokenRepository
from app.repositories.user_repository import UserRepository
from app.services.token_service import IssuedToken, TokenService

MAX_FAILED_LOGIN_ATTEMPTS = 5
LOCKOUT_DURATION = timedelta(minutes=15)

LoginError = InvalidCredentialsError | AccountLockedError | PermissionDeniedError


class LoginService:
    def __init__(
        self,
        db: Session,
        users: Optional[UserRepository] = None,
        tokens: Optional[TokenRepository] = None,
    ) -> None:
        self.db = db
        self.users = users or UserRepository(db)
        self.tokens = tokens or TokenRepository(db)

    def login(self, email: str, password: str) -> Result[IssuedToken, LoginError]:
        user = self.users.get_by_email(email)
        if user is None:
            return failure(InvalidCredentialsError())
        now = utcnow()
        if user.locked_until is not None and user.locked_until > now:
            return failure(AccountLockedError())
        if not verify_password(password, user.hashed_password):
            self._record_failure(user, now)
            self.db.commit()
            return failure(InvalidCredentialsError())
        if not user.is_active:
            return failure(PermissionDeniedError())

        user.failed_login_attempts = 0
        user.locked_until = None
        issued = TokenService(self.db, tokens=self.tokens).issue_access_token(user)
        self.db.commit()
        return success(issued)

    @staticmethod
    def _record_failure(user: User, now: datetime) -> None:
        # A lock that has expired starts a fresh series of attempts.
        previous = 0 if user.locked_until is not None else user.failed_login_attempts
        user.failed_login_attempts = previous + 1
        user.locked_until = None
        if user.failed_login_attempts >= MAX_FAILED_LOGIN_ATTEMPTS:
            user.locked_until = now + LOCKOUT_DURATION
