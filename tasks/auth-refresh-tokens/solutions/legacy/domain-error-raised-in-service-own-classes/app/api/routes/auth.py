from fastapi import APIRouter, Depends, HTTPException, status
from sqlalchemy.orm import Session

from app.api.deps import get_db
from app.schemas.auth import RefreshIn, TokenPairOut
from app.services.token_refresh_service import InvalidRefreshToken, TokenRefreshService

router = APIRouter(prefix="/auth", tags=["auth"])


@router.post("/token/refresh", response_model=TokenPairOut)
def refresh_token(body: RefreshIn, db: Session = Depends(get_db)) -> TokenPairOut:
    """Rotate a refresh token into a new access + refresh pair (401 on any failure)."""
    try:
        pair = TokenRefreshService(db).refresh(body.refresh_token)
    except InvalidRefreshToken:
        raise HTTPException(
            status_code=status.HTTP_401_UNAUTHORIZED, detail="invalid_credentials"
        )
    return TokenPairOut(
        access_token=pair.access_token,
        refresh_token=pair.refresh_token,
        expires_in=pair.expires_in,
    )
