"""Email verification tokens: issuing one (hashed, single-use, 24 h) and emailing it."""

import logging
import time
from datetime import timedelta

from sqlalchemy import update
from sqlalchemy.orm import Session

from app.core.clock import utcnow
from app.core.security import generate_token, hash_token
from app.integrations.email import EmailDeliveryError, EmailSender
from app.models.token import TOKEN_KIND_EMAIL_VERIFICATION, Token
from app.models.user import User

VERIFICATION_TOKEN_TTL = timedelta(hours=24)
SEND_ATTEMPTS = 3
RETRY_DELAY_SECONDS = 0.05
VERIFICATION_EMAIL_SUBJECT = "Verify your email address"
VERIFICATION_EMAIL_BODY = (
    "Welcome to the shop!\n\n"
    "Confirm your email address with this token (valid for {hours} hours, once):\n\n"
    "token: {token}\n\n"
    "If you did not sign up, ignore this email."
)

logger = logging.getLogger(__name__)


def normalize_email(email: str) -> str:
    """The canonical form of an email address: no surrounding whitespace, lowercase."""
    return email.strip().lower()


def issue_verification_token(db: Session, user: User) -> str:
    """Revoke the user's outstanding verification tokens and add a new one (the caller
    commits); return the raw token, which is never stored."""
    db.execute(
        update(Token)
        .where(
            Token.user_id == user.id,
            Token.kind == TOKEN_KIND_EMAIL_VERIFICATION,
            Token.revoked.is_(False),
            Token.used_at.is_(None),
        )
        .values(revoked=True)
    )
    raw_token = generate_token()
    db.add(
        Token(
            user_id=user.id,
            kind=TOKEN_KIND_EMAIL_VERIFICATION,
            token_hash=hash_token(raw_token),
            expires_at=utcnow() + VERIFICATION_TOKEN_TTL,
        )
    )
    return raw_token


async def send_verification_email(sender: EmailSender, to: str, raw_token: str) -> None:
    """Email the raw token, retrying transient failures with a short pause; a delivery
    that still fails is logged (the user can ask for a resend)."""
    body = VERIFICATION_EMAIL_BODY.format(
        token=raw_token, hours=VERIFICATION_TOKEN_TTL // timedelta(hours=1)
    )
    for attempt in range(1, SEND_ATTEMPTS + 1):
        try:
            await sender.send(to=to, subject=VERIFICATION_EMAIL_SUBJECT, body=body)
            return
        except EmailDeliveryError:
            logger.warning("verification email to %s failed (attempt %d)", to, attempt)
            if attempt < SEND_ATTEMPTS:
                time.sleep(RETRY_DELAY_SECONDS * attempt)
