"""Password login with a lockout after repeated consecutive failures."""

from datetime import timedelta

from fastapi import HTTPException, status
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.clock import utcnow
from app.core.security import verify_password
from app.models.user import User
from app.services.token_service import IssuedToken, TokenService

MAX_FAILED_LOGIN_ATTEMPTS = 5
LOCKOUT_DURATION = timedelta(minutes=15)


class LoginService:
    def __init__(self, db: Session) -> None:
        self.db = db

    def login(self, email: str, password: str) -> IssuedToken:
        user = self.db.scalars(select(User).where(User.email == email)).first()
        if user is None:
            raise HTTPException(status_code=status.HTTP_401_UNAUTHORIZED, detail="invalid_credentials")
        now = utcnow()
        if user.locked_until is not None and user.locked_until > now:
            raise HTTPException(status_code=status.HTTP_423_LOCKED, detail="account_locked")
        if not verify_password(password, user.hashed_password):
            expired_lock = user.locked_until is not None
            user.failed_login_attempts = 1 if expired_lock else user.failed_login_attempts + 1
            user.locked_until = None
            if user.failed_login_attempts >= MAX_FAILED_LOGIN_ATTEMPTS:
                user.locked_until = now + LOCKOUT_DURATION
            self.db.commit()
            raise HTTPException(status_code=status.HTTP_401_UNAUTHORIZED, detail="invalid_credentials")
        if not user.is_active:
            raise HTTPException(status_code=status.HTTP_403_FORBIDDEN, detail="forbidden")

        user.failed_login_attempts = 0
        user.locked_until = None
        issued = TokenService(self.db).issue_access_token(user)
        self.db.commit()
        return issued
