from fastapi import APIRouter, Depends, Header, HTTPException
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from app.api.deps import get_current_user, get_db
from app.core.security import hash_token
from app.models.token import TOKEN_KIND_ACCESS, Token
from app.models.user import User
from app.schemas.user import ProfileOut, ProfileUpdate, UserOut

router = APIRouter(prefix="/users", tags=["users"])

DISPLAY_NAME_MAX_LENGTH = 80


def _looks_like_email(email: str) -> bool:
    local, _, domain = email.partition("@")
    return bool(local) and "@" not in domain and "." in domain[1:-1]


@router.get("/me", response_model=UserOut)
def read_me(current_user: User = Depends(get_current_user)) -> User:
    return current_user


@router.patch("/me", response_model=ProfileOut)
def update_me(
    payload: ProfileUpdate,
    authorization: str | None = Header(None),
    current_user: User = Depends(get_current_user),
    db: Session = Depends(get_db),
) -> User:
    display_name = payload.display_name
    email = payload.email
    if display_name is None and email is None:
        raise HTTPException(status_code=422, detail="nothing_to_update")

    if display_name is not None:
        display_name = display_name.strip()
        if not display_name or len(display_name) > DISPLAY_NAME_MAX_LENGTH:
            raise HTTPException(status_code=422, detail="invalid_display_name")

    email_changed = False
    if email is not None:
        email = email.strip().lower()
        if not _looks_like_email(email):
            raise HTTPException(status_code=422, detail="invalid_email")
        if email != current_user.email.lower():
            taken = db.scalars(
                select(User.id).where(func.lower(User.email) == email, User.id != current_user.id)
            ).first()
            if taken is not None:
                raise HTTPException(status_code=409, detail="email_taken")
            email_changed = True

    if display_name is not None:
        current_user.full_name = display_name
    if email_changed:
        current_user.email = email
        current_user.is_verified = False
        raw_token = (authorization or "").partition(" ")[2].strip()
        db.execute(
            update(Token)
            .where(
                Token.user_id == current_user.id,
                Token.kind == TOKEN_KIND_ACCESS,
                Token.token_hash != hash_token(raw_token),
            )
            .values(revoked=True)
        )
    db.commit()
    return current_user
