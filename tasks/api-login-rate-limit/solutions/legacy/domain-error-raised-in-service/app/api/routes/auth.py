from fastapi import APIRouter, Depends, HTTPException, Request, status
from sqlalchemy.orm import Session

from app.api.deps import get_db
from app.schemas.auth import LoginIn, TokenOut
from app.services.login_rate_limit import LoginRateLimited
from app.services.login_service import InactiveAccount, InvalidCredentials, LoginService

router = APIRouter(prefix="/auth", tags=["auth"])


@router.post("/login", response_model=TokenOut)
def login(credentials: LoginIn, request: Request, db: Session = Depends(get_db)):
    ip_address = request.client.host if request.client else "unknown"
    try:
        issued = LoginService(db).login(credentials.email, credentials.password, ip_address)
    except LoginRateLimited as exc:
        raise HTTPException(
            status_code=status.HTTP_429_TOO_MANY_REQUESTS,
            detail="rate_limited",
            headers={"Retry-After": str(exc.retry_after)},
        )
    except InvalidCredentials:
        raise HTTPException(status_code=status.HTTP_401_UNAUTHORIZED, detail="invalid_credentials")
    except InactiveAccount:
        raise HTTPException(status_code=status.HTTP_403_FORBIDDEN, detail="forbidden")
    return TokenOut(access_token=issued.access_token, expires_in=issued.expires_in)
