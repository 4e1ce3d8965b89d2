from typing import List, Optional

from fastapi import APIRouter, Depends, Header, HTTPException, Response, status
from sqlalchemy.orm import Session

from app.api.deps import get_db
from app.models.token import Token
from app.schemas.session import RevokedSessionsOut, SessionOut
from app.services.session_service import SessionNotFound, SessionService

router = APIRouter(prefix="/users/me/sessions", tags=["sessions"])


def get_current_session(
    authorization: Optional[str] = Header(None), db: Session = Depends(get_db)
) -> Token:
    scheme, _, raw_token = (authorization or "").partition(" ")
    token = None
    if scheme.lower() == "bearer" and raw_token.strip():
        token = SessionService(db).find_session(raw_token.strip())
    if token is None:
        raise HTTPException(
            status_code=status.HTTP_401_UNAUTHORIZED,
            detail="not_authenticated",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return token


@router.get("", response_model=List[SessionOut])
def list_sessions(current: Token = Depends(get_current_session), db: Session = Depends(get_db)):
    return SessionService(db).list_sessions(user_id=current.user_id, current_token_id=current.id)


@router.delete("/{token_id}", status_code=status.HTTP_204_NO_CONTENT)
def revoke_session(
    token_id: int, current: Token = Depends(get_current_session), db: Session = Depends(get_db)
):
    try:
        SessionService(db).revoke_session(user_id=current.user_id, token_id=token_id)
    except SessionNotFound:
        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail="not_found")
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/revoke-others", response_model=RevokedSessionsOut)
def revoke_other_sessions(
    current: Token = Depends(get_current_session), db: Session = Depends(get_db)
):
    revoked = SessionService(db).revoke_other_sessions(
        user_id=current.user_id, current_token_id=current.id
    )
    return {"revoked": revoked}
