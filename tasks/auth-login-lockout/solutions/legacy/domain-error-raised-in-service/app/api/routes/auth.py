from fastapi import APIRouter, Depends, HTTPException, status
from sqlalchemy.orm import Session

from app.api.deps import get_db
from app.schemas.auth import LoginIn, TokenOut
from app.services.login_service import (
    AccountInactive,
    AccountLocked,
    InvalidCredentials,
    LoginService,
)

router = APIRouter(prefix="/auth", tags=["auth"])


@router.post("/login", response_model=TokenOut)
def login(credentials: LoginIn, db: Session = Depends(get_db)) -> TokenOut:
    """Exchange email + password for a bearer access token (401 / 403 / 423 on failure)."""
    try:
        issued = LoginService(db).login(credentials.email, credentials.password)
    except InvalidCredentials:
        raise HTTPException(status_code=status.HTTP_401_UNAUTHORIZED, detail="invalid_credentials")
    except AccountLocked:
        raise HTTPException(status_code=status.HTTP_423_LOCKED, detail="account_locked")
    except AccountInactive:
        raise HTTPException(status_code=status.HTTP_403_FORBIDDEN, detail="forbidden")
    return TokenOut(access_token=issued.access_token, expires_in=issued.expires_in)
