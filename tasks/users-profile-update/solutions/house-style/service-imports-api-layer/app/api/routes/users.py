from fastapi import APIRouter, Depends, Header
from sqlalchemy.orm import Session

from app.api.deps import bearer_token, get_current_user, get_db
from app.api.errors import unwrap
from app.models.user import User
from app.schemas.user import ProfileOut, ProfileUpdate, UserOut
from app.services.user_service import UserService

router = APIRouter(prefix="/users", tags=["users"])


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
    result = UserService(db).update_profile(
        user_id=current_user.id,
        current_token=bearer_token(authorization) or "",
        display_name=payload.display_name,
        email=payload.email,
    )
    return unwrap(result)
