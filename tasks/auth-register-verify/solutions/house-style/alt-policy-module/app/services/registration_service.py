"""Self-service sign-up."""

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.core.account_policy import MIN_PASSWORD_LENGTH, canonical_email
from app.core.result import Result, failure, success
from app.core.security import hash_password
from app.domain.exceptions import ConflictError, DomainError, ValidationFailedError
from app.integrations.email import EmailSender
from app.models.user import User
from app.services.verification_mailer import VerificationMailer
from app.services.verification_tokens import VerificationTokens

EMAIL_TAKEN = "email_already_registered"


class RegistrationService:
    def __init__(self, db: Session, email_sender: EmailSender) -> None:
        self.db = db
        self.tokens = VerificationTokens(db)
        self.mailer = VerificationMailer(email_sender)

    def _user_with_email(self, address: str) -> User | None:
        return self.db.scalars(
            select(User).where(func.lower(User.email) == canonical_email(address))
        ).first()

    async def register(
        self, email: str, password: str, full_name: str | None = None
    ) -> Result[User, ValidationFailedError | ConflictError]:
        if len(password) < MIN_PASSWORD_LENGTH:
            return failure(ValidationFailedError("password_too_short"))
        if self._user_with_email(email) is not None:
            return failure(ConflictError(EMAIL_TAKEN))
        user = User(
            email=canonical_email(email),
            hashed_password=hash_password(password),
            full_name=full_name,
            is_active=True,
            is_verified=False,
        )
        self.db.add(user)
        self.db.flush()
        raw = self.tokens.issue(user.id)
        self.db.commit()
        await self.mailer.deliver(user.email, raw)
        return success(user)

    async def resend_verification(self, email: str) -> Result[None, DomainError]:
        user = self._user_with_email(email)
        if user is not None and not user.is_verified:
            raw = self.tokens.issue(user.id)
            self.db.commit()
            await self.mailer.deliver(user.email, raw)
        return success(None)
