from fastapi import APIRouter, Depends, Request
from sqlalchemy.orm import Session

from app.api.deps import get_db
from app.api.errors import unwrap
from app.schemas.auth import LoginIn, TokenOut
from app.schemas.common import ErrorOut
from app.services.login_service import LoginService

UNKNOWN_CLIENT = "unknown"

router = APIRouter(prefix="/auth", tags=["auth"])


def client_ip(request: Request) -> str:
    """The peer address of the connection. X-Forwarded-For is not trusted: no proxy sets it."""
    return request.client.host if request.client is not None else UNKNOWN_CLIENT


@router.post(
    "/login",
    response_model=TokenOut,
    responses={429: {"model": ErrorOut, "description": "Too many attempts; see Retry-After"}},
)
def login(
    credentials: LoginIn,
    ip_address: str = Depends(client_ip),
    db: Session = Depends(get_db),
) -> TokenOut:
    """Exchange email + password for a bearer access token (401 / 403 / 429 on failure)."""
    result = LoginService(db).login(credentials.email, credentials.password, ip_address)
    issued = unwrap(result)  # RateLimitedError maps to 429 with its Retry-After header
    return TokenOut(access_token=issued.access_token, expires_in=issued.expires_in)
