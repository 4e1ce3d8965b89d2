from fastapi import APIRouter, Depends, Header
from sqlalchemy.orm import Session

from app.api.deps import get_current_user, get_db
from app.api.errors import raise_for
from app.domain.exceptions import DomainError
from app.models.user import User
from app.schemas.user import ProfileOut, ProfileUpdate, UserOut
from app.services.user_service import UserService

router = APIRouter(prefix="/users", tags=["users"])


def _bearer_token(authorization: str | None) -> str:
    """The raw token of the `Authorization: Bearer <token>` header get_current_user accepted."""
    return (authorization or "").partition(" ")[2].strip()


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
    try:
        return UserService(db).update_profile(
            user_id=current_user.id,
            current_token=_bearer_token(authorization),
            display_name=payload.display_name,
            email=payload.email,
        )
    except DomainError as error:
        raise_for(error)
