from typing import Optional

from fastapi import HTTPException, status
from sqlalchemy.orm import Session

from app.models.user import User
from app.repositories.user_repository import UserRepository


class UserService:
    def __init__(self, db: Session, users: Optional[UserRepository] = None) -> None:
        self.db = db
        self.users = users or UserRepository(db)

    def get_user(self, user_id: int) -> User:
        user = self.users.get(user_id)
        if not user:
            raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail="not_found")
        return user

    def get_by_email(self, email: str) -> Optional[User]:
        return self.users.get_by_email(email)
