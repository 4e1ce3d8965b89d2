from fastapi import APIRouter, Depends, HTTPException, status
from sqlalchemy.orm import Session

from app.api.deps import get_db, get_email_sender
from app.integrations.email import EmailSender
from app.models.user import User
from app.schemas.registration import (
    AcceptedOut,
    RegisterIn,
    ResendVerificationIn,
    VerifyEmailIn,
)
from app.schemas.user import UserOut
from app.services.email_verification_service import (
    EmailVerificationService,
    InvalidVerificationToken,
)
from app.services.registration_service import (
    EmailAlreadyRegistered,
    PasswordTooShort,
    RegistrationService,
)

router = APIRouter(prefix="/auth", tags=["auth"])


@router.post("/register", status_code=status.HTTP_201_CREATED, response_model=UserOut)
async def register(
    body: RegisterIn,
    db: Session = Depends(get_db),
    sender: EmailSender = Depends(get_email_sender),
) -> User:
    """Create an unverified account and email a verification token (409 / 422 on failure)."""
    try:
        return await RegistrationService(db, sender).register(
            body.email, body.password, body.full_name
        )
    except PasswordTooShort as error:
        raise HTTPException(status_code=422, detail=str(error))
    except EmailAlreadyRegistered:
        raise HTTPException(
            status_code=status.HTTP_409_CONFLICT, detail="email_already_registered"
        )


@router.post("/verify-email", response_model=UserOut)
def verify_email(body: VerifyEmailIn, db: Session = Depends(get_db)) -> User:
    try:
        return EmailVerificationService(db).verify(body.token)
    except InvalidVerificationToken:
        raise HTTPException(status_code=status.HTTP_400_BAD_REQUEST, detail="invalid_token")


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
    await RegistrationService(db, sender).resend_verification(body.email)
    return AcceptedOut()
