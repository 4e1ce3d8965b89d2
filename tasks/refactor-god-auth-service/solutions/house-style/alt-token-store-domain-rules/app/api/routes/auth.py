"""Signing in and out, and the caller's sessions."""

from fastapi import APIRouter, Depends, Header, Response, status
from sqlalchemy.orm import Session

from app.api.deps import get_current_user, get_db
from app.api.errors import unwrap
from app.models.token import Token
from app.models.user import User
from app.schemas.auth import LoginIn, RefreshIn, SessionTokenOut, TokenPairOut
from app.services.auth_service import AuthService
from app.services.token_store import IssuedSession, TokenStore

router = APIRouter(prefix="/auth", tags=["auth"])


def bearer_token(authorization: str | None = Header(None)) -> str:
    """The raw token of `Authorization: Bearer <token>` (validated by get_current_user)."""
    return (authorization or "").partition(" ")[2].strip()


def _pair(issued: IssuedSession) -> TokenPairOut:
    return TokenPairOut(
        access_token=issued.access_token,
        refresh_token=issued.refresh_token,
        expires_in=issued.expires_in,
    )


@router.post("/login", response_model=TokenPairOut)
def login(payload: LoginIn, db: Session = Depends(get_db)) -> TokenPairOut:
    return _pair(unwrap(AuthService(db).login(payload.email, payload.password)))


@router.post("/refresh", response_model=TokenPairOut)
def refresh(payload: RefreshIn, db: Session = Depends(get_db)) -> TokenPairOut:
    return _pair(unwrap(AuthService(db).refresh(payload.refresh_token)))


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT)
def logout(
    _user: User = Depends(get_current_user),
    raw_token: str = Depends(bearer_token),
    db: Session = Depends(get_db),
) -> Response:
    unwrap(AuthService(db).logout(raw_token))
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/tokens", response_model=list[SessionTokenOut])
def list_tokens(
    current_user: User = Depends(get_current_user), db: Session = Depends(get_db)
) -> list[Token]:
    return TokenStore(db).live_sessions(current_user.id)


@router.delete("/tokens/{token_id}", status_code=status.HTTP_204_NO_CONTENT)
def revoke_token(
    token_id: int,
    current_user: User = Depends(get_current_user),
    db: Session = Depends(get_db),
) -> Response:
    unwrap(TokenStore(db).revoke_session(current_user.id, token_id))
    return Response(status_code=status.HTTP_204_NO_CONTENT)
