from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from app.api.deps import get_db
from app.api.errors import unwrap
from app.schemas.auth import LoginIn, TokenOut
from app.services.login_service import LoginService

router = APIRouter(prefix="/auth", tags=["auth"])


@router.post("/login", response_model=TokenOut)
def login(credentials: LoginIn, db: Session = Depends(get_db)) -> TokenOut:
    """Exchange email + password for a bearer access token (401 / 403 / 423 on failure)."""
    issued = unwrap(LoginService(db).login(credentials.email, credentials.password))
    return TokenOut(access_token=issued.access_token, expires_in=issued.expires_in)
