from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from app.api.deps import get_db
from app.api.errors import raise_for
from app.core.result import Failure, Success
from app.schemas.token import RefreshRequest, TokenResponse
from app.services.token_refresh_service import TokenRefreshService

router = APIRouter(prefix="/auth", tags=["auth"])
token_router = APIRouter(prefix="/token")


@token_router.post("/refresh", response_model=TokenResponse)
def refresh(payload: RefreshRequest, db: Session = Depends(get_db)) -> TokenResponse:
    match TokenRefreshService(db).refresh(payload.refresh_token):
        case Success(value=session):
            return TokenResponse(**session._asdict())
        case Failure(error=error):
            raise_for(error)


router.include_router(token_router)
