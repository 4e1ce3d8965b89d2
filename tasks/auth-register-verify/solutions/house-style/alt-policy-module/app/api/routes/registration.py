from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from app.api.deps import get_db, get_email_sender
from app.api.errors import unwrap
from app.integrations.email import EmailSender
from app.schemas.auth import Accepted, ResendRequest, SignUpRequest
from app.schemas.user import UserOut
from app.services.registration_service import RegistrationService

router = APIRouter(prefix="/auth", tags=["registration"])


def registration_service(
    db: Session = Depends(get_db), sender: EmailSender = Depends(get_email_sender)
) -> RegistrationService:
    return RegistrationService(db, sender)


@router.post("/register", status_code=201)
async def sign_up(
    payload: SignUpRequest, service: RegistrationService = Depends(registration_service)
) -> UserOut:
    user = unwrap(await service.register(payload.email, payload.password, payload.full_name))
    return UserOut.model_validate(user)


@router.post("/verify-email/resend", status_code=202)
async def resend(
    payload: ResendRequest, service: RegistrationService = Depends(registration_service)
) -> Accepted:
    unwrap(await service.resend_verification(payload.email))
    return Accepted()
