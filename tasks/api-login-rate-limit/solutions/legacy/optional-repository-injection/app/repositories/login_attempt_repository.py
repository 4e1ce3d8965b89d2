from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models.login_attempt import LoginAttempt


class LoginAttemptRepository:
    def __init__(self, db: Session) -> None:
        self.db = db

    def list_since(self, ip_address: str, email: str, since: datetime) -> list[LoginAttempt]:
        """The key's attempts made after `since`, oldest first."""
        query = (
            select(LoginAttempt)
            .where(
                LoginAttempt.ip_address == ip_address,
                LoginAttempt.email == email,
                LoginAttempt.attempted_at > since,
            )
            .order_by(LoginAttempt.attempted_at)
        )
        return list(self.db.scalars(query))

    def add(self, attempt: LoginAttempt) -> LoginAttempt:
        self.db.add(attempt)
        self.db.flush()
        return attempt
