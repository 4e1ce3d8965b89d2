from typing import Annotated

from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from app.api.deps import get_db
from app.core.result import Failure
from app.schemas.login import AccessTokenResponse, LoginRequest
from app.services.login_service import LoginService

TOKEN_TYPE = "bearer"

router = APIRouter(prefix="/auth", tags=["auth"])


@router.post("/login")
def login(
    body: LoginRequest, db: Annotated[Session, Depends(get_db)]
) -> AccessTokenResponse:
    outcome = LoginService(db).login(body.email, body.password)
    if isinstance(outcome, Failure):
        raise outcome.error.to_http_exception()
    grant = outcome.value
    return AccessTokenResponse(
        access_token=grant.token, token_type=TOKEN_TYPE, expires_in=grant.lifetime_seconds
    )
