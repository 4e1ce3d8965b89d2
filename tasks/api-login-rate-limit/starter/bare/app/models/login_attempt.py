from datetime import datetime

from sqlalchemy import Boolean, DateTime, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.clock import utcnow
from app.db import Base


class LoginAttempt(Base):
    """One password login attempt, for rate limiting and auditing.

    `email` is the normalized email that was tried (it need not belong to a user);
    `ip_address` is the client address the request came from; `succeeded` is true only
    for an attempt that issued a token. `attempted_at` is naive UTC (app.core.clock).
    """

    __tablename__ = "login_attempts"
    __table_args__ = (Index("ix_login_attempts_key_time", "ip_address", "email", "attempted_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(255))
    ip_address: Mapped[str] = mapped_column(String(64))
    succeeded: Mapped[bool] = mapped_column(Boolean, default=False)
    attempted_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    def __repr__(self) -> str:
        return (
            f"LoginAttempt(id={self.id!r}, email={self.email!r}, ip_address={self.ip_address!r}, "
            f"succeeded={self.succeeded!r})"
        )
