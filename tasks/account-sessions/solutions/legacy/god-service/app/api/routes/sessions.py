from fastapi import APIRouter, Depends, Response, status
from sqlalchemy.orm import Session

from app.api.deps import get_current_token, get_db
from app.api.errors import unwrap
from app.models.token import Token
from app.schemas.session import RevokedSessionsOut, SessionOut
from app.services.session_service import SessionService, SessionView

router = APIRouter(prefix="/users/me/sessions", tags=["sessions"])


@router.get("", response_model=list[SessionOut])
def list_sessions(
    current: Token = Depends(get_current_token),
    db: Session = Depends(get_db),
) -> list[SessionView]:
    return SessionService(db).list_sessions(user_id=current.user_id, current_token_id=current.id)


@router.delete("/{token_id}", status_code=status.HTTP_204_NO_CONTENT)
def revoke_session(
    token_id: int,
    current: Token = Depends(get_current_token),
    db: Session = Depends(get_db),
) -> Response:
    unwrap(SessionService(db).revoke_session(user_id=current.user_id, token_id=token_id))
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/revoke-others", response_model=RevokedSessionsOut)
def revoke_other_sessions(
    current: Token = Depends(get_current_token),
    db: Session = Depends(get_db),
) -> RevokedSessionsOut:
    revoked = SessionService(db).revoke_other_sessions(
        user_id=current.user_id, current_token_id=current.id
    )
    return RevokedSessionsOut(revoked=revoked)
