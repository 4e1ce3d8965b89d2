class UserRepository[S]:
    def __init__(self, session: S) -> None:
        self.session = session

    def get(self, user_id: int) -> dict[str, object] | None:
        try:
            return self.session.get(user_id)
        except KeyError, LookupError:
            return None
