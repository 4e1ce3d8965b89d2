from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from app.api.deps import get_db
from app.api.errors import unwrap
from app.schemas.auth import EmailVerificationRequest
from app.schemas.user import UserOut
from app.services.email_verification_service import EmailVerificationService

router = APIRouter(prefix="/auth", tags=["registration"])


@router.post("/verify-email")
def verify_email(payload: EmailVerificationRequest, db: Session = Depends(get_db)) -> UserOut:
    user = unwrap(EmailVerificationService(db).verify(payload.token))
    return UserOut.model_validate(user)
