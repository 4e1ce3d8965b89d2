"""Changing the password of a signed-in user."""

from sqlalchemy.orm import Session

from app.core.result import Result, failure, success
from app.core.security import hash_password, verify_password
from app.domain.exceptions import PermissionDeniedError, ValidationFailedError
from app.models.token import TOKEN_KIND_ACCESS
from app.models.user import User
from app.services.account_rules import password_problem
from app.services.token_service import SESSION_TOKEN_KINDS, TokenService

WRONG_CURRENT_PASSWORD = "current password is incorrect"
SAME_PASSWORD = "new password must differ from the current one"


class PasswordService:
    def __init__(self, db: Session) -> None:
        self.db = db
        self.tokens = TokenService(db)

    def change_password(
        self, user: User, current_password: str, new_password: str, current_access_token: str
    ) -> Result[None, PermissionDeniedError | ValidationFailedError]:
        """Change the password and sign out every other session (this one stays valid)."""
        if not verify_password(current_password, user.hashed_password):
            return failure(PermissionDeniedError(WRONG_CURRENT_PASSWORD))
        problem = password_problem(new_password)
        if problem is not None:
            return failure(ValidationFailedError(problem))
        if verify_password(new_password, user.hashed_password):
            return failure(ValidationFailedError(SAME_PASSWORD))

        user.hashed_password = hash_password(new_password)
        current = self.tokens.find_usable(current_access_token, TOKEN_KIND_ACCESS)
        self.tokens.revoke_all(
            user.id, SESSION_TOKEN_KINDS, keep_token_id=current.id if current is not None else None
        )
        self.db.commit()
        return success(None)
