from app.api.deps import get_current_user  # error: ARCH502
from app.core.errors import Conflict, NotFound, Result
from app.repositories.users import UserRepository

type UserId = int


class UserService[S]:
    def __init__(self, repository: UserRepository | None = None) -> None:  # error: ARCH401
        self.repository = repository

    def get[K: UserId](self, user_id: K) -> Result[dict[str, object]]:
        user = self.repository.get(user_id)
        if user is None:
            raise NotFound  # error: ARCH101
        return Result(user)

    def rename(self, user_id: UserId, name: str) -> Result[dict[str, object]]:
        try:
            user = self.repository.get(user_id)
        except* KeyError, ValueError:
            raise Conflict(status_code=409)  # error: ARCH101
        greeting = t"renamed {user!r} to {name}"
        return Result({"user": user, "log": greeting, "who": get_current_user(name)})
