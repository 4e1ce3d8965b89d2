"""Account deletion: the user's personal data is erased, the shop keeps its order records."""

from collections import Counter

from fastapi import HTTPException, status
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.security import verify_password
from app.models.order import ORDER_STATUS_CANCELLED, ORDER_STATUS_PAID, ORDER_STATUS_PENDING, Order
from app.models.product import Product
from app.models.token import Token
from app.models.user import User

DELETED_EMAIL_FORMAT = "deleted-{user_id}@invalid"
UNUSABLE_PASSWORD = "!deleted"


class AccountDeletionService:
    def __init__(self, db: Session) -> None:
        self.db = db

    def delete_account(self, user_id: int, password: str) -> User:
        """Anonymize the user, revoke all their tokens and release their pending orders."""
        user = self.db.get(User, user_id)
        if user is None:
            raise HTTPException(status_code=status.HTTP_404_NOT_FOUND, detail="not_found")
        if not verify_password(password, user.hashed_password):
            raise HTTPException(status_code=status.HTTP_403_FORBIDDEN, detail="invalid_password")
        paid = self.db.scalar(
            select(Order.id).where(Order.user_id == user_id, Order.status == ORDER_STATUS_PAID)
        )
        if paid is not None:
            raise HTTPException(status_code=status.HTTP_409_CONFLICT, detail="orders_in_progress")

        returned: Counter[int] = Counter()
        pending = self.db.scalars(
            select(Order).where(Order.user_id == user_id, Order.status == ORDER_STATUS_PENDING)
        )
        for order in pending:
            order.status = ORDER_STATUS_CANCELLED
            for item in order.items:
                returned[item.product_id] += item.quantity
        for product_id, quantity in returned.items():
            self.db.get_one(Product, product_id).stock += quantity

        for token in self.db.scalars(select(Token).where(Token.user_id == user_id)):
            token.revoked = True
        user.email = DELETED_EMAIL_FORMAT.format(user_id=user.id)
        user.full_name = None
        user.hashed_password = UNUSABLE_PASSWORD
        user.is_active = False
        self.db.commit()
        return user
