"""Account deletion: the user's personal data is erased, the shop keeps its order records."""

from collections import Counter
from typing import Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.result import Result, failure, success
from app.core.security import verify_password
from app.domain.exceptions import ConflictError, NotFoundError, PermissionDeniedError
from app.models.order import ORDER_STATUS_CANCELLED, ORDER_STATUS_PAID, ORDER_STATUS_PENDING, Order
from app.models.user import User
from app.repositories.product_repository import ProductRepository
from app.repositories.token_repository import TokenRepository
from app.repositories.user_repository import UserRepository

DELETED_EMAIL_FORMAT = "deleted-{user_id}@invalid"
UNUSABLE_PASSWORD = "!deleted"

AccountDeletionError = NotFoundError | PermissionDeniedError | ConflictError


class AccountDeletionService:
    def __init__(
        self,
        db: Session,
        users: Optional[UserRepository] = None,
        tokens: Optional[TokenRepository] = None,
        products: Optional[ProductRepository] = None,
    ) -> None:
        self.db = db
        self.users = users or UserRepository(db)
        self.tokens = tokens or TokenRepository(db)
        self.products = products or ProductRepository(db)

    def delete_account(self, user_id: int, password: str) -> Result[User, AccountDeletionError]:
        user = self.users.get(user_id)
        if user is None:
            return failure(NotFoundError(f"user {user_id} not found"))
        if not verify_password(password, user.hashed_password):
            return failure(PermissionDeniedError("invalid_password"))
        orders = list(self.db.scalars(select(Order).where(Order.user_id == user_id)))
        if any(order.status == ORDER_STATUS_PAID for order in orders):
            return failure(ConflictError("orders_in_progress"))

        returned: Counter[int] = Counter()
        for order in orders:
            if order.status == ORDER_STATUS_PENDING:
                order.status = ORDER_STATUS_CANCELLED
                for item in order.items:
                    returned[item.product_id] += item.quantity
        for product_id, quantity in returned.items():
            product = self.products.get(product_id)
            if product is not None:
                product.stock += quantity

        for token in self.tokens.list_for_user(user_id):
            token.revoked = True
        user.email = DELETED_EMAIL_FORMAT.format(user_id=user.id)
        user.full_name = None
        user.hashed_password = UNUSABLE_PASSWORD
        user.is_active = False
        self.db.commit()
        return success(user)
