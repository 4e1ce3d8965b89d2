from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.clock import utcnow
from app.db import Base
from app.models.user import User

TOKEN_KIND_ACCESS = "access"
TOKEN_KIND_REFRESH = "refresh"
TOKEN_KIND_EMAIL_VERIFICATION = "email_verification"
TOKEN_KIND_PASSWORD_RESET = "password_reset"


class Token(Base):
    """An opaque token. Only the SHA-256 of the raw token is stored (app.core.security)."""

    __tablename__ = "tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    used_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    user: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"Token(id={self.id!r}, user_id={self.user_id!r}, kind={self.kind!r})"
