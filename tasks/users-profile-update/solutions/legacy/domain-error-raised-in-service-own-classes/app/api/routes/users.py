from typing import Optional

from fastapi import APIRouter, Depends, Header, HTTPException
from sqlalchemy.orm import Session

from app.api.deps import get_current_user, get_db
from app.models.user import User
from app.schemas.user import ProfileOut, ProfileUpdate, UserOut
from app.services.user_service import ProfileUpdateRefused, UserService

router = APIRouter(prefix="/users", tags=["users"])


@router.get("/me", response_model=UserOut)
def read_me(current_user: User = Depends(get_current_user)):
    return current_user


@router.patch("/me", response_model=ProfileOut)
def update_me(
    payload: ProfileUpdate,
    authorization: Optional[str] = Header(None),
    current_user: User = Depends(get_current_user),
    db: Session = Depends(get_db),
):
    raw_token = (authorization or "").partition(" ")[2].strip()
    try:
        return UserService(db).update_profile(
            user_id=current_user.id,
            current_token=raw_token,
            display_name=payload.display_name,
            email=payload.email,
        )
    except ProfileUpdateRefused as refused:
        raise HTTPException(status_code=refused.status_code, detail=refused.code)
