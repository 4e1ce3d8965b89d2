"""Email + password login, guarded by the lockout policy of app.services.lockout."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.clock import utcnow
from app.core.result import Result, failure, success
from app.core.security import verify_password
from app.domain.exceptions import AccountLockedError, InvalidCredentialsError, PermissionDeniedError
from app.models.user import User
from app.services import lockout
from app.services.access_tokens import AccessGrant, grant_access


class LoginService:
    def __init__(self, db: Session) -> None:
        self._db = db

    def login(
        self, email: str, password: str
    ) -> Result[AccessGrant, InvalidCredentialsError | AccountLockedError | PermissionDeniedError]:
        account = self._db.scalar(select(User).where(User.email == email))
        if account is None:
            return failure(InvalidCredentialsError())

        now = utcnow()
        if lockout.is_locked(account, now):
            return failure(AccountLockedError())

        if not verify_password(password, account.hashed_password):
            lockout.record_failure(self._db, account.id, now)
            self._db.commit()  # the failure must outlive the 401
            return failure(InvalidCredentialsError())

        if not account.is_active:
            return failure(PermissionDeniedError())

        lockout.forget_failures(account)
        grant = grant_access(self._db, account.id)
        self._db.commit()
        return success(grant)
