from fastapi import APIRouter, Depends, HTTPException, Response
from sqlalchemy.orm import Session

from app.api.deps import active_access_tokens, get_current_token, get_db
from app.models.token import Token
from app.schemas.session import RevokedSessionsOut, SessionOut

router = APIRouter(prefix="/users/me/sessions", tags=["sessions"])

MAX_LISTED_SESSIONS = 20


@router.get("", response_model=list[SessionOut])
def list_sessions(
    current: Token = Depends(get_current_token), db: Session = Depends(get_db)
) -> list[SessionOut]:
    tokens = db.scalars(
        active_access_tokens()
        .where(Token.user_id == current.user_id)
        .order_by(Token.created_at.desc(), Token.id.desc())
        .limit(MAX_LISTED_SESSIONS)
    )
    return [
        SessionOut(
            id=token.id,
            created_at=token.created_at,
            expires_at=token.expires_at,
            current=token.id == current.id,
        )
        for token in tokens
    ]


@router.delete("/{token_id}", status_code=204)
def revoke_session(
    token_id: int, current: Token = Depends(get_current_token), db: Session = Depends(get_db)
) -> Response:
    token = db.scalars(
        active_access_tokens().where(Token.id == token_id, Token.user_id == current.user_id)
    ).first()
    if token is None:
        raise HTTPException(status_code=404, detail="not_found")
    token.revoked = True
    db.commit()
    return Response(status_code=204)


@router.post("/revoke-others", response_model=RevokedSessionsOut)
def revoke_other_sessions(
    current: Token = Depends(get_current_token), db: Session = Depends(get_db)
) -> RevokedSessionsOut:
    others = db.scalars(
        active_access_tokens().where(Token.user_id == current.user_id, Token.id != current.id)
    ).all()
    for token in others:
        token.revoked = True
    db.commit()
    return RevokedSessionsOut(revoked=len(others))
