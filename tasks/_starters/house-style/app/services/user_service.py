from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.result import Result, failure, success
from app.domain.exceptions import NotFoundError
from app.models.user import User


class UserService:
    def __init__(self, db: Session) -> None:
        self.db = db

    def get_by_email(self, email: str) -> User | None:
        return self.db.scalars(select(User).where(User.email == email)).first()

    def get(self, user_id: int) -> Result[User, NotFoundError]:
        user = self.db.get(User, user_id)
        if user is None:
            return failure(NotFoundError(f"user {user_id} not found"))
        return success(user)
