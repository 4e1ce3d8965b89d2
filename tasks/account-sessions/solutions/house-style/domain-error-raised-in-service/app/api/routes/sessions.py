from fastapi import APIRouter, Depends, Header, HTTPException, Response, status
from sqlalchemy.orm import Session

from app.api.deps import get_db
from app.api.errors import raise_for
from app.domain.exceptions import DomainError, InvalidCredentialsError
from app.models.token import Token
from app.schemas.session import RevokedSessionsOut, SessionOut
from app.services.session_service import SessionService, SessionView

router = APIRouter(prefix="/users/me/sessions", tags=["sessions"])

BEARER_SCHEME = "bearer"


def _not_authenticated() -> HTTPException:
    return HTTPException(
        status_code=status.HTTP_401_UNAUTHORIZED,
        detail="not_authenticated",
        headers={"WWW-Authenticate": "Bearer"},
    )


def get_current_session(
    authorization: str | None = Header(None),
    db: Session = Depends(get_db),
) -> Token:
    """The access token this request is authenticated with, else 401."""
    scheme, _, raw_token = (authorization or "").partition(" ")
    raw_token = raw_token.strip()
    if scheme.lower() != BEARER_SCHEME or not raw_token:
        raise _not_authenticated()
    try:
        return SessionService(db).find_session(raw_token)
    except InvalidCredentialsError:
        raise _not_authenticated() from None


@router.get("", response_model=list[SessionOut])
def list_sessions(
    current: Token = Depends(get_current_session),
    db: Session = Depends(get_db),
) -> list[SessionView]:
    return SessionService(db).list_sessions(user_id=current.user_id, current_token_id=current.id)


@router.delete("/{token_id}", status_code=status.HTTP_204_NO_CONTENT)
def revoke_session(
    token_id: int,
    current: Token = Depends(get_current_session),
    db: Session = Depends(get_db),
) -> Response:
    try:
        SessionService(db).revoke_session(user_id=current.user_id, token_id=token_id)
    except DomainError as error:
        raise_for(error)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/revoke-others", response_model=RevokedSessionsOut)
def revoke_other_sessions(
    current: Token = Depends(get_current_session),
    db: Session = Depends(get_db),
) -> RevokedSessionsOut:
    revoked = SessionService(db).revoke_other_sessions(
        user_id=current.user_id, current_token_id=current.id
    )
    return RevokedSessionsOut(revoked=revoked)
