"""Account deletion: the user's personal data is erased, the shop keeps its order records."""

from collections import Counter

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.result import Result, failure, success
from app.domain.exceptions import ConflictError, NotFoundError, PermissionDeniedError
from app.models.order import ORDER_STATUS_CANCELLED, ORDER_STATUS_PAID, ORDER_STATUS_PENDING, Order
from app.models.product import Product
from app.models.user import User
from app.services.auth_service import AuthService

AccountDeletionError = NotFoundError | PermissionDeniedError | ConflictError


class AccountDeletionService:
    def __init__(self, db: Session) -> None:
        self.db = db
        self.auth = AuthService(db)

    def delete_account(self, user_id: int, password: str) -> Result[User, AccountDeletionError]:
        user = self.auth.find_user(user_id)
        if user is None:
            return failure(NotFoundError(f"user {user_id} not found"))
        if not self.auth.verify_password_for(user, password):
            return failure(PermissionDeniedError("invalid_password"))
        paid = self.db.scalar(
            select(Order.id).where(Order.user_id == user_id, Order.status == ORDER_STATUS_PAID)
        )
        if paid is not None:
            return failure(ConflictError("orders_in_progress"))

        self._cancel_pending_orders(user_id)
        self.auth.anonymize_user(user)
        self.db.commit()
        return success(user)

    def _cancel_pending_orders(self, user_id: int) -> None:
        pending = self.db.scalars(
            select(Order).where(Order.user_id == user_id, Order.status == ORDER_STATUS_PENDING)
        ).all()
        returned: Counter[int] = Counter()
        for order in pending:
            order.status = ORDER_STATUS_CANCELLED
            for item in order.items:
                returned[item.product_id] += item.quantity
        for product_id, quantity in returned.items():
            product = self.db.get(Product, product_id)
            if product is not None:
                product.stock += quantity
