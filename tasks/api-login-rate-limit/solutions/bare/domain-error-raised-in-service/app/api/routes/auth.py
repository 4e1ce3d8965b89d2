from fastapi import APIRouter, Depends, HTTPException, Request
from sqlalchemy.orm import Session

from app.api.deps import get_db
from app.schemas.auth import LoginIn, TokenOut
from app.services.login_service import (
    InactiveAccount,
    InvalidCredentials,
    LoginService,
    TooManyAttempts,
)

router = APIRouter(prefix="/auth", tags=["auth"])


@router.post("/login", response_model=TokenOut)
def login(credentials: LoginIn, request: Request, db: Session = Depends(get_db)) -> TokenOut:
    """Exchange email + password for a bearer access token (401 / 403 / 429 on failure)."""
    ip_address = request.client.host if request.client is not None else "unknown"
    try:
        issued = LoginService(db).login(credentials.email, credentials.password, ip_address)
    except TooManyAttempts as exc:
        raise HTTPException(
            status_code=429, detail="rate_limited", headers={"Retry-After": str(exc.retry_after)}
        )
    except InvalidCredentials:
        raise HTTPException(status_code=401, detail="invalid_credentials")
    except InactiveAccount:
        raise HTTPException(status_code=403, detail="forbidden")
    return TokenOut(access_token=issued.access_token, expires_in=issued.expires_in)
