import logging
from datetime import timedelta

from fastapi import APIRouter, Depends, HTTPException, status
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.api.deps import get_db, get_email_sender
from app.core.clock import utcnow
from app.core.security import generate_token, hash_password, hash_token
from app.integrations.email import EmailDeliveryError, EmailSender
from app.models.token import TOKEN_KIND_EMAIL_VERIFICATION, Token
from app.models.user import User
from app.schemas.registration import (
    AcceptedOut,
    RegisterIn,
    ResendVerificationIn,
    VerifyEmailIn,
)
from app.schemas.user import UserOut

MIN_PASSWORD_LENGTH = 8
EMAIL_ALREADY_REGISTERED = "email_already_registered"
VERIFICATION_TOKEN_TTL = timedelta(hours=24)
VERIFICATION_EMAIL_SUBJECT = "Verify your email address"
VERIFICATION_EMAIL_BODY = (
    "Welcome to the shop!\n\n"
    "Confirm your email address with this token (valid for {hours} hours, once):\n\n"
    "token: {token}\n\n"
    "If you did not sign up, ignore this email."
)

logger = logging.getLogger(__name__)

router = APIRouter(prefix="/auth", tags=["auth"])


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
    """Email the raw token; a delivery failure is logged (the user can ask for a resend)."""
    body = VERIFICATION_EMAIL_BODY.format(
        token=raw_token, hours=VERIFICATION_TOKEN_TTL // timedelta(hours=1)
    )
    try:
        await sender.send(to=to, subject=VERIFICATION_EMAIL_SUBJECT, body=body)
    except EmailDeliveryError:
        logger.warning("verification email to %s could not be delivered", to)


@router.post("/register", status_code=status.HTTP_201_CREATED, response_model=UserOut)
async def register(
    body: RegisterIn,
    db: Session = Depends(get_db),
    sender: EmailSender = Depends(get_email_sender),
) -> User:
    """Create an unverified account and email a verification token (409 / 422 on failure)."""
    if len(body.password) < MIN_PASSWORD_LENGTH:
        raise HTTPException(
            status_code=422,
            detail=f"the password must have at least {MIN_PASSWORD_LENGTH} characters",
        )
    email = normalize_email(body.email)
    if db.scalars(select(User).where(User.email == email)).first() is not None:
        raise HTTPException(status_code=409, detail=EMAIL_ALREADY_REGISTERED)

    user = User(
        email=email,
        hashed_password=hash_password(body.password),
        full_name=body.full_name,
        is_active=True,
        is_verified=False,
    )
    db.add(user)
    try:
        db.flush()
    except IntegrityError:  # a concurrent sign-up with the same email won the race
        db.rollback()
        raise HTTPException(status_code=409, detail=EMAIL_ALREADY_REGISTERED) from None
    raw_token = issue_verification_token(db, user)
    db.commit()
    await send_verification_email(sender, user.email, raw_token)
    return user


@router.post("/verify-email", response_model=UserOut)
def verify_email(body: VerifyEmailIn, db: Session = Depends(get_db)) -> User:
    """Mark the token's user verified and spend the token; 400 for any invalid token."""
    now = utcnow()
    verification = db.scalars(
        select(Token).where(
            Token.token_hash == hash_token(body.token),
            Token.kind == TOKEN_KIND_EMAIL_VERIFICATION,
            Token.revoked.is_(False),
            Token.used_at.is_(None),
            Token.expires_at > now,
        )
    ).first()
    if verification is None:
        raise HTTPException(status_code=400, detail="invalid_token")

    verification.used_at = now
    db.execute(
        update(Token)
        .where(
            Token.user_id == verification.user_id,
            Token.kind == TOKEN_KIND_EMAIL_VERIFICATION,
            Token.id != verification.id,
            Token.revoked.is_(False),
        )
        .values(revoked=True)
    )
    user = verification.user
    user.is_verified = True
    db.commit()
    return user


@router.post(
    "/verify-email/resend",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=AcceptedOut,
)
async def resend_verification_email(
    body: ResendVerificationIn,
    db: Session = Depends(get_db),
    sender: EmailSender = Depends(get_email_sender),
) -> AcceptedOut:
    """Always 202: the answer never tells whether the email has an (unverified) account."""
    user = db.scalars(select(User).where(User.email == normalize_email(body.email))).first()
    if user is None or user.is_verified:
        return AcceptedOut()
    raw_token = issue_verification_token(db, user)
    db.commit()
    await send_verification_email(sender, user.email, raw_token)
    return AcceptedOut()
