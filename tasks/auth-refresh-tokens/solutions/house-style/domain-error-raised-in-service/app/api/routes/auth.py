from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from app.api.deps import get_db
from app.api.errors import raise_for, unwrap
from app.domain.exceptions import DomainError
from app.schemas.auth import RefreshIn, TokenPairOut
from app.services.token_refresh_service import TokenRefreshService

router = APIRouter(prefix="/auth", tags=["auth"])


@router.post("/token/refresh", response_model=TokenPairOut)
def refresh_token(body: RefreshIn, db: Session = Depends(get_db)) -> TokenPairOut:
    """Rotate a refresh token into a new access + refresh pair (401 on any failure)."""
    try:
        pair = unwrap(TokenRefreshService(db).refresh(body.refresh_token))
    except DomainError as error:
        raise_for(error)
    return TokenPairOut(
        access_token=pair.access_token,
        refresh_token=pair.refresh_token,
        expires_in=pair.expires_in,
    )
