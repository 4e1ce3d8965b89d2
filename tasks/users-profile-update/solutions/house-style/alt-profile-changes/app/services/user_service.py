from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.core.result import Failure, Result, failure, success
from app.core.security import hash_token
from app.domain.exceptions import ConflictError, NotFoundError, ValidationFailedError
from app.domain.profile import parse_profile_changes
from app.models.token import TOKEN_KIND_ACCESS, Token
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

    def update_profile(
        self,
        user_id: int,
        current_token: str,
        display_name: str | None = None,
        email: str | None = None,
    ) -> Result[User, ValidationFailedError | ConflictError | NotFoundError]:
        parsed = parse_profile_changes(display_name, email)
        if isinstance(parsed, Failure):
            return parsed
        changes = parsed.value

        user = self.db.get(User, user_id)
        if user is None:
            return failure(NotFoundError(f"user {user_id} not found"))
        email_changes = changes.email is not None and changes.email != user.email.lower()
        if email_changes and self._is_taken(changes.email, by_other_than=user.id):
            return failure(ConflictError("email_taken"))

        if changes.display_name is not None:
            user.full_name = changes.display_name
        if email_changes:
            user.email = changes.email
            user.is_verified = False
            kept = hash_token(current_token)
            for token in self._access_tokens(user.id):
                if token.token_hash != kept:
                    token.revoked = True
        self.db.commit()
        return success(user)

    def _is_taken(self, email: str, by_other_than: int) -> bool:
        count = self.db.scalar(
            select(func.count())
            .select_from(User)
            .where(func.lower(User.email) == email, User.id != by_other_than)
        )
        return bool(count)

    def _access_tokens(self, user_id: int) -> list[Token]:
        return list(
            self.db.scalars(
                select(Token).where(
                    Token.user_id == user_id,
                    Token.kind == TOKEN_KIND_ACCESS,
                    Token.revoked.is_(False),
                )
            )
        )
