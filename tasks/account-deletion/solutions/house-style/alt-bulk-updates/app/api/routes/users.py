from fastapi import APIRouter, Body, Depends, Response
from sqlalchemy.orm import Session

from app.api.deps import get_current_user, get_db
from app.core.result import Failure
from app.models.user import User
from app.schemas.user import UserOut
from app.services.account_deletion import AccountDeletionService

router = APIRouter(prefix="/users", tags=["users"])


@router.get("/me", response_model=UserOut)
def read_me(current_user: User = Depends(get_current_user)) -> User:
    return current_user


@router.delete("/me", status_code=204, response_class=Response)
def delete_me(
    password: str = Body(..., embed=True),
    current_user: User = Depends(get_current_user),
    db: Session = Depends(get_db),
) -> Response:
    outcome = AccountDeletionService(db).delete_account(user_id=current_user.id, password=password)
    if isinstance(outcome, Failure):
        raise outcome.error.to_http_exception()
    return Response(status_code=204)
