import time

from fastapi import APIRouter, Depends, Request
from sqlalchemy.orm import Session

from app.api.deps import get_db
from app.api.errors import raise_for
from app.core.result import Failure, Success
from app.domain.exceptions import InvalidCredentialsError
from app.schemas.auth import LoginIn, TokenOut
from app.services.login_service import LoginService

UNKNOWN_CLIENT = "unknown"
# Slow every failed guess down a little more, on top of the hard limit.
FAILED_LOGIN_DELAY_SECONDS = 0.2

router = APIRouter(prefix="/auth", tags=["auth"])


def client_ip(request: Request) -> str:
    return request.client.host if request.client is not None else UNKNOWN_CLIENT


@router.post("/login", response_model=TokenOut)
async def login(
    credentials: LoginIn,
    ip_address: str = Depends(client_ip),
    db: Session = Depends(get_db),
) -> TokenOut:
    """Exchange email + password for a bearer access token (401 / 403 / 429 on failure)."""
    result = LoginService(db).login(credentials.email, credentials.password, ip_address)
    match result:
        case Success(value=issued):
            return TokenOut(access_token=issued.access_token, expires_in=issued.expires_in)
        case Failure(error=InvalidCredentialsError() as error):
            time.sleep(FAILED_LOGIN_DELAY_SECONDS)
            raise_for(error)
        case Failure(error=error):
            raise_for(error)
