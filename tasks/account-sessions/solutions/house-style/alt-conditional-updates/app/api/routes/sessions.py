from dataclasses import dataclass

from fastapi import APIRouter, Depends, Header, HTTPException, Response
from sqlalchemy.orm import Session

from app.api.deps import get_current_user, get_db
from app.core.result import Failure, Success
from app.models.user import User
from app.schemas.sessions import RevokeOthersResult, SessionItem
from app.services.session_service import SessionService

router = APIRouter(prefix="/users/me/sessions", tags=["sessions"])


@dataclass(frozen=True)
class CurrentSession:
    user_id: int
    token_id: int


def current_session(
    authorization: str | None = Header(None),
    user: User = Depends(get_current_user),
    db: Session = Depends(get_db),
) -> CurrentSession:
    """`get_current_user` has accepted the bearer token; find which of its tokens it is."""
    raw_token = (authorization or "").partition(" ")[2].strip()
    match SessionService(db).current_session_id(user.id, raw_token):
        case Success(value=token_id):
            return CurrentSession(user_id=user.id, token_id=token_id)
        case _:
            raise HTTPException(
                status_code=401,
                detail="not_authenticated",
                headers={"WWW-Authenticate": "Bearer"},
            )


@router.get("")
def list_sessions(
    session: CurrentSession = Depends(current_session), db: Session = Depends(get_db)
) -> list[SessionItem]:
    listed = SessionService(db).list_sessions(
        user_id=session.user_id, current_token_id=session.token_id
    )
    return [
        SessionItem(
            id=token.id, created_at=token.created_at, expires_at=token.expires_at, current=current
        )
        for token, current in listed
    ]


@router.delete("/{token_id}", status_code=204)
def revoke_session(
    token_id: int,
    session: CurrentSession = Depends(current_session),
    db: Session = Depends(get_db),
) -> Response:
    match SessionService(db).revoke_session(user_id=session.user_id, token_id=token_id):
        case Failure():
            raise HTTPException(status_code=404, detail="not_found")
    return Response(status_code=204)


@router.post("/revoke-others")
def revoke_other_sessions(
    session: CurrentSession = Depends(current_session), db: Session = Depends(get_db)
) -> RevokeOthersResult:
    revoked = SessionService(db).revoke_other_sessions(
        user_id=session.user_id, current_token_id=session.token_id
    )
    return RevokeOthersResult(revoked=revoked)
