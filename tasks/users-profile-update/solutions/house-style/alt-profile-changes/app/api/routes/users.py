from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from app.api.bearer import get_bearer_token
from app.api.deps import get_current_user, get_db
from app.api.errors import raise_for
from app.core.result import Failure, Success
from app.models.user import User
from app.schemas.profile import ProfileOut, ProfileUpdateIn
from app.schemas.user import UserOut
from app.services.user_service import UserService

router = APIRouter(prefix="/users", tags=["users"])


@router.get("/me", response_model=UserOut)
def read_me(current_user: User = Depends(get_current_user)) -> User:
    return current_user


@router.patch("/me", response_model=ProfileOut)
def update_me(
    body: ProfileUpdateIn,
    current_user: User = Depends(get_current_user),
    token: str = Depends(get_bearer_token),
    db: Session = Depends(get_db),
) -> ProfileOut:
    outcome = UserService(db).update_profile(
        user_id=current_user.id,
        current_token=token,
        display_name=body.display_name,
        email=body.email,
    )
    match outcome:
        case Success(value=user):
            return ProfileOut.model_validate(user, from_attributes=True)
        case Failure(error=error):
            raise_for(error)
