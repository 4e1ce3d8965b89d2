from sqlalchemy import select


class UserRepository:  # error: ARCH402
    def __init__(self, db):
        self.db = db

    def get(self, user_id):
        return self.db.get("User", user_id)

    async def by_email(self, email):
        return (await self.db.execute(select("User").where(email == email))).scalars().first()
