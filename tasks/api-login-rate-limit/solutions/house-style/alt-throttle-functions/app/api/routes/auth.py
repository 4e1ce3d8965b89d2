from fastapi import APIRouter, Depends, HTTPException, status
from sqlalchemy.orm import Session

from app.api.client_address import get_client_address
from app.api.deps import get_db
from app.api.errors import raise_for
from app.core.result import Failure, Success
from app.domain.login_throttle import LoginThrottledError
from app.schemas.auth import LoginIn, TokenOut
from app.services.login_service import LoginService

router = APIRouter(prefix="/auth", tags=["auth"])


@router.post("/login", response_model=TokenOut)
def login(
    credentials: LoginIn,
    db: Session = Depends(get_db),
    client_address: str = Depends(get_client_address),
) -> TokenOut:
    """Exchange email + password for a bearer access token (401 / 403 / 429 on failure)."""
    match LoginService(db).login(credentials.email, credentials.password, client_address):
        case Success(value=issued):
            return TokenOut(access_token=issued.access_token, expires_in=issued.expires_in)
        case Failure(error=LoginThrottledError() as throttled):
            raise HTTPException(
                status_code=status.HTTP_429_TOO_MANY_REQUESTS,
                detail=throttled.code,
                headers={"Retry-After": str(throttled.retry_after_seconds)},
            )
        case Failure(error=error):
            raise_for(error)
