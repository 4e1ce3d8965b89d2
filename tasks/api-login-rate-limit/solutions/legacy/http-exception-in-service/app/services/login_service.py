"""Password login: email + password in, an access token out, rate limited per client and email."""

from typing import Optional

from fastapi import HTTPException, status
from sqlalchemy.orm import Session

from app.core.clock import utcnow
from app.core.security import verify_password
from app.repositories.user_repository import UserRepository
from app.services.login_rate_limit import LoginRateLimiter
from app.services.token_service import IssuedToken, TokenService


def normalize_email(email: str) -> str:
    """The form emails are stored and compared in: surrounding spaces removed, lowercase."""
    return email.strip().lower()


class LoginService:
    def __init__(self, db: Session, users: Optional[UserRepository] = None) -> None:
        self.db = db
        self.users = users or UserRepository(db)

    def login(self, email: str, password: str, ip_address: str) -> IssuedToken:
        email = normalize_email(email)
        now = utcnow()
        limiter = LoginRateLimiter(self.db)
        limiter.check(email, ip_address, now)  # raises 429 when the key is over the limit

        user = self.users.get_by_email(email)
        if user is None or not verify_password(password, user.hashed_password):
            limiter.record(email, ip_address, succeeded=False, now=now)
            self.db.commit()
            raise HTTPException(
                status_code=status.HTTP_401_UNAUTHORIZED, detail="invalid_credentials"
            )
        if not user.is_active:
            limiter.record(email, ip_address, succeeded=False, now=now)
            self.db.commit()
            raise HTTPException(status_code=status.HTTP_403_FORBIDDEN, detail="forbidden")
        issued = TokenService(self.db).issue_access_token(user)
        limiter.record(email, ip_address, succeeded=True, now=now)
        self.db.commit()
        return issued
