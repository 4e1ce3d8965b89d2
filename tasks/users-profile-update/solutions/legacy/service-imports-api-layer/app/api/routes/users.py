from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from app.api.deps import get_bearer_token, get_current_user, get_db
from app.api.errors import unwrap
from app.models.user import User
from app.schemas.user import ProfileOut, ProfileUpdate, UserOut
from app.services.user_service import UserService

router = APIRouter(prefix="/users", tags=["users"])


@router.get("/me", response_model=UserOut)
def read_me(current_user: User = Depends(get_current_user)):
    return current_user


@router.patch("/me", response_model=ProfileOut)
def update_me(
    payload: ProfileUpdate,
    current_token: str = Depends(get_bearer_token),
    current_user: User = Depends(get_current_user),
    db: Session = Depends(get_db),
):
    result = UserService(db).update_profile(
        user_id=current_user.id,
        current_token=current_token,
        display_name=payload.display_name,
        email=payload.email,
    )
    return unwrap(result)
